import { createHash } from "node:crypto";
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
} from "@backchannel/api/compression";

/**
 * A page depends only on the dataset version, its URL and the theme: rendered once, it is kept
 * with its headers and the compressed copies asked for so far, and a repeat visit is answered
 * from here (or with a 304) without rendering.
 */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  coded: { br?: Uint8Array; gzip?: Uint8Array };
}

/** Bytes an entry holds: bodies, the key (UTF-16 in memory) and the header text. */
function storedBytes(entry: StoredAnswer, key: string): number {
  const headers = Object.entries(entry.headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  return entry.body.byteLength + (entry.coded.br?.byteLength ?? 0) + (entry.coded.gzip?.byteLength ?? 0) + (key.length + headers) * 2;
}

/** Browsers revalidate every visit (ETag → 304); a shared cache may hold a page five minutes, as it does the API's answers. */
export const PAGE_CACHE_CONTROL = "public, max-age=0, must-revalidate, s-maxage=300";

export class AnswerCache {
  readonly entries: LRUCache<string, StoredAnswer>;

  constructor(readonly maxBytes: number) {
    // lru-cache needs a positive bound; with 0 nothing is stored (see hooks.server.ts).
    this.entries = new LRUCache<string, StoredAnswer>({ maxSize: Math.max(1, maxBytes), sizeCalculation: storedBytes });
  }

  get(key: string): StoredAnswer | undefined {
    return this.entries.get(key);
  }

  /** Reads a rendered answer whole and keeps it; its ETag names its bytes. */
  async store(key: string, response: Response): Promise<StoredAnswer> {
    const body = new Uint8Array(await response.arrayBuffer());
    const headers = Object.fromEntries(response.headers);
    headers.etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    headers["cache-control"] ??= PAGE_CACHE_CONTROL;
    headers.vary = varyOnEncoding(headers.vary ?? "Cookie");
    delete headers["content-length"];
    const entry: StoredAnswer = { status: response.status, headers, body, coded: {} };
    this.entries.set(key, entry);
    return entry;
  }

  /** The stored answer in the coding the request accepts (compressed once, then kept), or 304. */
  deliver(request: Request, key: string, entry: StoredAnswer): Response {
    const answer = this.prepare(request.headers.get("accept-encoding"), request.headers.get("if-none-match"), key, entry);
    return new Response(request.method === "HEAD" || answer.body === null ? null : answer.body.slice(), { status: answer.status, headers: answer.headers });
  }

  /** The same, as status, headers and bytes: for Kit (above) and for the server in front of it (server.js). */
  prepare(acceptEncoding: string | null | undefined, ifNoneMatch: string | null | undefined, key: string, entry: StoredAnswer) {
    const coding = isCompressible(entry.headers["content-type"]) && entry.body.byteLength >= MIN_COMPRESSED_BYTES ? negotiateCoding(acceptEncoding) : "identity";
    let body = entry.body;
    if (coding !== "identity") {
      const kept = entry.coded[coding];
      if (kept) body = kept;
      else {
        body = entry.coded[coding] = compressBody(entry.body, coding);
        // Counted again now that it holds one more copy; the bound may evict it (it is still answered).
        if (this.entries.peek(key) === entry) this.entries.set(key, entry);
      }
    }
    const headers: Record<string, string> = { ...entry.headers, etag: codedEtag(entry.headers.etag!, coding) };
    if (matchesIfNoneMatch(ifNoneMatch, headers.etag!)) return { status: 304, headers: validators(headers), body: null };
    if (coding !== "identity") headers["content-encoding"] = coding;
    headers["content-length"] = String(body.byteLength);
    return { status: entry.status, headers, body };
  }
}

/** What a 304 repeats of the full answer (RFC 9110 §15.4.5). */
function validators(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ["etag", "cache-control", "vary", "content-security-policy", "date", "expires"]) if (headers[name]) kept[name] = headers[name];
  return kept;
}

/**
 * An answer that is not kept (an export streamed through, a redirect, an error page):
 * compressed as it flows when the client accepts it and it is worth it, its ETag (if any)
 * naming the coding, and a 304 when the client already holds exactly this.
 */
export function deliverFresh(request: Request, response: Response): Response {
  if (response.status !== 200 || !response.body) return response;
  const headers = new Headers(response.headers);
  const length = Number(headers.get("content-length") ?? Number.NaN);
  const worth = isCompressible(headers.get("content-type")) && !headers.has("content-encoding") && !(length < MIN_COMPRESSED_BYTES);
  const coding = worth ? negotiateCoding(request.headers.get("accept-encoding")) : "identity";
  if (worth) headers.set("vary", varyOnEncoding(headers.get("vary")));
  const etag = headers.get("etag");
  if (etag) {
    headers.set("etag", codedEtag(etag, coding));
    if (matchesIfNoneMatch(request.headers.get("if-none-match"), headers.get("etag")!)) {
      void response.body.cancel();
      return new Response(null, { status: 304, headers: validators(Object.fromEntries(headers)) });
    }
  }
  if (coding === "identity") return new Response(response.body, { status: response.status, headers });
  headers.set("content-encoding", coding);
  headers.delete("content-length");
  return new Response(compressStream(response.body, coding), { status: response.status, headers });
}
