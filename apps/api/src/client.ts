import { hc } from "hono/client";
import type { AppType } from "./app.js";

export type { AppType };

/** Anything that answers a Request: `app.fetch` in-process, or the global fetch over HTTP. */
export type Fetcher = (input: Request | string | URL, init?: RequestInit) => Response | Promise<Response>;

/**
 * The typed client: `client.api.v1.events.$get({ query: { actor: "ali-larijani" } })`.
 * Over HTTP give the API's base URL; in-process give the app's fetch and any base URL.
 */
export function createClient(baseUrl: string, fetcher?: Fetcher) {
  return hc<AppType>(baseUrl, fetcher ? { fetch: fetcher } : {});
}

export type Client = ReturnType<typeof createClient>;
