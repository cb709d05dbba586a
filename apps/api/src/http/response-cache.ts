import { LRUCache } from "lru-cache";
import { negotiateCoding } from "./compression.js";

type Fetch = (request: Request) => Response | Promise<Response>;

interface Cached {
  // A Uint8Array body takes @hono/node-server's direct write path; an ArrayBuffer would be streamed.
  body: Uint8Array;
  headers: Record<string, string>;
}

/**
 * What an entry costs beyond its body and key: the headers object and its strings,
 * the Uint8Array and its ArrayBuffer, the LRU's slots (an estimate, held to account by the fault suite's RSS bound). Counted so that many small answers to
 * distinct URLs (an empty search, a health check with a random query) cannot outgrow the cap.
 */
export const ENTRY_OVERHEAD_BYTES = 1024;

/** Bytes held by one entry: body, key (UTF-16 in V8), headers and the fixed overhead. */
function entryBytes(entry: Cached, key: string): number {
  let headerBytes = 0;
  for (const name in entry.headers) headerBytes += (name.length + entry.headers[name]!.length) * 2;
  return entry.body.byteLength + key.length * 2 + headerBytes + ENTRY_OVERHEAD_BYTES;
}

/**
 * A snapshot is immutable, so a JSON answer to a given URL never changes while it is served (a new
 * snapshot gets a new app and a new cache: serve/live-app.ts).
 * This wraps the app's fetch and keeps the encoded bytes of recent answers (bounded by size):
 * a repeat is answered before routing, middleware or SQL. Conditional requests and streamed
 * exports always go through to the app. The cap counts keys and per-entry overhead, not only
 * bodies, so the memory it holds stays within `maxBytes` whatever URLs arrive.
 */
export function cachedFetch(fetch: Fetch, maxBytes = 64 * 1024 * 1024): Fetch {
  const cache = new LRUCache<string, Cached>({ maxSize: maxBytes, sizeCalculation: entryBytes });
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
