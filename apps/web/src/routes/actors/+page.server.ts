import { api, read } from "$lib/server/api";
import { ActorKindSchema, type ActorsQuery } from "@backchannel/schema";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, url }) => {
  const q = url.searchParams.get("q")?.trim() || undefined;
  const kind = url.searchParams.get("kind")?.trim() || undefined;
  const cursor = url.searchParams.get("cursor") ?? undefined;
  const actors = await read(
    api(fetch).api.v1.actors.$get({ query: { limit: "100", ...(q ? { q } : {}), ...(kind ? { kind: kind as ActorsQuery["kind"] } : {}) /* the API validates it: a bad kind is a 400 */, ...(cursor ? { cursor } : {}) } }),
  );
  return { actors, kinds: ActorKindSchema.options, q: q ?? "", kind: kind ?? "", cursor: cursor ?? null };
}) satisfies PageServerLoad;
