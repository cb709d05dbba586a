import type { z } from "zod";
import { isDescending, type PageInfoSchema, type EventDetail, type EventListItem, type EventsQuery } from "@backchannel/schema";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { BadRequestError, NotFoundError } from "./errors.js";
import { asList, daySpanOf, eventFilterSql, filterContext, filterEvents, monthlyCounts, whereClause, type SqlFragment } from "./event-filters.js";
import { EventIndex, listOrder } from "./event-index.js";
import { ReadOnce } from "./stepwise.js";
import type { TextIndex } from "./text-index.js";
import { requireKnownIds } from "./known-ids.js";
import { PostingLists } from "./posting-lists.js";
import { capped, COUNT_CAP, type Count, type PageInput, type Row, type SnapshotReader } from "./reader.js";

/** Rows an export reads at a time. */
const EXPORT_BATCH = 500;

/** The column each keyed sort orders by (ties by rowid, which is date order); `date` is rowid order itself. */
const SORT_COLUMNS = { type: "e.type_key", title: "e.title_key" } as const;

const PAGE_START = Buffer.from('{"data":[');

/** A page's rows: their stored list JSON read through SQLite, or their events in the in-memory index. */
type PageRows = { stored: Buffer[] } | { index: EventIndex; events: number[] };
const COMMA = Buffer.from(",");

/** Where a page starts: after the last row served, as (rowid) or (sort text, rowid). */
type Position = { rowid: number; text?: string };

/**
 * How a list of events is read: the table whose order it follows (the events, or one actor's
 * events in type order), the conditions, and the sort key and row id it is ordered by.
 */
interface ListPlan {
  from: string;
  filter: SqlFragment;
  /** The sort's text column; none for date order, which is row id order. */
  key: string | undefined;
  id: string;
  descending: boolean;
}

/** Rows after a position (`>`, the next page), or up to and including it (`<=`, the rows before a page), in the plan's order. */
function bound(plan: ListPlan, compare: "after" | "through", position: Position): { sql: string; params: unknown[] } {
  const operator = compare === "after" ? (plan.descending ? "<" : ">") : plan.descending ? ">=" : "<=";
  return plan.key ? { sql: `(${plan.key}, ${plan.id}) ${operator} (?, ?)`, params: [position.text, position.rowid] } : { sql: `${plan.id} ${operator} ?`, params: [position.rowid] };
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
  /** The filter values' events as sorted rowid lists, for counts no single index answers (posting-lists.ts). */
  readonly postings: PostingLists;

  constructor(
    private readonly reader: SnapshotReader,
    private readonly options: {
      index?: boolean | undefined;
      /** The full-text index in memory (insight.ts), which a `q` filter of a list read from memory reads. */
      textIndex?: () => TextIndex | undefined;
    } = {},
  ) {
    this.postings = new PostingLists(
      (text) => this.reader.sql(text),
      (filter, value) => filterContext(this.reader).estimate(filter, [value], undefined, undefined),
      this.reader.meta.counts.events,
    );
  }

  private get sql() {
    return this.reader.sql;
  }

  /**
   * How the events of a query are read. One actor's events in type order come from the
   * actor's range of `actor_event_types` (joined to the events for any other filter), so a hub
   * actor's page is never sorted whole; every other list reads the events table, by its indexes.
   */
  private plan(query: EventsQuery): ListPlan {
    const key = listOrder(query);
    const descending = isDescending(query.sort);
    const actors = [...new Set(asList(query.actor))];
    if (key === "type" && actors.length === 1) {
      requireKnownIds(this.sql, query);
      const rest = eventFilterSql({ ...query, actor: undefined, actorMode: undefined }, filterContext(this.reader));
      // Filters of the event's id are checked by `a.event`: the events' rows are read only for their columns.
      const checks = rest.where.map((sql) => sql.replaceAll("e.rowid", "a.event"));
      return {
        from: checks.some((sql) => /\be\./.test(sql)) ? "actor_event_types a JOIN events e ON e.rowid = a.event" : "actor_event_types a",
        filter: { where: ["a.actor = ?", ...checks], params: [actors[0], ...rest.params] },
        key: "a.type_key",
        id: "a.event",
        descending,
      };
    }
    const filter = filterEvents(this.reader, query, key === "date" ? "page" : key);
    // In date order, through the narrowest list's index when one is (its table, or its distinct events, the outer loop).
    if (key === "date" && filter.driven) {
      const { from, id, where, params } = filter.driven;
      return { from, filter: { where, params, ...(filter.countOnly ? { countOnly: filter.countOnly } : {}) }, key: undefined, id, descending };
    }
    return { from: "events e", filter, key: key === "date" ? undefined : SORT_COLUMNS[key], id: "e.rowid", descending };
  }

  /**
   * A page of events as their stored list JSON, with its cursor, position and total. The rows
   * are the bytes written at build time: a page is assembled without parsing or encoding them.
   */
  private page(query: EventsQuery & PageInput): { rows: PageRows; page: z.output<typeof PageInfoSchema> } {
    const index = this.index();
    if (index?.knowsIds(query)) {
      const text = query.q === undefined ? undefined : this.textMatches(index, query.q);
      if (query.q === undefined || text !== undefined) return this.indexedPage(index, query, text);
    }
    const plan = this.plan(query);
    const scope = this.reader.scope(`events:${query.sort}`, query);
    // The cursor carries only where the last page ended; total and position are counted here.
    const position = this.position(decodeCursor(query.cursor, scope, plan.key ? 2 : 1));
    const rows = this.rows(plan, position, query.limit + 1, "bytes");
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    // Rows before this page: those up to and including the last one the previous page served.
    const before = position === undefined ? { total: 0, totalExact: true } : this.countThrough(query, plan, position);
    return {
      rows: { stored: page.map((row) => row[2] as Buffer) },
      page: {
        next: more && last ? encodeCursor(scope, plan.key ? [last[1] as string, last[0] as number] : [last[0] as number]) : null,
        offset: before.total,
        offsetExact: before.totalExact,
        ...this.total(query, plan),
      },
    };
  }

  /**
   * The events a full-text filter selects, from memory, as `filterContext`'s `matchText` selects
   * them through SQLite: the text's matches and the events of the actors its words name. Undefined
   * when the full-text index is not in memory or cannot answer the words (a phrase).
   */
  private textMatches(index: EventIndex, q: string): Int32Array | undefined {
    const texts = this.options.textIndex?.();
    if (!texts) return undefined;
    const { terms, actors } = this.reader.textFilter(q);
    const refs = terms ? texts.refsOf(terms, "event") : [];
    return refs && index.textMatches(refs.map(Number), actors);
  }

  /** The same page read from memory (event-index.ts): the same rows, cursor, position and total. */
  private indexedPage(index: EventIndex, query: EventsQuery & PageInput, text?: Int32Array): { rows: PageRows; page: z.output<typeof PageInfoSchema> } {
    const span = daySpanOf(query);
    const keyed = listOrder(query) !== "date";
    const scope = this.reader.scope(`events:${query.sort}`, query);
    const found = index.page(query, this.position(decodeCursor(query.cursor, scope, keyed ? 2 : 1)), span, text);
    const before = capped(found.before);
    return {
      rows: { index, events: found.events },
      page: { next: found.next ? encodeCursor(scope, found.next) : null, offset: before.total, offsetExact: before.totalExact, ...capped(found.total) },
    };
  }

  private readonly memory = new ReadOnce(() => (this.options.index === false ? undefined : EventIndex.reading(this.reader)));

  /** The in-memory index of the events, read on first use; none for a snapshot too large to hold. */
  index(): EventIndex | undefined {
    return this.memory.now();
  }

  /** Reads the index (as `index()`), giving the event loop a turn every few thousand rows. */
  readIndexYielding(): Promise<void> {
    return this.memory.yielding();
  }

  /** What the first filtered page of a snapshot beyond the in-memory index reads: the counts built with it, for each page's estimates. */
  *warmingCounts(): Generator<void> {
    monthlyCounts(this.reader);
    yield;
  }

  /** Every vocabulary value's events, a chunk at a time: what counts of lists alone read. */
  *warmingLists(): Generator<void> {
    const counted = [...monthlyCounts(this.reader).keys()];
    const values = (list: string) => counted.filter((key) => key.startsWith(`${list}\u0000`)).map((key) => key.slice(list.length + 1));
    yield* this.postings.warming({ topic: values("topic"), country: values("country") });
  }

  /** Every matching event, counted: from the counts built with the snapshot where they answer it, else from the narrowest index. */
  private total(query: EventsQuery, plan: ListPlan): Count {
    const built = this.reader.builtCount(query);
    if (built !== undefined) return capped(built);
    if (plan.filter.countOnly) return this.reader.count(`FROM (${plan.filter.countOnly.sql})`, plan.filter.countOnly.params);
    // Lists only (no text, no date): their sorted rowid lists walked together in memory.
    const posted = this.postings.count(query, COUNT_CAP);
    if (posted !== undefined) return capped(posted);
    // Order does not matter to a count: through the narrowest list's index whatever the sort.
    const driven = plan.filter.driven;
    if (driven) return this.reader.count(`FROM ${driven.from} ${whereClause(driven)}`, driven.params);
    return this.reader.count(`FROM ${plan.from} ${whereClause(plan.filter)}`, plan.filter.params);
  }

  /** Matching rows up to and including `position` in the list's order. */
  private countThrough(query: EventsQuery, plan: ListPlan, position: Position): Count {
    const upTo = bound(plan, "through", position);
    // Lists only, in date order: the rowids up to the position (from it, descending) in every list.
    if (!plan.key && !plan.filter.countOnly) {
      const posted = this.postings.count(query, COUNT_CAP, plan.descending ? { after: position.rowid - 1 } : { through: position.rowid });
      if (posted !== undefined) return capped(posted);
    }
    // One list filter alone and a date order: counted from the side table's index.
    if (plan.filter.countOnly && !plan.key) {
      return this.reader.count(`FROM (${plan.filter.countOnly.sql}) m WHERE ${upTo.sql.replace(plan.id, "m.event")}`, [...plan.filter.countOnly.params, ...upTo.params]);
    }
    return this.reader.count(`FROM ${plan.from} ${whereClause(plan.filter, [upTo.sql])}`, [...plan.filter.params, ...upTo.params]);
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
    const stored = "stored" in rows ? rows.stored : rows.events.map((event) => rows.index.json(event));
    return { data: stored.map((row) => JSON.parse(row.toString("utf8")) as EventListItem), page };
  }

  /**
   * The same page as JSON bytes, the rows' stored bytes concatenated: never decoded into text and
   * encoded back (most rows hold non-ASCII names, for which both passes cost more than the query).
   */
  listJson(query: EventsQuery & PageInput): Buffer {
    const { rows, page } = this.page(query);
    const tail = Buffer.from(`],"page":${JSON.stringify(page)}}`);
    if (!("stored" in rows)) return rows.index.joinedJson(rows.events, PAGE_START, tail);
    return Buffer.concat([PAGE_START, ...rows.stored.flatMap((row, index) => (index > 0 ? [COMMA, row] : [row])), tail]);
  }

  /**
   * Up to `limit` matching rows after `position`, in the list's order, each as [row id, sort
   * text, stored list JSON (or CSV line) as text or as bytes]: one statement, what was stored
   * joined by key to the narrow rows.
   */
  private rows(plan: ListPlan, position: Position | undefined, limit: number, json: "text" | "bytes" = "text", stored: Stored = "json"): unknown[][] {
    const { table, column } = STORED[stored];
    const keyset = position ? bound(plan, "after", position) : undefined;
    const direction = plan.descending ? "DESC" : "ASC";
    const orderBy = plan.key ? `${plan.key} ${direction}, ${plan.id} ${direction}` : `${plan.id} ${direction}`;
    const text = json === "bytes" ? `CAST(l.${column} AS BLOB)` : `l.${column}`;
    // The page's rows found first (and, in title or type order, sorted as (key, id) alone), the
    // stored text joined to those rows only: never read for a row a later filter drops, nor
    // carried through the sort for every match.
    const sql = `SELECT s.id, s.key, ${text} FROM (SELECT ${plan.id} AS id, ${plan.key ?? "NULL"} AS key FROM ${plan.from} ${whereClause(plan.filter, keyset ? [keyset.sql] : [])} ORDER BY ${orderBy} LIMIT ?) s JOIN ${table} l ON l.event = s.id ORDER BY ${plan.key ? `s.key ${direction}, ` : ""}s.id ${direction}`;
    return this.sql(sql)
      .raw()
      .all(...plan.filter.params, ...(keyset?.params ?? []), limit) as unknown[][];
  }

  /** The stored list JSON of these rows, in their order: one statement, each row by its key. */
  private storedJson(rows: Row[]): string[] {
    if (rows.length === 0) return [];
    return this.sql("SELECT l.json FROM json_each(?) j JOIN event_lists l ON l.event = j.value ORDER BY j.key")
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
    return this.eachStored(query);
  }

  /** Every matching event in order as its stored CSV line (no line break), as `allJson` reads the JSON. */
  allCsv(query: EventsQuery): Generator<string> {
    requireKnownIds(this.sql, query);
    // A snapshot built before CSV lines were stored fails here, as a 500 before the stream starts, not as a stream cut short.
    this.sql("SELECT line FROM event_csv LIMIT 0");
    return this.eachStored(query, "csv");
  }

  /** Every matching event in order, parsed (the ids checked now, as for `allJson`). */
  all(query: EventsQuery): Generator<EventListItem> {
    return parsed(this.allJson(query));
  }

  private *eachStored(query: EventsQuery, stored: Stored = "json"): Generator<string> {
    const plan = this.plan(query);
    // No filter, date order: the stored table alone, without the events' documents.
    if (plan.filter.where.length === 0 && !plan.key && plan.from === "events e") return yield* this.everyStored(plan.descending, stored);
    let position: Position | undefined;
    for (;;) {
      // Batches: each is one synchronous stretch of work between an export's turns.
      const rows = this.rows(plan, position, EXPORT_BATCH, "text", stored);
      for (const row of rows) yield row[2] as string;
      if (rows.length < EXPORT_BATCH) return;
      const last = rows.at(-1)!;
      position = { rowid: last[0] as number, ...(plan.key ? { text: last[1] as string } : {}) };
    }
  }

  /**
   * Every event's stored list JSON (or CSV line) in date order (rowid order), read from its table alone: an
   * unfiltered export does not read the events' full documents, so it reads (and maps) a third of the file.
   */
  private *everyStored(descending: boolean, stored: Stored = "json"): Generator<string> {
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

  /**
   * One event in full (its places, citations joined to their sources, related events both ways)
   * as the JSON the build stored for it: nothing joined, parsed or encoded per request.
   */
  detailJson(id: string): Buffer {
    const index = this.index();
    const json = index ? index.detail(id) : this.storedDetail(id);
    if (json === undefined) throw new NotFoundError("event", id);
    return json;
  }

  private storedDetail(id: string): Buffer | undefined {
    return this.sql("SELECT CAST(d.json AS BLOB) FROM events e JOIN event_details d ON d.event = e.rowid WHERE e.id = ?").pluck().get(id) as Buffer | undefined;
  }

  /** The same, parsed. */
  get(id: string): EventDetail {
    return JSON.parse(this.detailJson(id).toString("utf8")) as EventDetail;
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
