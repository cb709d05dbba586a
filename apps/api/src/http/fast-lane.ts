import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { LRUCache } from "lru-cache";
import { EventsQuerySchema, IdParamSchema, NoQuerySchema, SearchQuerySchema } from "@backchannel/schema";
import type { z } from "zod";
import type { Snapshot } from "../store/snapshot.js";
import { codedEtag, compressBody, MIN_COMPRESSED_BYTES, negotiateCoding, type Coding } from "./compression.js";

const API = "/api/v1";
/** Headers every answer of the app carries (CORS, caching), as `createApp`'s middleware sets them. */
const COMMON_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "ETag,Content-Disposition,Retry-After",
  "cache-control": "public, max-age=300",
  "content-type": "application/json",
  vary: "Accept, Accept-Encoding",
};
/** An Accept header that asks for an export: those are the app's (the export gate counts them). */
const EXPORT_ACCEPT = /\btext\/csv\b|\bapplication\/(x-)?ndjson\b|\bapplication\/geo\+json\b/;

type Route = (path: string, query: Record<string, string | string[]>) => string | undefined;

export interface FastLaneOptions {
  /** Bytes of answers kept, keyed by URL and coding: compressed ones always (as the app does), plain ones with the response cache on. */
  maxCachedBytes?: number;
  cachePlain?: boolean;
}

/**
 * The query path without the framework. GET requests for the JSON of the hottest routes — a page
 * of events, one event, a search — are answered straight from the store with the bytes and
 * headers the app gives them (same ETag, Vary, Cache-Control, CORS and content coding).
 * Everything else goes to the app, which answers it in full: other routes and formats, HEAD,
 * If-None-Match, and any request that is invalid or fails, so every error keeps one code path.
 * Why: on the varied-URL benchmark the request and response pipeline of Hono and its Node
 * adapter cost more than the queries themselves.
 */
export function fastLane(snapshot: Snapshot, app: RequestListener, { maxCachedBytes = 32 * 1024 * 1024, cachePlain = false }: FastLaneOptions = {}): RequestListener {
  const etag = `"${snapshot.meta.datasetVersion}-json"`;
  const cache = new LRUCache<string, { body: Buffer; sent: Coding }>({ maxSize: maxCachedBytes, sizeCalculation: (entry, key) => entry.body.byteLength + key.length * 2 + 64 });
  const valid = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
  const routes: Route[] = [
    (path, query) => {
      if (path !== `${API}/events`) return undefined;
      const parsed = valid(EventsQuerySchema, query);
      return parsed && (parsed.format === undefined || parsed.format === "json") ? snapshot.listEventsJson(parsed) : undefined;
    },
    (path, query) => {
      if (!path.startsWith(`${API}/events/`)) return undefined;
      const id = valid(IdParamSchema, { id: decodeURIComponent(path.slice(API.length + 8)) })?.id;
      return id !== undefined && valid(NoQuerySchema, query) ? snapshot.getEventJson(id) : undefined;
    },
    (path, query) => {
      if (path !== `${API}/search`) return undefined;
      const parsed = valid(SearchQuerySchema, query);
      return parsed && (parsed.format === undefined || parsed.format === "json") ? JSON.stringify(snapshot.search(parsed)) : undefined;
    },
  ];

  const answer = (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = request.url ?? "";
    if (request.method !== "GET" || !url.startsWith(`${API}/`) || request.headers["if-none-match"] !== undefined || EXPORT_ACCEPT.test(request.headers.accept ?? "")) return false;
    const coding: Coding = negotiateCoding(request.headers["accept-encoding"]);
    const key = `${url}\u0000${coding}`;
    let entry = coding !== "identity" || cachePlain ? cache.get(key) : undefined;
    if (!entry) {
      const mark = url.indexOf("?");
      const path = mark < 0 ? url : url.slice(0, mark);
      const query = queryOf(mark < 0 ? "" : url.slice(mark + 1));
      let text: string | undefined;
      for (const route of routes) if ((text = route(path, query)) !== undefined) break;
      if (text === undefined) return false;
      const plain = Buffer.from(text);
      // Bodies under 1 KB are sent as they are, as the app sends them.
      const sent: Coding = plain.byteLength >= MIN_COMPRESSED_BYTES ? coding : "identity";
      entry = { body: sent === "identity" ? plain : Buffer.from(compressBody(plain, sent)), sent };
      if (coding !== "identity" || cachePlain) cache.set(key, entry);
    }
    const { body, sent } = entry;
    response.writeHead(200, {
      ...COMMON_HEADERS,
      ...(sent === "identity" ? {} : { "content-encoding": sent }),
      "content-length": body.byteLength,
      etag: codedEtag(etag, sent),
    });
    response.end(body);
    return true;
  };

  return (request, response) => {
    let handled = false;
    try {
      handled = answer(request, response);
    } catch {
      handled = false; // the app answers it, with the right status and problem
    }
    if (!handled) void app(request, response);
  };
}

/**
 * The query string as Hono's validator reads it: one value as a string, several as a list.
 * Malformed percent-encoding throws, and the app answers (it decodes such text its own way).
 */
function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (!search) return query;
  decodeURIComponent(search);
  for (const [key, value] of new URLSearchParams(search)) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}
