import { codeEventType, vocabularyLabel, type ActorListItem, type EventListItem, type PlaceListItem, type SourceListItem } from "@backchannel/schema";
import { unwrap, type Connection } from "./data.js";
import { dateCell, fit, publishedCell } from "./format.js";

export type ListCommand = "events" | "actors" | "sources" | "places";
export type Format = "table" | "json" | "csv" | "ndjson";
export const FORMATS: readonly Format[] = ["table", "json", "csv", "ndjson"];
type Query = Record<string, string | string[]>;

/** Where output goes: waits when the reader is slower (backpressure), so memory stays flat. */
export type Write = (text: string | Uint8Array) => void | Promise<void>;

export interface ListOptions {
  /** Rows at most (all by default). */
  limit?: number;
  /** The terminal's width, or undefined when stdout is not a terminal: then nothing is cut. */
  width?: number | undefined;
  /** Start CSV with a UTF-8 byte order mark (for spreadsheet programs that want one). */
  bom?: boolean;
}

type Items = { events: EventListItem; actors: ActorListItem; sources: SourceListItem; places: PlaceListItem };

/** Columns of each list's table; the last one takes what is left of a terminal's width. Ids are never cut. */
const TABLES: { [K in ListCommand]: { columns: string[]; row: (item: Items[K]) => string[] } } = {
  events: { columns: ["date", "type", "sources", "id", "title"], row: (event) => [dateCell(event), codeEventType(event.type).label, String(event.sourcing.sources), event.id, event.title] },
  actors: { columns: ["id", "kind", "country", "events", "name"], row: (actor) => [actor.id, vocabularyLabel("actorKind", actor.kind), actor.country ?? "", String(actor.eventCount), actor.name] },
  sources: { columns: ["published", "id", "events", "title"], row: (source) => [publishedCell(source.published), source.id, String(source.eventCount), source.title ?? source.description] },
  places: { columns: ["id", "kind", "country", "events", "name"], row: (place) => [place.id, vocabularyLabel("placeKind", place.kind), place.country ?? "", String(place.eventCount), place.name] },
};

function fetchPage(connection: Connection, command: ListCommand, query: Query) {
  const api = connection.client.api.v1;
  if (command === "events") return unwrap(api.events.$get({ query: query as never }));
  if (command === "actors") return unwrap(api.actors.$get({ query: query as never }));
  if (command === "sources") return unwrap(api.sources.$get({ query: query as never }));
  return unwrap(api.places.$get({ query: query as never }));
}

/** Every row, a JSON page at a time: memory holds one page, whatever the total. */
async function* pages(connection: Connection, command: ListCommand, query: Query, limit: number): AsyncGenerator<unknown[]> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = (await fetchPage(connection, command, { ...query, limit: String(Math.min(500, limit - seen)), ...(cursor ? { cursor } : {}) })) as { data: unknown[]; page: { next: string | null } };
    const rows = page.data.slice(0, limit - seen);
    seen += rows.length;
    yield rows;
    cursor = page.page.next ?? undefined;
  } while (cursor && seen < limit);
}

/**
 * Ends of rows in a CSV or NDJSON byte stream, so `--limit` can stop after N rows. In CSV a line
 * break inside a quoted field is not the end of a row.
 */
export function rowCounter(format: "csv" | "ndjson") {
  let quoted = false;
  /** The byte index just past the `wanted`-th row end in `chunk`, or -1; and how many ends it saw. */
  return (chunk: Uint8Array, wanted: number): { cut: number; rows: number } => {
    let rows = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (format === "csv" && byte === 0x22) quoted = !quoted;
      else if (byte === 0x0a && !quoted && ++rows === wanted) return { cut: i + 1, rows };
    }
    return { cut: -1, rows };
  };
}

/** CSV or NDJSON straight from the API's streamed export, part by part. */
async function streamExport(connection: Connection, command: ListCommand, query: Query, format: "csv" | "ndjson", write: Write, options: ListOptions) {
  const api = connection.client.api.v1;
  const response = (await api[command].$get({ query: { ...query, format } as never }, { headers: connection.exportHeaders ?? {} })) as unknown as Response;
  if (response.status !== 200) await unwrap(response as never);
  if (options.bom && format === "csv") await write("\uFEFF");
  // CSV has a header row before the data rows.
  let left = (options.limit ?? Infinity) + (format === "csv" ? 1 : 0);
  const count = rowCounter(format);
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const part = await reader.read();
      if (part.done) return;
      if (left === Infinity) {
        await write(part.value);
        continue;
      }
      const { cut, rows } = count(part.value, left);
      if (cut >= 0) return await write(part.value.subarray(0, cut));
      left -= rows;
      await write(part.value);
    }
  } finally {
    // Stops the export at its source when the output stops early (a limit, a closed pipe).
    await reader.cancel().catch(() => {});
  }
}

/**
 * Prints a list for scripts and pipes: CSV and NDJSON streamed from the API's export (every
 * matching row), JSON as one array written a page at a time, or an aligned table.
 */
export async function printList(connection: Connection, command: ListCommand, query: Query, format: Format, write: Write, options: ListOptions = {}) {
  const limit = options.limit ?? Infinity;
  if (format === "csv" || format === "ndjson") return streamExport(connection, command, query, format, write, options);
  if (format === "json") {
    let first = true;
    await write("[");
    for await (const rows of pages(connection, command, query, limit)) {
      for (const row of rows) {
        await write(`${first ? "\n" : ",\n"}  ${JSON.stringify(row)}`);
        first = false;
      }
    }
    return write(first ? "]\n" : "\n]\n");
  }
  const { columns, row } = TABLES[command];
  let widths: number[] | undefined;
  for await (const rows of pages(connection, command, query, limit)) {
    const cells = rows.map((item) => row(item as never));
    if (!widths) {
      // Sized to the header and the first page; a longer cell later pushes its line, never gets cut.
      widths = columns.map((name, i) => Math.max(name.length, ...cells.map((line) => [...line[i]!].length)));
      await write(`${line(columns, widths, options.width)}\n`);
    }
    for (const cellsOfRow of cells) await write(`${line(cellsOfRow, widths, options.width)}\n`);
  }
  if (!widths) await write(`${line(columns, columns.map((name) => name.length), options.width)}\n`);
}

/** One table line: columns padded to their widths; in a terminal the last one is cut to fit. */
export function line(cells: string[], widths: number[], terminalWidth: number | undefined): string {
  const flat = cells.map((cell) => cell.replace(/\s+/g, " "));
  const head = flat.slice(0, -1).map((cell, i) => cell + " ".repeat(Math.max(0, widths[i]! - [...cell].length))).join("  ");
  const last = flat.at(-1)!;
  if (terminalWidth === undefined) return `${head}  ${last}`.trimEnd();
  const room = Math.max(10, terminalWidth - [...head].length - 2);
  return `${head}  ${[...last].length > room ? fit(last, room) : last}`.trimEnd();
}

/** `show <kind> <id>`: one record as JSON. */
export async function printRecord(connection: Connection, kind: string, id: string, write: Write) {
  const api = connection.client.api.v1;
  const record =
    kind === "event"
      ? await unwrap(api.events[":id"].$get({ param: { id }, query: {} }))
      : kind === "actor"
        ? await unwrap(api.actors[":id"].$get({ param: { id }, query: {} }))
        : kind === "source"
          ? await unwrap(api.sources[":id"].$get({ param: { id }, query: {} }))
          : kind === "place"
            ? await unwrap(api.places[":id"].$get({ param: { id }, query: {} }))
            : kind === "post"
              ? await unwrap(api.posts[":id"].$get({ param: { id }, query: {} }))
              : undefined;
  if (record === undefined) throw new Error(`show takes event, actor, source, place or post, not "${kind}"`);
  await write(`${JSON.stringify(record, null, 2)}\n`);
}

export async function printSearch(connection: Connection, q: string, format: Format, write: Write) {
  const result = await unwrap(connection.client.api.v1.search.$get({ query: { q, limit: "100" } }));
  if (format === "json") return write(`${JSON.stringify(result.data, null, 2)}\n`);
  if (format === "ndjson") {
    for (const hit of result.data) await write(`${JSON.stringify(hit)}\n`);
    return;
  }
  const idWidth = Math.max(2, ...result.data.map((hit) => hit.id.length));
  for (const hit of result.data) await write(`${fit(hit.kind, 8)}${hit.id.padEnd(idWidth)}  ${hit.label}\n`);
}
