import type { Context } from "hono";
import { csvHeader, csvLine, type Column } from "@backchannel/dataset/csv";

// The CSV column definitions and field rules are shared with the snapshot builder, which stores each event's line.
export { join, type Column } from "@backchannel/dataset/csv";

export type Format = "json" | "csv" | "ndjson" | "geojson" | "atom";

const MEDIA_TYPES: Record<Format, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8; header=present",
  ndjson: "application/x-ndjson; charset=utf-8",
  geojson: "application/geo+json; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
};

/** The media types an Accept header may ask for instead of JSON, in the order they are tried. */
const ACCEPTED: readonly [RegExp, Format][] = [
  [/\btext\/csv\b/, "csv"],
  [/\bapplication\/(x-)?ndjson\b/, "ndjson"],
  [/\bapplication\/geo\+json\b/, "geojson"],
  [/\bapplication\/atom\+xml\b/, "atom"],
];

/** `?format=` wins; otherwise the Accept header, among the formats this list offers; JSON by default. */
export function negotiate<Allowed extends Format>(c: Context, requested: Allowed | undefined, allowed: readonly Allowed[]): Allowed | "json" {
  if (requested) return requested;
  const accept = c.req.header("Accept");
  if (!accept) return "json";
  for (const [pattern, format] of ACCEPTED) if (pattern.test(accept) && (allowed as readonly Format[]).includes(format)) return format as Allowed;
  return "json";
}

const encoder = new TextEncoder();

/**
 * Characters of text encoded per chunk (about 64 KB): few enough pieces through the streams and
 * the socket that they cost little, and short enough that a chunk of an export is a short turn
 * between other requests. A chunk ends after the row that crosses the bound, so it holds at most
 * this much and one row.
 */
export const EXPORT_CHUNK_CHARS = 64 * 1024;

/** Text pieces from a (synchronous) iterable, streamed a chunk at a time. */
export const textStream = (pieces: Iterable<string>) => streamOf(pieces[Symbol.iterator]());

/**
 * Pulls pieces from a (synchronous) iterator a chunk at a time, only when the reader wants one, so
 * memory stays flat for any size; a reader that cancels ends the iterator (its `finally` runs).
 */
function streamOf(chunks: Iterator<string>): ReadableStream<Uint8Array> {
  return new ReadableStream(
    {
      pull(controller) {
        let batch = "";
        while (batch.length < EXPORT_CHUNK_CHARS) {
          const next = chunks.next();
          if (next.done) {
            if (batch) controller.enqueue(encoder.encode(batch));
            controller.close();
            return;
          }
          batch += next.value;
        }
        controller.enqueue(encoder.encode(batch));
      },
      cancel() {
        chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** `?bom=true`: CSV for Excel, which reads UTF-8 without a byte order mark as the local code page. */
export interface ExportOptions {
  bom?: "true" | "false" | undefined;
}

/** CSV text: the BOM on `?bom=true`, the header row from the columns, then each line as given. */
function* csvText(columns: readonly Column<never>[], lines: Iterable<string>, options: ExportOptions): Generator<string> {
  if (options.bom === "true") yield "\uFEFF";
  yield `${csvHeader(columns)}\r\n`;
  for (const line of lines) yield `${line}\r\n`;
}

function* csvLines<T>(rows: Iterable<T>, columns: readonly Column<T>[]): Generator<string> {
  for (const row of rows) yield csvLine(row, columns);
}

function* ndjsonLines<T>(rows: Iterable<T>): Generator<string> {
  for (const row of rows) yield `${JSON.stringify(row)}\n`;
}

export function streamResponse(c: Context, format: Exclude<Format, "json">, body: ReadableStream<Uint8Array>, filename: string): Response {
  const extension = format === "geojson" ? "geojson" : format;
  return c.body(body, 200, {
    "content-type": MEDIA_TYPES[format],
    "content-disposition": `inline; filename="${filename}.${extension}"`,
  });
}

export function csvResponse<T>(c: Context, rows: Iterable<T>, columns: readonly Column<T>[], filename: string, options: ExportOptions = {}): Response {
  return storedCsvResponse(c, columns, csvLines(rows, columns), filename, options);
}

/** CSV of lines laid out at build time from these columns (an event's stored line): streamed as they are. */
export function storedCsvResponse(c: Context, columns: readonly Column<never>[], lines: Iterable<string>, filename: string, options: ExportOptions = {}): Response {
  return streamResponse(c, "csv", textStream(csvText(columns, lines, options)), filename);
}

export function ndjsonResponse<T>(c: Context, rows: Iterable<T>, filename: string): Response {
  return streamResponse(c, "ndjson", streamOf(ndjsonLines(rows)[Symbol.iterator]()), filename);
}

/** A GeoJSON FeatureCollection written feature by feature. */
export function geojsonResponse<T>(c: Context, features: Iterable<T>, filename: string): Response {
  function* pieces(): Generator<string> {
    yield '{"type":"FeatureCollection","features":[';
    let first = true;
    for (const feature of features) {
      yield `${first ? "" : ","}${JSON.stringify(feature)}`;
      first = false;
    }
    yield "]}\n";
  }
  return streamResponse(c, "geojson", streamOf(pieces()), filename);
}

/** CSV or NDJSON of every row, as a streamed alternate of a JSON list. */
export function exportRows<T>(c: Context, format: "csv" | "ndjson", rows: Iterable<T>, columns: readonly Column<T>[], filename: string, options: ExportOptions = {}): never {
  return alternate(format === "csv" ? csvResponse(c, rows, columns, filename, options) : ndjsonResponse(c, rows, filename));
}

/**
 * CSV, NDJSON and GeoJSON are streamed alternates of a JSON list: they stay out of the typed
 * client's contract (which is the JSON shape) and are added to the OpenAPI document by
 * `withAlternateFormats`.
 */
export const alternate = (response: Response): never => response as never;

const FORMAT_MEDIA: Record<Exclude<Format, "json">, { type: string; schema: Record<string, unknown> }> = {
  csv: { type: "text/csv", schema: { type: "string", description: "RFC 4180 with a header row: every matching row (with a UTF-8 byte order mark on `bom=true`)" } },
  ndjson: { type: "application/x-ndjson", schema: { type: "string", description: "one JSON object a line: every matching row" } },
  geojson: { type: "application/geo+json", schema: { $ref: "#/components/schemas/EventFeatureCollection" } },
  atom: { type: "application/atom+xml", schema: { type: "string", description: "an Atom feed (RFC 4287) of the newest `limit` events of the view, each entry `updated` when the event last changed in the record" } },
};

export type OpenApiDocument = {
  paths?: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, any>; headers?: Record<string, any> };
};

/** Lists each route's alternate formats (from its `format` parameter) beside its JSON response. */
export function withAlternateFormats<T extends OpenApiDocument>(document: T): T {
  for (const operations of Object.values(document.paths ?? {})) {
    const get = operations.get;
    const format = get?.parameters?.find((parameter: any) => parameter.name === "format" && parameter.in === "query");
    const ok = get?.responses?.["200"];
    if (!format || !ok?.content) continue;
    const reference = /^#\/components\/schemas\/(.+)$/.exec(format.schema?.$ref ?? "")?.[1];
    const schema = reference ? document.components?.schemas?.[reference] : format.schema;
    for (const value of (schema?.enum ?? []) as Format[]) {
      if (value === "json") continue;
      ok.content[FORMAT_MEDIA[value].type] = { schema: FORMAT_MEDIA[value].schema };
    }
    ok.headers = { ...ok.headers, "Content-Disposition": { description: "CSV, NDJSON and GeoJSON: `inline` with a file name", schema: { type: "string" } } };
  }
  return document;
}
