import type { z } from "zod";
import { isDescending, sortKeyOf, type PageInfoSchema, type Event, type EventDetail, type EventListItem, type EventSort, type EventsQuery, type Place, type Post, type Source } from "@backchannel/schema";
import { eventDetail } from "@backchannel/dataset/views";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { BadRequestError, NotFoundError } from "./errors.js";
import { filterEvents, whereClause, type SqlFragment } from "./event-filters.js";
import { requireKnownIds } from "./known-ids.js";
import type { PageInput, Row, SnapshotReader } from "./reader.js";

/** Rows an export reads at a time. */
const EXPORT_BATCH = 500;

/** The column each keyed sort orders by (ties by rowid, which is date order); `date` is rowid order itself. */
const SORT_COLUMNS = { type: "e.type_key", title: "e.title_key" } as const;

/** Where a page starts: after the last row served, as (rowid) or (sort text, rowid). */
type Position = { rowid: number; text?: string };

/** How one sort reads the events: its ORDER BY, and the conditions for rows after or up to a position. */
function ordering(sort: EventSort) {
  const key = sortKeyOf(sort);
  const descending = isDescending(sort);
  const direction = descending ? "DESC" : "ASC";
  const column = key === "date" ? undefined : SORT_COLUMNS[key];
  const bound = (compare: string, position: Position) =>
    column ? { sql: `(${column}, e.rowid) ${compare} (?, ?)`, params: [position.text, position.rowid] } : { sql: `e.rowid ${compare} ?`, params: [position.rowid] };
  return {
    column,
    orderBy: column ? `${column} ${direction}, e.rowid ${direction}` : `e.rowid ${direction}`,
    /** Rows after the position, for the next page. */
    after: (position: Position) => bound(descending ? "<" : ">", position),
    /** Rows up to and including the position, for counting the rows before a page. */
    through: (position: Position) => bound(descending ? ">=" : "<=", position),
    width: column ? 2 : 1,
  };
}

/** What the build stored per event: its list JSON (pages, NDJSON) and its CSV line (CSV exports). */
const STORED = { json: { table: "event_lists", column: "json" }, csv: { table: "event_csv", column: "line" } } as const;
type Stored = keyof typeof STORED;

/** Rows parsed a few hundred at a time, as one JSON array: a fifth cheaper than one parse a row (a GeoJSON export of a million). */
const PARSE_BATCH = 256;

function* parsed(rows: Iterable<string>): Generator<EventListItem> {
  let batch: string[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length < PARSE_BATCH) continue;
    yield* JSON.parse(`[${batch.join(",")}]`) as EventListItem[];
    batch = [];
  }
  if (batch.length) yield* JSON.parse(`[${batch.join(",")}]`) as EventListItem[];
}

/** The events: pages in any sort, exports, one event in full, and the events of other records' pages. */
export class EventStore {
  constructor(private readonly reader: SnapshotReader) {}

  private get sql() {
    return this.reader.sql;
  }

  /**
   * A page of events as their stored list JSON, with its cursor, position and total. The rows
   * are the text written at build time: a page is assembled without parsing or encoding them.
   */
  private page(query: EventsQuery & PageInput): { rows: string[]; page: z.output<typeof PageInfoSchema> } {
    const order = ordering(query.sort);
    const filter = filterEvents(this.reader, query);
    const scope = this.reader.scope(`events:${query.sort}`, query);
    // The cursor carries only where the last page ended; total and position are counted here.
    const position = this.position(decodeCursor(query.cursor, scope, order.width));
    const rows = this.rows(filter, query.sort, position, query.limit + 1);
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    /** Matching rows, or those up to and including `through` in the list's order. */
    const countMatching = (through?: Position) => {
      const upTo = through && order.through(through);
      // One list filter alone and a date order: counted from the side table's index.
      if (filter.countOnly && !order.column) {
        return this.reader.count(`FROM (${filter.countOnly.sql}) m ${upTo ? `WHERE ${upTo.sql.replace("e.rowid", "m.event")}` : ""}`, [...filter.countOnly.params, ...(upTo?.params ?? [])]);
      }
      return this.reader.count(`FROM events e ${whereClause(filter, upTo ? [upTo.sql] : [])}`, [...filter.params, ...(upTo?.params ?? [])]);
    };
    const counted = countMatching();
    // Rows before this page: those up to and including the last one the previous page served.
    const before = position === undefined ? { total: 0, totalExact: true } : countMatching(position);
    return {
      rows: this.storedJson(page),
      page: {
        next: more && last ? encodeCursor(scope, order.column ? [last.sort_text as string, last.r as number] : [last.r as number]) : null,
        offset: before.total,
        offsetExact: before.totalExact,
        ...counted,
      },
    };
  }

  private position(key: (string | number)[] | undefined): Position | undefined {
    if (key === undefined) return undefined;
    const rowid = key.at(-1);
    const text = key.length === 2 ? key[0] : undefined;
    if (!Number.isSafeInteger(rowid) || (key.length === 2 && typeof text !== "string")) {
      throw new BadRequestError("invalid cursor", [{ path: "cursor", message: "not a cursor this list produced" }]);
    }
    return { rowid: rowid as number, ...(text === undefined ? {} : { text: text as string }) };
  }

  /** A page of events, parsed: for pages that embed one (an actor's events). */
  list(query: EventsQuery & PageInput): { data: EventListItem[]; page: z.output<typeof PageInfoSchema> } {
    const { rows, page } = this.page(query);
    return { data: rows.map((row) => JSON.parse(row) as EventListItem), page };
  }

  /** The same page as JSON text, assembled from the stored rows. */
  listJson(query: EventsQuery & PageInput): string {
    const { rows, page } = this.page(query);
    return `{"data":[${rows.join(",")}],"page":${JSON.stringify(page)}}`;
  }

  /** Up to `limit` matching rows (rowid, and the sort's text) in the sort's order, after `position`: narrow rows only. */
  private rows(filter: SqlFragment, sort: EventSort, position: Position | undefined, limit: number): Row[] {
    const order = ordering(sort);
    const keyset = position ? order.after(position) : undefined;
    return this.sql(
      `SELECT e.rowid AS r${order.column ? `, ${order.column} AS sort_text` : ""} FROM events e ${whereClause(filter, keyset ? [keyset.sql] : [])} ORDER BY ${order.orderBy} LIMIT ?`,
    ).all(...filter.params, ...(keyset?.params ?? []), limit) as Row[];
  }

  /** The stored list JSON (or CSV line) of these rows, in their order: one statement, each row by its key. */
  private storedJson(rows: Row[], stored: Stored = "json"): string[] {
    if (rows.length === 0) return [];
    const { table, column } = STORED[stored];
    return this.sql(`SELECT l.${column} FROM json_each(?) j JOIN ${table} l ON l.event = j.value ORDER BY j.key`)
      .pluck()
      .all(JSON.stringify(rows.map((row) => row.r))) as string[];
  }

  /**
   * Every matching event in order as its stored list JSON, a batch at a time, uncounted: CSV,
   * NDJSON and GeoJSON exports. Unknown ids are checked now, while they can still be a 400
   * rather than a stream cut short.
   */
  allJson(query: EventsQuery): Generator<string> {
    requireKnownIds(this.sql, query);
    return this.eachJson(query);
  }

  /** Every matching event in order as its stored CSV line (no line break), as `allJson` reads the JSON. */
  allCsv(query: EventsQuery): Generator<string> {
    requireKnownIds(this.sql, query);
    // A snapshot built before CSV lines were stored fails here, as a 500 before the stream starts, not as a stream cut short.
    this.sql("SELECT line FROM event_csv LIMIT 0");
    return this.eachJson(query, "csv");
  }

  /** Every matching event in order, parsed (the ids checked now, as for `allJson`). */
  all(query: EventsQuery): Generator<EventListItem> {
    return parsed(this.allJson(query));
  }

  private *eachJson(query: EventsQuery, stored: Stored = "json"): Generator<string> {
    const filter = filterEvents(this.reader, query);
    if (filter.where.length === 0 && sortKeyOf(query.sort) === "date") return yield* this.everyJson(isDescending(query.sort), stored);
    let position: Position | undefined;
    for (;;) {
      // Batches: each is one synchronous stretch of work between an export's turns.
      const rows = this.rows(filter, query.sort, position, EXPORT_BATCH);
      yield* this.storedJson(rows, stored);
      if (rows.length < EXPORT_BATCH) return;
      const last = rows.at(-1)!;
      position = { rowid: last.r as number, ...(last.sort_text === undefined ? {} : { text: last.sort_text as string }) };
    }
  }

  /**
   * Every event's stored list JSON (or CSV line) in date order (rowid order), read from its table alone: an
   * unfiltered export does not read the events' full documents, so it reads (and maps) a third of the file.
   */
  private *everyJson(descending: boolean, stored: Stored = "json"): Generator<string> {
    const { table, column } = STORED[stored];
    const batch = this.sql(
      descending
        ? `SELECT event, ${column} AS text FROM ${table} WHERE event < ? ORDER BY event DESC LIMIT ?`
        : `SELECT event, ${column} AS text FROM ${table} WHERE event > ? ORDER BY event LIMIT ?`,
    );
    for (let after = descending ? Number.MAX_SAFE_INTEGER : 0; ; ) {
      const rows = batch.all(after, EXPORT_BATCH) as { event: number; text: string }[];
      for (const row of rows) yield row.text;
      if (rows.length < EXPORT_BATCH) return;
      after = rows.at(-1)!.event;
    }
  }

  /** Events matching a condition, in date order, at most `limit`: the events of a source's or a place's page. */
  where(sql: string, params: unknown[], limit = 500): EventListItem[] {
    const rows = this.sql(`SELECT e.rowid AS r FROM events e WHERE ${sql} ORDER BY e.rowid LIMIT ?`).all(...params, limit) as Row[];
    return this.storedJson(rows).map((json) => JSON.parse(json) as EventListItem);
  }

  /** One event in full: its places, citations joined to their sources, related events both ways. */
  get(id: string): EventDetail {
    const sql = this.sql;
    const row = sql("SELECT e.rowid AS r FROM events e WHERE e.id = ?").get(id) as Row | undefined;
    if (!row) throw new NotFoundError("event", id);
    const [json] = this.storedJson([row]);
    const reader = this.reader;
    const parse = (doc: string) => JSON.parse(doc) as Event;
    return eventDetail(JSON.parse(json!) as EventListItem, {
      source: (source) => reader.docOf<Source>("sources", source),
      actorName: (actor) => reader.nameOf(actor),
      place: (place) => reader.docOf<Place>("places", place),
      postTitle: (post) => reader.docOf<Post>("posts", post)?.title,
      event: (other) => {
        const found = sql("SELECT doc FROM events WHERE id = ?").get(other) as { doc: string } | undefined;
        return found && parse(found.doc);
      },
      relatedTo: (target) =>
        (sql("SELECT r.type, e.doc FROM relations r JOIN events e ON e.rowid = r.event WHERE r.target = ? ORDER BY e.rowid").all(target) as { type: Event["relations"][number]["type"]; doc: string }[]).map(
          (related) => ({ type: related.type, event: parse(related.doc) }),
        ),
    });
  }

  private readonly coordinates = new Map<string, { id: string; name: string; latitude: number; longitude: number } | undefined>();

  /** A place's name and coordinates, remembered: exports ask for the same few places again and again. */
  placeCoordinates(id: string) {
    if (!this.coordinates.has(id)) {
      const row = this.sql("SELECT id, name, latitude, longitude FROM places WHERE id = ?").get(id) as { id: string; name: string; latitude: number; longitude: number } | undefined;
      this.coordinates.set(id, row);
    }
    return this.coordinates.get(id);
  }
}
