import { groupBySource } from "@backchannel/schema";
import { api, read } from "$lib/server/api";
import { boundsOf, renderMap } from "$lib/server/map";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, params }) => {
  const event = await read(api(fetch).api.v1.events[":id"].$get({ param: { id: params.id }, query: {} }));
  const points = event.placeDetails.map((place) => ({ id: place.id, name: place.name, latitude: place.latitude, longitude: place.longitude, count: 1 }));
  // One block per article, however many of its passages the event cites.
  return { event, sourceGroups: groupBySource(event.citations), map: points.length ? renderMap(points, boundsOf(points, 16), { width: 480, height: 300 }) : null };
}) satisfies PageServerLoad;
