import { api, read } from "$lib/server/api";
import { GULF_VIEW, renderMap } from "$lib/server/map";
import { degrees } from "$lib/server/network";
import { placeIndex, pointsFor } from "$lib/server/places";
import { EventStatusSchema, type EventStatus } from "@backchannel/schema";
import type { PageServerLoad } from "./$types";

/** What the charts count unless the URL says otherwise: what happened, not what was planned. */
const CHARTED_BY_DEFAULT = ["occurred"] as const;

export const load = (async ({ fetch, parent, url }) => {
  const client = api(fetch);
  const asked = url.searchParams.getAll("status").flatMap((value) => {
    const status = EventStatusSchema.safeParse(value);
    return status.success ? [status.data] : [];
  });
  const status: EventStatus[] = asked.length ? asked : [...CHARTED_BY_DEFAULT];
  const [meta, latest, monthly, yearly, network, places, corroborated, changes] = await Promise.all([
    // The layout has fetched the counts already; asked again only to report why it could not.
    parent().then(async ({ meta }) => meta ?? (await read(client.api.v1.meta.$get({ query: {} })))),
    read(client.api.v1.events.$get({ query: { sort: "-date", limit: "8" } })),
    read(client.api.v1.timeline.$get({ query: { bucket: "month", status } })),
    read(client.api.v1.timeline.$get({ query: { bucket: "year", status } })),
    read(client.api.v1.network.$get({ query: { limit: "2000" } })),
    placeIndex(client),
    read(client.api.v1.events.$get({ query: { minSources: "2", limit: "1" } })),
    read(client.api.v1.changes.$get({ query: { limit: "1" } })),
  ]);
  const degree = degrees(network.edges);
  const connected = network.nodes
    .map((node) => ({ ...node, degree: degree.get(node.id) ?? 0 }))
    .sort((a, b) => b.degree - a.degree || b.events - a.events)
    .slice(0, 10);
  const counts = [...places.values()].map((p) => ({ value: p.id, count: p.eventCount }));
  // The monthly chart covers the three years up to the latest event; the yearly one, everything.
  const lastMonth = monthly.data.at(-1)?.bucket ?? "";
  const since = lastMonth ? `${Number(lastMonth.slice(0, 4)) - 3}${lastMonth.slice(4)}` : "";
  // Every event cites a source: those not corroborated by a second rest on one. Counting stops at
  // a cap, so past it the share is not known exactly and is not stated.
  const singleSource = corroborated.page.totalExact ? meta.counts.events - corroborated.page.total : null;
  return {
    status,
    statuses: EventStatusSchema.options,
    meta,
    singleSource,
    latestVersion: changes.versions[0] ? { replaces: changes.versions[0].replaces, counts: changes.versions[0].counts } : null,
    latest: latest.data,
    monthly: { ...monthly, data: monthly.data.filter((bucket) => bucket.bucket > since) },
    yearly,
    connected,
    map: renderMap(pointsFor(places, counts), GULF_VIEW, { width: 640, height: 420 }),
  };
}) satisfies PageServerLoad;
