import { LRUCache } from "lru-cache";
import { negotiateCoding } from "./compression.js";

type Fetch = (request: Request) => Response | Promise<Response>;

interface Cached {
  // A Uint8Array body takes @hono/node-server's direct write path; an ArrayBuffer would be streamed.
  body: Uint8Array;
  headers: Record<string, string>;
}

/**
 * The snapshot is immutable, so a JSON answer to a given URL never changes while the API runs.
 * This wraps the app's fetch and keeps the encoded bytes of recent answers (bounded by size):
 * a repeat is answered before routing, middleware or SQL. Conditional requests and streamed
 * exports always go through to the app.
 */
export function cachedFetch(fetch: Fetch, maxBytes = 64 * 1024 * 1024): Fetch {
  const cache = new LRUCache<string, Cached>({ maxSize: maxBytes, sizeCalculation: (entry) => entry.body.byteLength + 512 });
  return async (request) => {
    if (request.method !== "GET" || request.headers.has("If-None-Match")) return fetch(request);
    // The app answers each content coding with its own bytes (compression.ts).
    const key = `${request.url}\u0000${request.headers.get("Accept") ?? ""}\u0000${negotiateCoding(request.headers.get("Accept-Encoding"))}`;
    const hit = cache.get(key);
    if (hit) return new Response(hit.body, { status: 200, headers: hit.headers });
    const response = await fetch(request);
    if (response.status !== 200 || !(response.headers.get("content-type") ?? "").startsWith("application/json")) return response;
    const body = new Uint8Array(await response.arrayBuffer());
    const headers = Object.fromEntries(response.headers);
    cache.set(key, { body, headers });
    return new Response(body, { status: 200, headers });
  };
}
