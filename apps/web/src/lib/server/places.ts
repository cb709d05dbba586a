import type { Client } from "@backchannel/api/client";
import type { PlaceListItem } from "@backchannel/schema";
import { read } from "./api";
import type { MapPoint } from "./map";

/** Every place with coordinates, by id (the map joins counts from facets or lists to these). */
export async function placeIndex(client: Client) {
  const index = new Map<string, PlaceListItem>();
  let cursor: string | undefined;
  do {
    const page = await read(client.api.v1.places.$get({ query: { limit: "500", ...(cursor ? { cursor } : {}) } }));
    for (const place of page.data) index.set(place.id, place);
    cursor = page.page.next ?? undefined;
  } while (cursor);
  return index;
}

/** Map points for places with counts (from a facet or from the places' own event counts). */
export function pointsFor(index: Awaited<ReturnType<typeof placeIndex>>, counts: Iterable<{ value: string; count: number }>): MapPoint[] {
  const points: MapPoint[] = [];
  for (const { value, count } of counts) {
    const place = index.get(value);
    if (place && count > 0) points.push({ id: place.id, name: place.name, latitude: place.latitude, longitude: place.longitude, count });
  }
  return points;
}
