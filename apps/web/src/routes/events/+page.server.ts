import { api, read } from "$lib/server/api";
import { asQuery, readFilters } from "$lib/filters";
import { EVENT_SORTS, type EventSort } from "@backchannel/schema/labels";
import type { PageServerLoad } from "./$types";

const PAGE_SIZE = 50;

export const load = (async ({ fetch, url }) => {
  const client = api(fetch);
  const filters = readFilters(url.searchParams);
  const asked = url.searchParams.get("sort");
  // An order the API does not know falls back to date order rather than failing the page.
  const sort: EventSort = EVENT_SORTS.find((known) => known === asked) ?? "date";
  const cursor = url.searchParams.get("cursor") ?? undefined;
  const query = asQuery(filters);
  const [events, facets, corroborated] = await Promise.all([
    read(client.api.v1.events.$get({ query: { ...query, sort, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) } })),
    read(client.api.v1.facets.$get({ query: { ...query, size: "50" } })),
    // The sourcing facet: how many of the matching events cite two sources or more.
    read(client.api.v1.events.$get({ query: { ...query, minSources: "2", limit: "1" } })),
  ]);
  // Where this page starts, for "51–100 of 230": counted by the API, never taken from the URL.
  const at = events.page.offset + 1;
  return { filters, sort, cursor: cursor ?? null, at, pageSize: PAGE_SIZE, events, facets, corroborated: corroborated.page.total };
}) satisfies PageServerLoad;
