import { api, read } from "$lib/server/api";
import type { PageServerLoad } from "./$types";

const KINDS = ["actor", "event", "source", "place"] as const;

export const load = (async ({ fetch, url }) => {
  const q = url.searchParams.get("q")?.trim() ?? "";
  if (!q) return { q, total: 0, groups: [] };
  const result = await read(api(fetch).api.v1.search.$get({ query: { q: q.slice(0, 200), limit: "60" } }));
  const groups = KINDS.map((kind) => ({ kind, hits: result.data.filter((hit) => hit.kind === kind) })).filter((group) => group.hits.length);
  return { q, total: result.data.length, groups };
}) satisfies PageServerLoad;
