import { api, read } from "$lib/server/api";
import type { LayoutServerLoad } from "./$types";

/** The dataset line in the footer. A down API is the page's error to show, not the layout's. */
export const load = (async ({ fetch, locals }) => {
  const meta = await read(api(fetch).api.v1.meta.$get({ query: {} })).catch(() => null);
  return { meta, theme: locals.theme };
}) satisfies LayoutServerLoad;
