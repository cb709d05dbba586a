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
  /** Headers every GET or HEAD answer carries, errors included (the API's CORS headers). Names in lower case. */
  headers?: Readonly<Record<string, string>>;
  /** A step on the route's answer before it is represented (the API's export gate), run here rather than as one more middleware. */
  beforeRepresenting?: (c: Context) => Promise<void> | undefined;
}

/** Every answer's Vary: its bytes depend on the format asked (Accept) and the content coding. */
const VARY = varyOnEncoding("Accept");
const DEFAULT_CACHE_CONTROL = "public, max-age=300";

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
export function representations(version: string, { maxCachedBytes = 32 * 1024 * 1024, headers: always = {}, beforeRepresenting }: RepresentationOptions = {}) {
  const cache = new LRUCache<string, Stored>({ maxSize: maxCachedBytes, sizeCalculation: storedBytes });
  // An answer `jsonText` made has no other header than its type: its headers are known before it is made.
  const madeHeaders = (coding: Coding) => ({ ...always, "cache-control": DEFAULT_CACHE_CONTROL, "content-type": "application/json", vary: VARY, etag: codedEtag(`"${version}-json"`, coding) });
  const prepared: Record<Coding, Readonly<Record<string, string>>> = { identity: madeHeaders("identity"), br: madeHeaders("br"), gzip: madeHeaders("gzip") };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const acceptEncoding = c.req.header("Accept-Encoding");
    const coding = acceptEncoding ? negotiateCoding(acceptEncoding) : "identity";
    const ifNoneMatch = c.req.header("If-None-Match");
    // Only coded answers are kept (an identity answer costs nothing to send again): no key to build for the others.
    const key = coding === "identity" ? undefined : `${c.req.url}\u0000${c.req.header("Accept") ?? ""}\u0000${coding}`;
    const hit = key === undefined ? undefined : cache.get(key);
    if (hit) {
      // A Response of its own, not c.body(): Hono would copy the headers into a Headers object first.
      if (matchesIfNoneMatch(ifNoneMatch, hit.headers.etag!)) return new Response(null, { status: 304, headers: withoutBodyHeaders(hit.headers) });
      return new Response(hit.body.slice(), { status: 200, headers: Object.assign({}, hit.headers) });
    }

    await next();
    const step = beforeRepresenting?.(c);
    if (step) await step;
    const response = c.res;
    if (response.status >= 400) {
      for (const name in always) response.headers.set(name, always[name]!);
      return;
    }
    // Answers the store assembled (json-text.ts) are read as it made them, not from the Response's body stream.
    const made = answerBody(response);
    if (made !== undefined) {
      const length = typeof made === "string" ? Buffer.byteLength(made) : made.byteLength;
      const sent: Coding = length >= MIN_COMPRESSED_BYTES ? coding : "identity";
      // Object.assign: copying with a spread costs about ten times as much (measured), on every request.
      const stored: Record<string, string> = Object.assign({}, prepared[sent]);
      if (sent === "identity") {
        stored["content-length"] = String(length);
        if (matchesIfNoneMatch(ifNoneMatch, stored.etag!)) return replace(c, new Response(null, { status: 304, headers: withoutBodyHeaders(stored) }));
        // Text is sent as text: Node encodes it as it writes.
        return replace(c, new Response(made, { status: 200, headers: stored }));
      }
      return sendCoded(c, made, sent, stored, key!, ifNoneMatch);
    }

    const headers = new Headers(response.headers);
    for (const name in always) headers.set(name, always[name]!);
    const contentType = headers.get("Content-Type");

    // A streamed export: its size is unknown, so it is compressed whenever the client accepts it.
    if (headers.has("Content-Disposition") && response.body) {
      headers.set("Vary", VARY);
      const noStore = /\bno-store\b/.test(headers.get("Cache-Control") ?? "");
      if (!headers.has("Cache-Control")) headers.set("Cache-Control", DEFAULT_CACHE_CONTROL);
      const streamed: Coding = isCompressible(contentType) ? coding : "identity";
      if (!noStore) headers.set("ETag", codedEtag(`"${version}-${formatOf(contentType)}"`, streamed));
      if (!noStore && matchesIfNoneMatch(ifNoneMatch, headers.get("ETag")!)) {
        await response.body.cancel();
        return replace(c, new Response(null, { status: 304, headers: withoutBodyHeaders(Object.fromEntries(headers)) }));
      }
      if (streamed !== "identity") {
        headers.set("Content-Encoding", streamed);
        headers.delete("Content-Length");
      }
      // HEAD: the headers GET would send, and the stream ended here (Hono drops a HEAD's body unread, which held an export's slot for good).
      if (c.req.method === "HEAD") {
        await response.body.cancel();
        return replace(c, new Response(null, { status: response.status, headers }));
      }
      // The API streams only exports (CSV, NDJSON, GeoJSON): compressed fast, at the pace they are read.
      return replace(c, new Response(streamed === "identity" ? response.body : compressStream(response.body, streamed, "fast"), { status: response.status, headers }));
    }

    // Header names in lower case, as Node writes them from a Headers object: the same bytes on the wire either way.
    const stored: Record<string, string> = {};
    for (const [name, value] of headers) stored[name] = value;
    const body = response.body === null ? null : new Uint8Array(await response.arrayBuffer());
    stored.vary = VARY;
    const noStore = /\bno-store\b/.test(stored["cache-control"] ?? "");
    stored["cache-control"] ??= DEFAULT_CACHE_CONTROL;
    const length = body === null ? 0 : body.byteLength;
    const sent: Coding = body !== null && isCompressible(contentType) && length >= MIN_COMPRESSED_BYTES && response.status === 200 ? coding : "identity";
    if (!noStore) stored.etag = codedEtag(`"${version}-${formatOf(contentType)}"`, sent);
    if (sent !== "identity") return sendCoded(c, body!, sent, stored, noStore ? undefined : key!, noStore ? undefined : ifNoneMatch);
    stored["content-length"] = String(length);
    if (!noStore && matchesIfNoneMatch(ifNoneMatch, stored.etag!)) return replace(c, new Response(null, { status: 304, headers: withoutBodyHeaders(stored) }));
    replace(c, new Response(body ?? new Uint8Array(0), { status: response.status, headers: stored }));
  };

  /** A body compressed whole, kept under `key` (unless no-store), or 304 when If-None-Match names it. */
  function sendCoded(c: Context, body: string | Uint8Array, coding: Exclude<Coding, "identity">, stored: Record<string, string>, key: string | undefined, ifNoneMatch: string | undefined) {
    const encoded = compressBody(typeof body === "string" ? Buffer.from(body) : body, coding);
    stored["content-encoding"] = coding;
    stored["content-length"] = String(encoded.byteLength);
    if (key !== undefined) cache.set(key, { body: encoded, headers: stored });
    if (matchesIfNoneMatch(ifNoneMatch, stored.etag ?? "")) return replace(c, new Response(null, { status: 304, headers: withoutBodyHeaders(stored) }));
    replace(c, new Response(encoded, { status: c.res.status, headers: stored }));
  }

  return { middleware, cache };
}

/** Hono copies the old answer's headers onto a new one; ours already hold what should stay. */
function replace(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

/** A 304 carries the validators and caching headers, not the body's length, type or coding. */
function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const kept = { ...headers };
  for (const name of ["content-length", "content-type", "content-encoding", "content-disposition"]) delete kept[name];
  return kept;
}
