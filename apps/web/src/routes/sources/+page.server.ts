import { api, read } from "$lib/server/api";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch }) => ({
  sources: await read(api(fetch).api.v1.sources.$get({ query: { limit: "500" } })),
})) satisfies PageServerLoad;
