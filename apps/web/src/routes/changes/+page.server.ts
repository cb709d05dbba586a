import { api, read } from "$lib/server/api";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, url }) => {
  // The API checks the version and answers a 400 that says how far back its log goes.
  const since = url.searchParams.get("since")?.trim() || undefined;
  const changes = await read(api(fetch).api.v1.changes.$get({ query: { limit: "1000", ...(since ? { since } : {}) } }));
  return { changes };
}) satisfies PageServerLoad;
