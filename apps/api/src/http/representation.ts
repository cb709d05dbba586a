import type { Context, MiddlewareHandler } from "hono";
import { LRUCache } from "lru-cache";
import {
  MIN_COMPRESSED_BYTES,
  codedEtag,
  compressBody,
  compressStream,
  isCompressible,
  matchesIfNoneMatch,
  negotiateCoding,
  varyOnEncoding,
  type Coding,
} from "./compression.js";
import { answerBody } from "./json-text.js";

/** The format part of an ETag, from the answer's media type: `application/geo+json` → `geojson`. */
function formatOf(contentType: string | null): string {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const subtype = type.split("/")[1] ?? "bin";
  return subtype.replace(/^x-/, "").replace(/^(.+)\+json$/, "$1json").replace(/[^a-z0-9]/g, "");
}

interface Stored {
  body: Uint8Array;
  headers: Record<string, string>;
}

/** Bytes an entry holds: its body, its key (UTF-16 in memory) and its header text. */
function storedBytes(entry: Stored, key: string): number {
  return entry.body.byteLength + key.length * 2 + Object.entries(entry.headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0) * 2;
}

export interface RepresentationOptions {
  /** Bound of the compressed answers kept, in bytes (bodies, keys and headers). */
  maxCachedBytes?: number;
}

/**
 * The dataset never changes under a running API, so each GET answer is one representation of
 * its URL for the whole life of the process. This layer gives it:
 * - one strong ETag per representation: dataset version, format and content coding
 *   (`"<version>-json"`, `"<version>-csv-br"`), and 304 on a matching If-None-Match;
 * - brotli or gzip as Accept-Encoding asks (`Vary: Accept, Accept-Encoding`), bodies under 1 KB
 *   as they are; a JSON answer is compressed once and kept (bounded), a streamed export is
 *   compressed as it flows;
 * - `Cache-Control: public, max-age=300` unless the route chose its own (`no-store` on the
 *   health check, which then gets no ETag and never a 304).
 */
export function representations(version: string, { maxCachedBytes = 32 * 1024 * 1024 }: RepresentationOptions = {}) {
  const cache = new LRUCache<string, Stored>({ maxSize: maxCachedBytes, sizeCalculation: storedBytes });

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const coding = negotiateCoding(c.req.header("Accept-Encoding"));
    const key = `${c.req.url}\u0000${c.req.header("Accept") ?? ""}\u0000${coding}`;
    const ifNoneMatch = c.req.header("If-None-Match");
    const hit = cache.get(key);
    if (hit) {
      if (matchesIfNoneMatch(ifNoneMatch, hit.headers.etag!)) return c.body(null, 304, withoutBodyHeaders(hit.headers));
      return c.body(hit.body.slice(), 200, hit.headers);
    }

    await next();
    const response = c.res;
    if (response.status >= 400) return;
    // Answers the store assembled (json-text.ts) are read as it made them, not from the Response's body stream.
    const made = answerBody(response);
    const headers = made === undefined ? new Headers(response.headers) : undefined;
    const contentType = made === undefined ? headers!.get("Content-Type") : response.headers.get("Content-Type");

    // A streamed export: its size is unknown, so it is compressed whenever the client accepts it.
    if (headers && headers.has("Content-Disposition") && response.body) {
      headers.set("Vary", varyOnEncoding("Accept"));
      const noStore = /\bno-store\b/.test(headers.get("Cache-Control") ?? "");
      if (!headers.has("Cache-Control")) headers.set("Cache-Control", "public, max-age=300");
      const streamed: Coding = isCompressible(contentType) ? coding : "identity";
      if (!noStore) headers.set("ETag", codedEtag(`"${version}-${formatOf(contentType)}"`, streamed));
      if (!noStore && matchesIfNoneMatch(ifNoneMatch, headers.get("ETag")!)) {
        await response.body.cancel();
        replace(c, new Response(null, { status: 304, headers: withoutBodyHeaders(Object.fromEntries(headers)) }));
        return;
      }
      if (streamed !== "identity") {
        headers.set("Content-Encoding", streamed);
        headers.delete("Content-Length");
      }
      // The API streams only exports (CSV, NDJSON, GeoJSON): compressed fast, at the pace they are read.
      replace(c, new Response(streamed === "identity" ? response.body : compressStream(response.body, streamed, "fast"), { status: response.status, headers }));
      return;
    }

    // Header names in lower case, as Node writes them from a Headers object: the same bytes on the wire either way.
    const stored: Record<string, string> = {};
    for (const [name, value] of headers ?? response.headers) stored[name] = value;
    // Text is sent as text (Node encodes it as it writes), and made bytes only to be compressed.
    const body = made ?? (response.body === null ? null : new Uint8Array(await response.arrayBuffer()));
    stored.vary = varyOnEncoding("Accept");
    const noStore = /\bno-store\b/.test(stored["cache-control"] ?? "");
    stored["cache-control"] ??= "public, max-age=300";
    const length = body === null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
    const sent: Coding = body !== null && isCompressible(contentType) && length >= MIN_COMPRESSED_BYTES && response.status === 200 ? coding : "identity";
    const encoded = body === null ? new Uint8Array(0) : sent === "identity" ? body : compressBody(typeof body === "string" ? Buffer.from(body) : body, sent);
    if (sent !== "identity") stored["content-encoding"] = sent;
    stored["content-length"] = String(sent === "identity" ? length : (encoded as Uint8Array).byteLength);
    if (!noStore) stored.etag = codedEtag(`"${version}-${formatOf(contentType)}"`, sent);
    if (!noStore && sent !== "identity") cache.set(key, { body: encoded as Uint8Array, headers: stored });
    if (!noStore && matchesIfNoneMatch(ifNoneMatch, stored.etag!)) {
      replace(c, new Response(null, { status: 304, headers: withoutBodyHeaders(stored) }));
      return;
    }
    replace(c, new Response(encoded, { status: response.status, headers: stored }));
  };
  return { middleware, cache };
}

/** Hono copies the old answer's headers onto a new one; ours already hold what should stay. */
function replace(c: Context, response: Response) {
  c.res = undefined;
  c.res = response;
}

/** A 304 carries the validators and caching headers, not the body's length, type or coding. */
function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const kept = { ...headers };
  for (const name of ["content-length", "content-type", "content-encoding", "content-disposition"]) delete kept[name];
  return kept;
}
