import { api, read } from "$lib/server/api";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, url }) => {
  const q = url.searchParams.get("q")?.trim() || undefined;
  // The API checks the day and answers a 400 that says what is wrong with it.
  const on = url.searchParams.get("on")?.trim() || undefined;
  const cursor = url.searchParams.get("cursor") ?? undefined;
  const posts = await read(api(fetch).api.v1.posts.$get({ query: { limit: "100", ...(q ? { q } : {}), ...(on ? { on } : {}), ...(cursor ? { cursor } : {}) } }));
  return { posts, q: q ?? "", on: on ?? "", cursor: cursor ?? null };
}) satisfies PageServerLoad;
