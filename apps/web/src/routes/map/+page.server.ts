import { asQuery, readFilters } from "$lib/filters";
import { api, read } from "$lib/server/api";
import { GULF_VIEW, boundsOf, renderMap } from "$lib/server/map";
import { placeIndex, pointsFor } from "$lib/server/places";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, url }) => {
  const client = api(fetch);
  const filters = readFilters(url.searchParams);
  const view = url.searchParams.get("view") === "gulf" ? "gulf" : "world";
  // Place counts for the filtered events come from the facets (the 100 busiest places).
  const [facets, places] = await Promise.all([read(client.api.v1.facets.$get({ query: { ...asQuery(filters), size: "100" } })), placeIndex(client)]);
  const points = pointsFor(places, facets.facets.place);
  const map = renderMap(points, view === "gulf" ? GULF_VIEW : boundsOf(points), { width: 960, height: 540 });
  return { filters, view, facets, map, points: points.sort((a, b) => b.count - a.count) };
}) satisfies PageServerLoad;
