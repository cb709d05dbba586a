import { api, read } from "$lib/server/api";
import { egoNetwork } from "$lib/server/network";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, params, url }) => {
  const cursor = url.searchParams.get("cursor") ?? undefined;
  const actor = await read(api(fetch).api.v1.actors[":id"].$get({ param: { id: params.id }, query: { limit: "25", ...(cursor ? { cursor } : {}) } }));
  const ego = egoNetwork(actor, actor.counterparts.slice(0, 12));
  return { actor, ego, cursor: cursor ?? null };
}) satisfies PageServerLoad;
