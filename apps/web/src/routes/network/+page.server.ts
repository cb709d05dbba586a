import { asQuery, readFilters } from "$lib/filters";
import { api, read } from "$lib/server/api";
import { layoutNetwork, nodesAndTies } from "$lib/server/network";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, url }) => {
  const client = api(fetch);
  const filters = readFilters(url.searchParams);
  const query = asQuery(filters);
  const [network, facets] = await Promise.all([
    read(client.api.v1.network.$get({ query: { ...query, limit: "400" } })),
    read(client.api.v1.facets.$get({ query: { ...query, size: "50" } })),
  ]);
  const layout = layoutNetwork(network);
  return { filters, facets, counted: network.counted, exact: network.exact, layout, table: nodesAndTies(layout) };
}) satisfies PageServerLoad;
