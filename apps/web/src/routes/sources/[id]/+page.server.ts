import { api, read } from "$lib/server/api";
import type { PageServerLoad } from "./$types";

export const load = (async ({ fetch, params }) => ({
  source: await read(api(fetch).api.v1.sources[":id"].$get({ param: { id: params.id }, query: {} })),
})) satisfies PageServerLoad;
