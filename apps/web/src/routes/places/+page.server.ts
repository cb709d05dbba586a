import { api } from "$lib/server/api";
import { placeIndex } from "$lib/server/places";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch }) => ({
  places: [...(await placeIndex(api(fetch))).values()].sort((a, b) => b.eventCount - a.eventCount || a.name.localeCompare(b.name)),
})) satisfies PageServerLoad;
