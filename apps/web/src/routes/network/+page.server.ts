import { asQuery, readFilters } from "$lib/filters";
import { api, read } from "$lib/server/api";
import { layoutNetwork } from "$lib/server/network";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, url }) => {
  const client = api(fetch);
  const filters = readFilters(url.searchParams);
  const query = asQuery(filters);
  const [network, facets] = await Promise.all([
    read(client.api.v1.network.$get({ query: { ...query, limit: "400" } })),
    read(client.api.v1.facets.$get({ query: { ...query, size: "50" } })),
  ]);
  const names = new Map(network.nodes.map((n) => [n.id, n.name]));
  const strongest = [...network.edges]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 25)
    .map((e) => ({ ...e, sourceName: names.get(e.source) ?? e.source, targetName: names.get(e.target) ?? e.target }));
  return { filters, facets, counted: network.counted, exact: network.exact, layout: layoutNetwork(network), strongest };
}) satisfies PageServerLoad;
