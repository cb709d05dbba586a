import { api } from "$lib/server/api";
import type { LayoutServerLoad } from "./$types";

/** The dataset line in the footer. A down API is the page's error to show, not the layout's. */
export const load = (async ({ fetch, locals }) => {
  let meta = null;
  try {
    const response = await api(fetch).api.v1.meta.$get({ query: {} });
    if (response.ok) meta = await response.json();
  } catch {
    // Left to the page's own load, which says what is wrong and where.
  }
  return { meta, theme: locals.theme };
}) satisfies LayoutServerLoad;
