import { LRUCache } from "lru-cache";
import { EVENT_TYPES, EventStatusSchema, type EventFilters } from "@backchannel/schema";
import { asList } from "./event-filters.js";
import { NOT_FILTERS } from "./reader.js";
import type { Prepare } from "./search.js";
import { union } from "./sorted-ids.js";
import { runNow } from "./stepwise.js";

/**
 * Each filter value's events as a sorted list of rowids, read from the index that already holds
 * them in that order. Two broad filters with no date (a topic and a country, ~10 % and ~15 % of
 * the events) share thousands of events and no index holds both: SQLite counts them by probing
 * one list's index for each event of the other, 50–100 ms at a million events, where walking
 * both sorted lists in memory takes 2–3 ms.
 */
const LISTS = {
  actor: ["participants", "actor", "event"],
  place: ["event_places", "place", "event"],
  source: ["event_sources", "source", "event"],
  topic: ["event_topics", "topic", "event"],
  country: ["event_countries", "country", "event"],
  type: ["events", "type", "rowid"],
  status: ["events", "status", "rowid"],
} as const;

export type PostedFilter = keyof typeof LISTS;

/** Filters of one value per event, every value known: a set of values holding most events is held as its complement, the other values' events. */
const COLUMNS = { type: Object.keys(EVENT_TYPES), status: EventStatusSchema.options } as const satisfies Partial<Record<PostedFilter, readonly string[]>>;

/** Bytes of lists held at most per open snapshot: every vocabulary list of a million events takes about 30 MB. */
export const POSTING_BYTES = 64 * 1024 * 1024;

/** A list of at most this many events (about 3 ms to read) is read during a request that needs it; a longer one, only by the warm-up. */
const READ_IN_REQUEST = 20_000;

/** Lists remembered as asked for, at most: requests name them, so they are bounded. */
export const WANTED = 256;

/** Rowids read per statement from a list's own table: one slice of a warm-up, a few milliseconds. */
const CHUNK = 50_000;

/** Rowids in this range of a list: `after` < rowid ≤ `through` (both optional). */
export type RowidRange = { after?: number; through?: number };

/**
 * The rowid lists of filter values, read on first use and held in a bounded LRU (by bytes), and
 * the counts they answer: the events in every filter's list.
 */
export class PostingLists {
  private readonly held: LRUCache<string, Uint32Array>;

  /**
   * `sizeOf`: about how many events a value holds, from the counts built with the snapshot;
   * `maxBytes`: the lists held at most.
   */
  constructor(
    private readonly sql: Prepare,
    private readonly sizeOf: (filter: PostedFilter, value: string) => number,
    private readonly events: number,
    maxBytes = POSTING_BYTES,
  ) {
    this.held = new LRUCache<string, Uint32Array>({ maxSize: maxBytes, sizeCalculation: (list) => Math.max(1, list.byteLength) });
  }

  /** Lists a count needed but did not find held, too long to read during a request: the warm-up reads them first (at most WANTED). */
  private readonly wanted = new Map<string, [PostedFilter, string]>();

  /** How many lists are remembered as asked for (at most WANTED). */
  get wantedLists(): number {
    return this.wanted.size;
  }

  private want(filter: PostedFilter, value: string): void {
    if (this.wanted.size < WANTED) this.wanted.set(`${filter}\u0000${value}`, [filter, value]);
  }

  /** The next list a count asked for, taken from the wanted ones. */
  private nextWanted(): [PostedFilter, string] | undefined {
    for (const [key, list] of this.wanted) {
      this.wanted.delete(key);
      return list;
    }
    return undefined;
  }

  private eventsOf(filter: PostedFilter, values: string[]): number {
    return values.reduce((sum, value) => sum + this.sizeOf(filter, value), 0);
  }

  /** Bytes of lists held now (at most the bound given at construction). */
  get heldBytes(): number {
    return this.held.calculatedSize;
  }

  /** Whether the filters are all lists this counts: no text, no date span, no minimum of sources above one. */
  static answers(filters: EventFilters): boolean {
    for (const key of Object.keys(filters)) {
      const value = filters[key as keyof EventFilters];
      if (value === undefined || NOT_FILTERS.has(key)) continue;
      if (key === "minSources" && value === 1) continue;
      if (!(key in LISTS)) return false;
    }
    return true;
  }

  /**
   * How many events every filter keeps (within `range`), counted up to `cap` + 1: each filter is
   * the union of its values' lists (`actorMode=all`: one list per actor), and the events are
   * those in every list. Undefined when `PostingLists.answers` says no; when every filter is a
   * type or status holding most events (the counts built with the snapshot answer those); or
   * when a list is neither held nor short enough (READ_IN_REQUEST) to read now: SQLite counts
   * it, and the warm-up reads that list next.
   */
  count(filters: EventFilters, cap: number, range: RowidRange = {}): number | undefined {
    if (!PostingLists.answers(filters)) return undefined;
    const included: [PostedFilter, string[]][] = [];
    const excludedValues: [PostedFilter, string[]][] = [];
    for (const filter of Object.keys(LISTS) as PostedFilter[]) {
      const values = [...new Set(asList(filters[filter]))];
      if (values.length === 0) continue;
      if (filter === "actor" && filters.actorMode === "all") for (const actor of values) included.push([filter, [actor]]);
      else if ((filter === "type" || filter === "status") && 2 * this.eventsOf(filter, values) > this.events) {
        // Most events (an `occurred` status): the few others are read and excluded instead.
        const others = COLUMNS[filter].filter((value) => !values.includes(value));
        if (others.length) excludedValues.push([filter, others]);
      } else included.push([filter, values]);
    }
    if (included.length === 0) return undefined;
    const missing = [...included, ...excludedValues].filter(([filter, values]) => !this.ready(filter, values));
    if (missing.length) {
      for (const [filter, values] of missing) for (const value of values) this.want(filter, value);
      return undefined;
    }
    const lists = included.map(([filter, values]) => this.merged(filter, values));
    const excluded = excludedValues.map(([filter, values]) => this.merged(filter, values));
    return countCommon(lists, excluded, cap, range);
  }

  /** Whether these values' lists are held, or short enough to read during a request. */
  private ready(filter: PostedFilter, values: string[]): boolean {
    if (values.length > 1 && this.held.has(mergedKey(filter, values))) return true;
    return values.every((value) => this.held.has(`${filter}\u0000${value}`) || this.sizeOf(filter, value) <= READ_IN_REQUEST);
  }

  /** Several values' events merged, sorted and distinct: held as one list (a status's complement is asked for again and again). */
  private merged(filter: PostedFilter, values: string[]): Uint32Array {
    if (values.length === 1) return this.of(filter, values[0]!);
    const key = mergedKey(filter, values);
    let list = this.held.get(key);
    if (!list) this.held.set(key, (list = union(values.map((value) => this.of(filter, value)))));
    return list;
  }

  /** A value's events, sorted and distinct: held, or read now in full. */
  of(filter: PostedFilter, value: string): Uint32Array {
    return runNow(this.reading(filter, value));
  }

  /**
   * Reads every vocabulary value's list a chunk at a time, pausing after each: those a count
   * asked for first, then the statuses' (but one holding most events, never read: its
   * complement instead), the given topics' and countries', and the types' (which SQLite counts
   * quickly beside a topic or a country, through `list_type_events`).
   */
  *warming(listed: { topic: string[]; country: string[] }): Generator<void> {
    const queue: [PostedFilter, string][] = [
      ...COLUMNS.status.map((value) => ["status", value] as [PostedFilter, string]),
      ...listed.topic.map((value) => ["topic", value] as [PostedFilter, string]),
      ...listed.country.map((value) => ["country", value] as [PostedFilter, string]),
      ...COLUMNS.type.map((value) => ["type", value] as [PostedFilter, string]),
    ];
    for (let next = this.nextWanted() ?? queue.shift(); next; next = this.nextWanted() ?? queue.shift()) {
      const [filter, value] = next;
      if (filter === "type" || filter === "status") {
        if (2 * this.sizeOf(filter, value) > this.events) {
          // The complement a value holding most events is counted by.
          const others = COLUMNS[filter].filter((other) => other !== value);
          if (others.length) this.merged(filter, others);
          yield;
          continue;
        }
      }
      yield* this.reading(filter, value);
      yield;
    }
  }

  /**
   * Reads a value's list into the held lists a chunk at a time, pausing after each (a warm-up's
   * slice); returns the list. A list already held is returned at once.
   */
  *reading(filter: PostedFilter, value: string): Generator<void, Uint32Array> {
    const key = `${filter}\u0000${value}`;
    const known = this.held.get(key);
    if (known) return known;
    const [table, column, id] = LISTS[filter];
    // The events' own indexes are read whole: bounded by the rowid, they are read five times slower.
    const chunked = table !== "events";
    // A chunk's rowids come as one decimal text (`group_concat`): a row per rowid would cost three times as much.
    const chunks = this.sql(
      `SELECT group_concat(id) AS ids, count(*) AS n FROM (SELECT ${id} AS id FROM ${table} WHERE ${column} = ?${chunked ? ` AND ${id} > ? ORDER BY ${id} LIMIT ${CHUNK}` : ` ORDER BY ${id}`})`,
    );
    let list = new Uint32Array(1024);
    let length = 0;
    for (let after = 0; ; ) {
      const { ids, n } = chunks.get(value, ...(chunked ? [after] : [])) as { ids: string | null; n: number };
      if (length + n > list.length) {
        const grown = new Uint32Array(Math.max(list.length * 2, length + n));
        grown.set(list.subarray(0, length));
        list = grown;
      }
      for (let i = 0, rowid = 0; ids !== null && i <= ids.length; i++) {
        const code = i < ids.length ? ids.charCodeAt(i) : 44;
        if (code !== 44) {
          rowid = rowid * 10 + code - 48;
          continue;
        }
        // An actor can take part twice in one event (two roles): each event once.
        if (length === 0 || list[length - 1] !== rowid) list[length++] = rowid;
        rowid = 0;
      }
      if (!chunked || n < CHUNK) break;
      after = list[length - 1]!;
      yield;
    }
    const exact = list.slice(0, length);
    this.held.set(key, exact);
    return exact;
  }
}

/** The key several values' merged list is held under (one value's is `filter\u0000value`). */
const mergedKey = (filter: PostedFilter, values: string[]) => `${filter}\u0000${[...values].sort().join("\u0000")}`;

/**
 * The first index at or after `from` whose rowid is at least `rowid` (the list's length if none):
 * the next few entries first (lists of like density step one or two at a time), then galloping.
 */
function seek(list: Uint32Array, from: number, rowid: number): number {
  let low = from;
  for (const near = Math.min(list.length, from + 4); low < near; low++) if (list[low]! >= rowid) return low;
  let step = 4;
  let high = low;
  while (high < list.length && list[high]! < rowid) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  high = Math.min(high, list.length);
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]! < rowid) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * How many rowids in `range` are in every list and in none of `excluded`, counted up to `cap` + 1:
 * the shortest list walked, each other list sought from where it last stopped.
 */
export function countCommon(lists: Uint32Array[], excluded: Uint32Array[], cap: number, range: RowidRange = {}): number {
  const [shortest, ...others] = [...lists].sort((a, b) => a.length - b.length);
  const at = others.map(() => 0);
  const atExcluded = excluded.map(() => 0);
  const start = range.after === undefined ? 0 : seek(shortest!, 0, range.after + 1);
  const through = range.through ?? Number.POSITIVE_INFINITY;
  let found = 0;
  walk: for (let i = start; i < shortest!.length && found <= cap; i++) {
    const rowid = shortest![i]!;
    if (rowid > through) break;
    for (let k = 0; k < others.length; k++) {
      const list = others[k]!;
      const j = seek(list, at[k]!, rowid);
      at[k] = j;
      if (j === list.length) break walk;
      if (list[j] !== rowid) continue walk;
    }
    for (let k = 0; k < excluded.length; k++) {
      const list = excluded[k]!;
      const j = seek(list, atExcluded[k]!, rowid);
      atExcluded[k] = j;
      if (list[j] === rowid) continue walk;
    }
    found++;
  }
  return found;
}
