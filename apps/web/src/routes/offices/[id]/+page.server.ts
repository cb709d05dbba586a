import { api, read } from "$lib/server/api";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, params, url }) => {
  const on = url.searchParams.get("on")?.trim() || undefined;
  const post = await read(api(fetch).api.v1.posts[":id"].$get({ param: { id: params.id }, query: on ? { on } : {} }));
  return { post, on: on ?? "" };
}) satisfies PageServerLoad;
