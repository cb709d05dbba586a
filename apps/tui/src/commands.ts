import { codeEventType, vocabularyLabel, type ActorListItem, type EventListItem, type PlaceListItem, type SourceListItem } from "@backchannel/schema";
import { unwrap, type Connection } from "./data.js";
import { dateCell, fit } from "./format.js";

export type ListCommand = "events" | "actors" | "sources" | "places";
export type Format = "table" | "json" | "csv" | "ndjson";
type Query = Record<string, string | string[]>;
type Write = (text: string) => void;

type Items = { events: EventListItem; actors: ActorListItem; sources: SourceListItem; places: PlaceListItem };

/** Columns of each list's table: a width, or 0 for the last column that takes the rest. */
const TABLES: { [K in ListCommand]: { columns: [string, number][]; row: (item: Items[K]) => string[] } } = {
  events: {
    columns: [["date", 12], ["type", 16], ["sources", 8], ["id", 48], ["title", 0]],
    row: (event: EventListItem) => [dateCell(event), codeEventType(event.type).label, String(event.sourcing.sources), event.id, event.title],
  },
  actors: {
    columns: [["id", 34], ["kind", 18], ["country", 8], ["events", 7], ["name", 0]],
    row: (actor) => [actor.id, vocabularyLabel("actorKind", actor.kind), actor.country ?? "", String(actor.eventCount), actor.name],
  },
  sources: {
    columns: [["published", 12], ["id", 42], ["events", 7], ["title", 0]],
    row: (source) => [source.published.date, source.id, String(source.eventCount), source.title ?? source.description],
  },
  places: {
    columns: [["id", 30], ["kind", 8], ["country", 8], ["events", 7], ["name", 0]],
    row: (place) => [place.id, vocabularyLabel("placeKind", place.kind), place.country ?? "", String(place.eventCount), place.name],
  },
};

function fetchPage(connection: Connection, command: ListCommand, query: Query) {
  const api = connection.client.api.v1;
  if (command === "events") return unwrap(api.events.$get({ query: query as never }));
  if (command === "actors") return unwrap(api.actors.$get({ query: query as never }));
  if (command === "sources") return unwrap(api.sources.$get({ query: query as never }));
  return unwrap(api.places.$get({ query: query as never }));
}

/**
 * Prints a list for scripts and pipes: CSV and NDJSON straight from the API (every matching
 * row), JSON as one array, or an aligned table. `limit` caps the rows (all by default).
 */
export async function printList(connection: Connection, command: ListCommand, query: Query, format: Format, write: Write, width = 120, limit = Infinity) {
  if (format === "csv" || format === "ndjson") {
    const api = connection.client.api.v1;
    const response = await api[command].$get({ query: { ...query, format } as never });
    if (response.status !== 200) await unwrap(response as never);
    const text = await response.text();
    if (limit === Infinity) return write(text);
    const lines = text.split(/(?<=\n)/);
    return write(lines.slice(0, limit + (format === "csv" ? 1 : 0)).join(""));
  }
  const rows: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = (await fetchPage(connection, command, { ...query, limit: String(Math.min(500, limit)), ...(cursor ? { cursor } : {}) })) as { data: unknown[]; page: { next: string | null } };
    rows.push(...page.data);
    cursor = page.page.next ?? undefined;
  } while (cursor && rows.length < limit);
  const shown = rows.slice(0, limit);
  if (format === "json") return write(`${JSON.stringify(shown, null, 2)}\n`);
  const { columns, row } = TABLES[command];
  const fixed = columns.reduce((sum, [, w]) => sum + w, 0);
  const widths = columns.map(([, w]) => w || Math.max(20, width - fixed));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : fit(cell, widths[i]! - 1) + " ")).join("").trimEnd();
  write(`${line(columns.map(([name]) => name))}\n`);
  for (const item of shown) write(`${line(row(item as never))}\n`);
}

/** `show <kind> <id>`: one record as JSON. */
export async function printRecord(connection: Connection, kind: string, id: string, write: Write) {
  const api = connection.client.api.v1;
  const record =
    kind === "event"
      ? await unwrap(api.events[":id"].$get({ param: { id } }))
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
  write(`${JSON.stringify(record, null, 2)}\n`);
}

export async function printSearch(connection: Connection, q: string, format: Format, write: Write) {
  const result = await unwrap(connection.client.api.v1.search.$get({ query: { q, limit: "50" } }));
  if (format === "json") return write(`${JSON.stringify(result.data, null, 2)}\n`);
  for (const hit of result.data) write(`${fit(hit.kind, 8)}${fit(hit.id, 50)}${hit.label}\n`);
}
