import { isDescending, sortKeyOf, type EventFilters, type EventSortKey, type EventsQuery } from "@backchannel/schema";
import { asList, type daySpanOf } from "./event-filters.js";
import type { SnapshotReader } from "./reader.js";
import { ROWS_PER_STEP, runNow, type Stepwise } from "./stepwise.js";
import { union } from "./sorted-ids.js";

/**
 * Up to this many events (and INDEX_MAX_JSON_BYTES of their list JSON), the event lists are
 * answered from memory. The curated record is hand-made and far below it; at the bound the index
 * holds about 50 MB and is read in about half a second. A larger snapshot is read through
 * SQLite's indexes alone, which keep every page within its goal at a million events.
 */
export const INDEX_MAX_EVENTS = 20_000;
export const INDEX_MAX_JSON_BYTES = 64 * 1024 * 1024;

/** The list filters and the table of each (its column is named as the filter); `q` (full text) goes to SQLite's FTS index. */
const LIST_FILTERS = { actor: "participants", place: "event_places", source: "event_sources", topic: "event_topics", country: "event_countries" } as const;
type ListFilter = keyof typeof LIST_FILTERS;

/** The query's day span, already checked (event-filters.ts). */
type DaySpan = ReturnType<typeof daySpanOf>;

/** Where a page starts, in the list's order: after (rowid) or (sort text, rowid). */
export interface IndexPosition {
  rowid: number;
  text?: string;
}

/** One page read from memory: its events, the last row's cursor key, how many rows come before it, and the total. */
export interface IndexedPage {
  /** The page's events in its order, as event numbers: their stored JSON is read by `json` or joined by `joinedJson`. */
  events: number[];
  /** The cursor key of the next page (after the last row), when more rows follow. */
  next: (string | number)[] | undefined;
  before: number;
  total: number;
}

const EMPTY = new Int32Array(0);
const COMMA_BYTE = Buffer.from(",");
/** The filters naming records by id. */
const ID_FILTERS = ["actor", "place", "source"] as const;
/** Every filter read from the posting lists, in the order they are intersected. */
const FILTERED_LISTS = [...(Object.keys(LIST_FILTERS) as ListFilter[]), "type", "status"] as const;

/** An ISO day (YYYY-MM-DD, four-digit year) as the number YYYYMMDD: numbers in the order of the texts. */
function dayNumber(day: string): number {
  return Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));
}
const utf8 = (text: string) => Buffer.from(text, "utf8");

/**
 * Every event of a snapshot in memory, in date order (SQLite's rowid order), numbered 0…n-1:
 * its stored list and detail JSON, the columns the filters test, a sorted list of event numbers per actor,
 * place, source, topic, country, type and status, and each event's rank in type and title order.
 * A page is then intersections of sorted arrays and a slice: no statement per request.
 *
 * It answers exactly what the SQL path answers (a property test holds the two to the same pages,
 * totals and cursors), and is read once per snapshot, which never changes.
 */
export class EventIndex {
  private constructor(
    private readonly rowids: Int32Array,
    /** Every event's stored list JSON, each followed by a comma. */
    private readonly jsonAt: Buffer,
    /** Where each event's JSON starts in `jsonAt`; one more entry marks the end (after the last comma). */
    private readonly jsonStarts: Int32Array,
    /** Each event's first and last day as YYYYMMDD numbers: compared as the ISO days are, without comparing text. */
    private readonly firstDay: Int32Array,
    private readonly lastDay: Int32Array,
    private readonly sourceCount: Int32Array,
    private readonly sortText: Record<Exclude<EventSortKey, "date">, string[]>,
    /** Per sort: the event numbers in that order, and each event's place in it. */
    private readonly orders: Record<Exclude<EventSortKey, "date">, { events: Int32Array; rank: Int32Array }>,
    private readonly postings: Record<ListFilter | "type" | "status", Map<string, Int32Array>>,
    /** The ids records exist for (an actor without events is known and lists nothing). */
    private readonly known: Record<"actor" | "place" | "source", Set<string>>,
    /** Each event's number by its id, and its detail JSON (as `/events/{id}` serves it) in one buffer. */
    private readonly ordinalById: Map<string, number>,
    private readonly details: Buffer,
    private readonly detailStarts: Int32Array,
  ) {}

  /** The index of a snapshot, or undefined when the snapshot is beyond the bounds kept in memory. */
  static read(reader: SnapshotReader, bounds = { events: INDEX_MAX_EVENTS, bytes: INDEX_MAX_JSON_BYTES }): EventIndex | undefined {
    return runNow(EventIndex.reading(reader, bounds));
  }

  /** `read`, in steps of ROWS_PER_STEP rows (stepwise.ts). */
  static *reading(reader: SnapshotReader, bounds = { events: INDEX_MAX_EVENTS, bytes: INDEX_MAX_JSON_BYTES }): Stepwise<EventIndex | undefined> {
    const sql = reader.sql;
    if (reader.meta.counts.events > bounds.events) return undefined;
    // The stored JSON is read once and counted as it comes: past the bound, reading stops.
    let bytes = 0;
    const pastBound = (chunk: Buffer) => (bytes += chunk.byteLength) > bounds.bytes;
    const n = sql("SELECT count(*) FROM events").pluck().get() as number;
    const rowids = new Int32Array(n);
    const lists: Buffer[] = [];
    const jsonStarts = new Int32Array(n + 1);
    const firstDay = new Int32Array(n);
    const lastDay = new Int32Array(n);
    const sourceCount = new Int32Array(n);
    const typeText: string[] = [];
    const titleText: string[] = [];
    const ordinalOf = new Map<number, number>();
    const ordinalById = new Map<string, number>();
    const byType = new Map<string, number[]>();
    const byStatus = new Map<string, number[]>();
    let i = 0;
    const events = sql(
      "SELECT e.rowid, e.id, e.first_day, e.last_day, e.source_count, e.type, e.status, e.type_key, e.title_key, CAST(l.json AS BLOB) FROM events e JOIN event_lists l ON l.event = e.rowid ORDER BY e.rowid",
    ).raw();
    for (const [rowid, id, first, last, sources, type, status, typeKey, titleKey, list] of events.iterate() as Iterable<
      [number, string, string, string, number, string, string, string, string, Buffer]
    >) {
      rowids[i] = rowid;
      ordinalOf.set(rowid, i);
      ordinalById.set(id, i);
      firstDay[i] = dayNumber(first);
      lastDay[i] = dayNumber(last);
      sourceCount[i] = sources;
      typeText.push(typeKey);
      titleText.push(titleKey);
      // Each followed by a comma (not counted in the bound): consecutive events (a year's, every event's) are then one copy into a page.
      jsonStarts[i] = bytes + COMMA_BYTE.length * i;
      if (pastBound(list)) return undefined;
      lists.push(list, COMMA_BYTE);
      push(byType, type, i);
      push(byStatus, status, i);
      if (++i % ROWS_PER_STEP === 0) yield;
    }
    const listBytes = bytes;
    const json = Buffer.concat(lists, (jsonStarts[n] = listBytes + COMMA_BYTE.length * n));
    const detailChunks: Buffer[] = [];
    const detailStarts = new Int32Array(n + 1);
    for (const [event, detail] of sql("SELECT event, CAST(json AS BLOB) FROM event_details ORDER BY event").raw().iterate() as Iterable<[number, Buffer]>) {
      detailStarts[ordinalOf.get(event)!] = bytes - listBytes;
      if (pastBound(detail)) return undefined;
      if (detailChunks.push(detail) % ROWS_PER_STEP === 0) yield;
    }
    detailStarts[n] = bytes - listBytes;
    const details = Buffer.concat(detailChunks, bytes - listBytes);
    function* listed(column: ListFilter): Stepwise<Map<string, Int32Array>> {
      const table = LIST_FILTERS[column];
      const lists = new Map<string, number[]>();
      let rows = 0;
      // In event order (the covering index by event), so each value's list comes out sorted: no sort, no DISTINCT.
      for (const [event, value] of sql(`SELECT event, ${column} FROM ${table} ORDER BY event`).raw().iterate() as Iterable<[number, string]>) {
        const ordinal = ordinalOf.get(event);
        if (ordinal !== undefined) push(lists, value, ordinal);
        if (++rows % ROWS_PER_STEP === 0) yield;
      }
      return frozen(lists);
    }
    // SQLite sorts the text keys (its own collation), so the order is the SQL path's by construction.
    const order = (column: string) => {
      const events = Int32Array.from(sql(`SELECT rowid FROM events ORDER BY ${column}, rowid`).pluck().all() as number[], (rowid) => ordinalOf.get(rowid)!);
      const rank = new Int32Array(n);
      events.forEach((event, place) => (rank[event] = place));
      return { events, rank };
    };
    const ids = (table: string) => new Set(sql(`SELECT id FROM ${table}`).pluck().all() as string[]);
    return new EventIndex(
      rowids,
      json,
      jsonStarts,
      firstDay,
      lastDay,
      sourceCount,
      { type: typeText, title: titleText },
      { type: order("type_key"), title: order("title_key") },
      {
        actor: yield* listed("actor"),
        place: yield* listed("place"),
        source: yield* listed("source"),
        topic: yield* listed("topic"),
        country: yield* listed("country"),
        type: frozen(byType),
        status: frozen(byStatus),
      },
      { actor: ids("actors"), place: ids("places"), source: ids("sources") },
      ordinalById,
      details,
      detailStarts,
    );
  }

  /**
   * The events a full-text filter selects, as the SQL path's `q` does: those whose text matches
   * (`rowids`, from the text index) and those the actors matched by name take part in.
   */
  textMatches(rowids: number[], actors: string[]): Int32Array {
    const found: number[] = [];
    for (const rowid of rowids) {
      const event = lowerBound(this.rowids, rowid);
      if (this.rowids[event] === rowid) found.push(event);
    }
    return union([Int32Array.from(found).sort(), ...actors.map((actor) => this.postings.actor.get(actor) ?? EMPTY)]);
  }

  /** Whether every actor, place and source id the query names has a record (else the SQL path explains which do not). */
  knowsIds(query: EventFilters): boolean {
    for (const filter of ID_FILTERS) {
      const ids = query[filter];
      if (ids !== undefined && !(typeof ids === "string" ? this.known[filter].has(ids) : ids.every((id) => this.known[filter].has(id)))) return false;
    }
    return true;
  }

  /**
   * Up to `limit` events of the query after `position` in its order, with the next page's cursor
   * key, the rows before the page and the total. `span` is the query's day span, already checked.
   */
  page(query: EventsQuery & { limit: number }, position: IndexPosition | undefined, span: DaySpan, text?: Int32Array): IndexedPage {
    const matching = this.matching(query, span, text);
    const key = listOrder(query);
    const descending = isDescending(query.sort);
    // Each match's place in the list's order (date order is the event number itself), ascending.
    const places = key === "date" ? matching : sortedPlaces(matching, this.orders[key].rank);
    const eventAt = key === "date" ? (place: number) => place : (place: number) => this.orders[key].events[place]!;
    const total = places.length;
    // The page starts after the position: `below` events of the whole order come before it, `through` up to and including it.
    let start: number;
    let before: number;
    if (position === undefined) {
      start = descending ? total - 1 : 0;
      before = 0;
    } else {
      const { below, through } = this.placeOf(key, position);
      if (descending) {
        const first = lowerBound(places, below);
        start = first - 1;
        before = total - first;
      } else {
        start = lowerBound(places, through);
        before = start;
      }
    }
    const events: number[] = [];
    const step = descending ? -1 : 1;
    let index = start;
    for (; events.length < query.limit && index >= 0 && index < total; index += step) events.push(eventAt(places[index]!));
    let next: IndexedPage["next"];
    if (index >= 0 && index < total && events.length > 0) {
      const last = events.at(-1)!;
      next = key === "date" ? [this.rowids[last]!] : [this.sortText[key][last]!, this.rowids[last]!];
    }
    return { events, next, before, total };
  }

  /** An event's stored list JSON. */
  json(event: number): Buffer {
    return this.jsonAt.subarray(this.jsonStarts[event]!, this.jsonStarts[event + 1]! - 1);
  }

  /**
   * The events' stored list JSON joined by commas between `head` and `tail`, in one buffer: each
   * run of consecutive events (in date order) copied at once, with the commas stored between them.
   */
  joinedJson(events: readonly number[], head: Buffer, tail: Buffer): Buffer {
    const starts = this.jsonStarts;
    // Every event's JSON and its comma, less the last comma.
    let length = head.length + tail.length - (events.length > 0 ? 1 : 0);
    for (const event of events) length += starts[event + 1]! - starts[event]!;
    const joined = Buffer.allocUnsafe(length);
    let at = head.copy(joined, 0);
    for (let i = 0; i < events.length; ) {
      const first = events[i]!;
      let last = first;
      while (++i < events.length && events[i] === last + 1) last++;
      at += this.jsonAt.copy(joined, at, starts[first]!, starts[last + 1]!);
    }
    if (events.length > 0) at--;
    tail.copy(joined, at);
    return joined;
  }

  /** The detail JSON of the event with this id, or undefined when no event has it. */
  detail(id: string): Buffer | undefined {
    const event = this.ordinalById.get(id);
    return event === undefined ? undefined : this.details.subarray(this.detailStarts[event]!, this.detailStarts[event + 1]!);
  }

  /** The events matching the query's filters (`text`: the events its full text selects, textMatches), as event numbers in date order. */
  private matching(query: EventFilters, span: DaySpan, text: Int32Array | undefined): Int32Array {
    const lists: Int32Array[] = text ? [text] : [];
    for (const filter of FILTERED_LISTS) {
      const values = query[filter];
      if (values === undefined || (typeof values !== "string" && values.length === 0)) continue;
      const postings = this.postings[filter];
      // One value (most requests): its list as it is. Several: any of them, or every one for `actorMode=all`.
      if (typeof values === "string") lists.push(postings.get(values) ?? EMPTY);
      else {
        const each = values.map((value) => postings.get(value) ?? EMPTY);
        lists.push(filter === "actor" && query.actorMode === "all" ? intersection(each) : union(each));
      }
    }
    const events = lists.length ? intersection(lists) : undefined;
    const minSources = query.minSources !== undefined && query.minSources > 1 ? query.minSources : 0;
    const from = span.from === undefined ? undefined : dayNumber(span.from);
    const to = span.to === undefined ? undefined : dayNumber(span.to);
    if (minSources === 0 && from === undefined && to === undefined) return events ?? this.everyEvent();
    // Event (rowid) order is first-day order, as the build writes it and the SQL path's rowid
    // bounds read it: the events that start after `to` are a tail, left unread.
    const end = to === undefined ? this.rowids.length : lowerBound(this.firstDay, to + 1);
    const count = events ? lowerBound(events, end) : end;
    const kept = new Int32Array(count);
    let found = 0;
    for (let i = 0; i < count; i++) {
      const event = events ? events[i]! : i;
      if (this.sourceCount[event]! < minSources || (from !== undefined && this.lastDay[event]! < from)) continue;
      kept[found++] = event;
    }
    return kept.subarray(0, found);
  }

  private every: Int32Array | undefined;
  private everyEvent(): Int32Array {
    return (this.every ??= Int32Array.from(this.rowids.keys()));
  }

  /**
   * Where a cursor's position falls in the whole list's order: `below` events come strictly
   * before it, `through` up to and including it (one more when the position is an event). A
   * hand-made position between events falls where SQLite's comparison would put it.
   */
  private placeOf(key: EventSortKey, position: IndexPosition): { below: number; through: number } {
    if (key === "date") {
      const below = lowerBound(this.rowids, position.rowid);
      return { below, through: this.rowids[below] === position.rowid ? below + 1 : below };
    }
    const text = position.text ?? "";
    const { events } = this.orders[key];
    const sortText = this.sortText[key];
    const target = utf8(text);
    // SQLite compares text byte by byte in UTF-8 (BINARY), then the row ids.
    const compare = (place: number) => {
      const event = events[place]!;
      const byText = Buffer.compare(utf8(sortText[event]!), target);
      return byText !== 0 ? byText : this.rowids[event]! - position.rowid;
    };
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(mid) < 0) lo = mid + 1;
      else hi = mid;
    }
    return { below: lo, through: lo < events.length && compare(lo) === 0 ? lo + 1 : lo };
  }
}

/** The order a list is read in: of one type, type order is date order (every event's type key is the same), and its cursor a date order's. */
export function listOrder(query: EventsQuery): EventSortKey {
  const key = sortKeyOf(query.sort);
  return key === "type" && new Set(asList(query.type)).size === 1 ? "date" : key;
}

function push(lists: Map<string, number[]>, value: string, event: number) {
  const list = lists.get(value);
  if (list) {
    if (list.at(-1) !== event) list.push(event);
  } else lists.set(value, [event]);
}

function frozen(lists: Map<string, number[]>): Map<string, Int32Array> {
  return new Map([...lists].map(([value, events]) => [value, Int32Array.from(events)]));
}

/** The first index (from `lo` on) of a sorted array whose value is at least `value`. */
function lowerBound(sorted: Int32Array, value: number, lo = 0): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Each event's place in an order, sorted: the matches in that order. */
function sortedPlaces(events: Int32Array, rank: Int32Array): Int32Array {
  const places = new Int32Array(events.length);
  for (let i = 0; i < events.length; i++) places[i] = rank[events[i]!]!;
  return places.sort();
}

/** The events in every one of the sorted lists, sorted: the shortest list walked, the others searched. */
function intersection(lists: Int32Array[]): Int32Array {
  if (lists.length === 1) return lists[0]!;
  const [shortest, ...others] = [...lists].sort((a, b) => a.length - b.length);
  const kept: number[] = [];
  const from = others.map(() => 0);
  outer: for (const event of shortest!) {
    for (const [i, other] of others.entries()) {
      const at = lowerBound(other, event, from[i]!);
      from[i] = at;
      if (other[at] !== event) continue outer;
    }
    kept.push(event);
  }
  return Int32Array.from(kept);
}

