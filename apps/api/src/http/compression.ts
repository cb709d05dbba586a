import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { brotliCompressSync, constants, createBrotliCompress, createGzip, gzipSync } from "node:zlib";

/**
 * Content codings, shared by the API and the dashboard: brotli or gzip as the client accepts
 * them (brotli preferred on a tie), nothing for bodies too small to gain.
 */
export type Coding = "br" | "gzip" | "identity";

/** Bodies under this many bytes are sent as they are: the framing would eat the gain. */
export const MIN_COMPRESSED_BYTES = 1024;

/** Brotli 5 compresses better than gzip 6 at a similar speed; 11 would cost ~50× for a few % more. */
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

/** The coding to send for an Accept-Encoding header (RFC 9110 §12.5.3: q-values, `*`, `q=0`). */
export function negotiateCoding(acceptEncoding: string | null | undefined): Coding {
  if (!acceptEncoding) return "identity";
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (!name) continue;
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0);
  }
  const weightOf = (coding: string) => weights.get(coding) ?? weights.get("*") ?? 0;
  const [best] = (["br", "gzip"] as const).filter((coding) => weightOf(coding) > 0).sort((a, b) => weightOf(b) - weightOf(a));
  return best ?? "identity";
}

/** Text formats gain from compression; images (other than SVG), archives and the like do not. */
export function isCompressible(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type.startsWith("text/") || /^application\/([\w.-]+\+)?(json|x-ndjson|javascript|xml)$/.test(type) || type === "image/svg+xml";
}

/** One body compressed whole (for answers that are cached once compressed). */
export function compressBody(body: Uint8Array, coding: Exclude<Coding, "identity">): Uint8Array {
  const compressed =
    coding === "br"
      ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
      : gzipSync(body, { level: GZIP_LEVEL });
  return new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength);
}

/**
 * Brotli 1 and gzip 1 compress about four times as fast as 5 and 6, to 14–16 % of an export's size
 * rather than 10–12 %: a million-event export (900 MB) is compressed as fast as it is read
 * instead of taking the transfer from seconds to half a minute.
 */
const FAST_BROTLI_QUALITY = 1;
const FAST_GZIP_LEVEL = 1;

/**
 * A streamed body compressed as it flows, in bounded memory. `fast` for exports of any size, whose
 * compression would otherwise be the slowest step of the transfer.
 */
export function compressStream(body: ReadableStream<Uint8Array>, coding: Exclude<Coding, "identity">, speed: "balanced" | "fast" = "balanced"): ReadableStream<Uint8Array> {
  const fast = speed === "fast";
  const compressor =
    coding === "br"
      ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: fast ? FAST_BROTLI_QUALITY : BROTLI_QUALITY } })
      : createGzip({ level: fast ? FAST_GZIP_LEVEL : GZIP_LEVEL });
  const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  source.on("error", (error) => compressor.destroy(error));
  return Readable.toWeb(source.pipe(compressor)) as unknown as ReadableStream<Uint8Array>;
}

/** Adds `Accept-Encoding` to a Vary header, keeping what it already names. */
export function varyOnEncoding(vary: string | null): string {
  const names = (vary ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  if (!names.some((name) => name.toLowerCase() === "accept-encoding")) names.push("Accept-Encoding");
  return names.join(", ");
}

/** The ETag of a coded representation: the identity's tag with the coding appended inside the quotes. */
export function codedEtag(etag: string, coding: Coding): string {
  return coding === "identity" ? etag : etag.replace(/"$/, `-${coding}"`);
}

/** If-None-Match against one ETag, with the weak comparison RFC 9110 §13.1.2 asks for. */
export function matchesIfNoneMatch(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === bare);
}
