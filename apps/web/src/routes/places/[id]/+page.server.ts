import { api, read } from "$lib/server/api";
import { boundsOf, renderMap } from "$lib/server/map";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, params }) => {
  const place = await read(api(fetch).api.v1.places[":id"].$get({ param: { id: params.id }, query: {} }));
  const point = { id: place.id, name: place.name, latitude: place.latitude, longitude: place.longitude, count: Math.max(1, place.eventCount) };
  return { place, map: renderMap([point], boundsOf([point], place.kind === "country" || place.kind === "sea" || place.kind === "region" ? 24 : 12), { width: 640, height: 380 }) };
}) satisfies PageServerLoad;
