import { earliestDay, latestDay, type EventFilters } from "@backchannel/schema";
import { BadRequestError } from "./errors.js";
import { requireKnownIds } from "./known-ids.js";
import type { SnapshotReader } from "./reader.js";
import { matchText } from "./search.js";

export interface SqlFragment {
  where: string[];
  params: unknown[];
  /** Set when the only filter is one list (actors, places, sources, topics or countries): counted from its index alone. */
  countOnly?: { sql: string; params: unknown[] };
  /**
   * The same events read through one list's index, that index's table (or its distinct events)
   * `d` the outer loop (`from`, then `where` over both). `ordered`: one value's index range, in
   * date order, so a date-ordered page or a count stops after its last row without reading the
   * whole list first; else a count's. Set for a page when one list (or a topic's or country's
   * events of the types) is estimated narrower than the other filters.
   */
  driven?: { from: string; id: string; where: string[]; params: unknown[]; ordered: boolean };
}

export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
export const placeholders = (values: unknown[]) => values.map(() => "?").join(", ");

/** `column IN (?, …)` for each column given values; columns without values add nothing. */
export function columnsIn(columns: [string, string[]][]): SqlFragment {
  const fragment: SqlFragment = { where: [], params: [] };
  for (const [column, values] of columns) {
    if (values.length === 0) continue;
    fragment.where.push(`${column} IN (${placeholders(values)})`);
    fragment.params.push(...values);
  }
  return fragment;
}

const MEMBERSHIP = {
  actor: ["participants", "actor"],
  place: ["event_places", "place"],
  source: ["event_sources", "source"],
  topic: ["event_topics", "topic"],
  country: ["event_countries", "country"],
} as const;

/** A list filter (actor, place, source, topic, country) and the values it keeps. */
type ListKey = keyof typeof MEMBERSHIP;

export interface FilterContext {
  /** Event rowids a text query selects. */
  matchText: (q: string) => SqlFragment;
  /**
   * The rowid range that can hold events overlapping [from, to] (rowid order is date order):
   * `lo` to `hi`, and `core`, the first event starting on or after `from` (every event from
   * `core` on overlaps; before it, only those that last until `from`).
   */
  rowidBounds: (from: string | undefined, to: string | undefined) => { lo: number; hi: number; core: number };
  /** About how many events a filter's values hold in [from, to], from the counts built with the snapshot. */
  estimate: (filter: ListKey | "type" | "status", values: string[], from: string | undefined, to: string | undefined) => number;
  /** How many events the rowid range of [from, to] holds (every event when neither is given). */
  spanEvents: (from: string | undefined, to: string | undefined) => number;
}

/**
 * A list filter of several values is read through its index (its events in the span,
 * materialised) only when that holds at most this many events; a longer one is checked per
 * event as the scan walks another index's order, so that a page stops after its last row.
 * One value of a list whose table holds an event once is read in order instead, at any length.
 */
export const DRIVE_LIMIT = 20_000;

/**
 * A page in title or type order either walks the sort's index, checking each filter per event,
 * until it has a page (about PAGE_ROWS × the index's events ÷ matches entries, each ROW_COST
 * times dearer when a filter reads the event's row), or reads the matches through the narrowest
 * index and sorts them (its entries, and each match's row). The cheaper is taken.
 */
const PAGE_ROWS = 51;
const ROW_COST = 10;

/** Lists whose table holds each event at most once per value: one value's index range is its events in date order. */
const STREAMED_LISTS: readonly ListKey[] = ["topic", "country", "source"];

/** A topic's or a country's events of given types, read from one key range of `list_type_events`. */
const TYPED_LISTS: readonly ListKey[] = ["topic", "country"];

/**
 * What the SQL is for: a page in date order or a count (`page`), a page in title or type order
 * (`title`, `type`), or an aggregate that reads every match (timelines, facets' exclusions).
 */
export type FilterPurpose = "page" | "title" | "type" | "aggregate";

/** One condition on `events e`, and the filter it comes from. */
type Term = { sql: string; params: unknown[]; of?: ListKey | "type" | "span" };

/**
 * The days the filters' span reaches at its widest reading (`2025` from 2025-01-01 to
 * 2025-12-31); a `to` before the `from` is a 400.
 */
export function daySpanOf(filters: EventFilters): { from?: string; to?: string } {
  if (filters.from && filters.to && latestDay(filters.to) < earliestDay(filters.from)) {
    throw new BadRequestError("`to` is before `from`", [{ path: "to", message: `${filters.to} is before ${filters.from}` }]);
  }
  return { ...(filters.from ? { from: earliestDay(filters.from) } : {}), ...(filters.to ? { to: latestDay(filters.to) } : {}) };
}

/**
 * Turns the shared event filters into SQL over `events e`, values always bound. A page reads
 * through the filter that the counts built with the snapshot say holds the fewest events in
 * the span (a list's index, a topic's or country's events of a type, the type's index or the
 * date range) and checks each other filter per event, so a page of a few filters never reads
 * a hundred thousand events to find fifty. Aggregates (timelines) read every match, so for
 * them every list drives from its index.
 */
export function eventFilterSql(filters: EventFilters, context: FilterContext, purpose: FilterPurpose = "page"): SqlFragment {
  // Precision-aware overlap: the event's span meets [from, to] at either end's widest reading.
  const { from, to } = daySpanOf(filters);
  const bounds = from || to ? context.rowidBounds(from, to) : undefined;
  const span = (column: string) => (bounds ? { sql: ` AND ${column} BETWEEN ? AND ?`, params: [bounds.lo, bounds.hi] } : { sql: "", params: [] });
  const terms: Term[] = [];
  const actors = asList(filters.actor);
  const everyActor = filters.actorMode === "all" && actors.length > 1;
  if (everyActor) terms.push({ sql: `e.rowid IN (${everyActorSql(actors)})`, params: [...new Set(actors)] });
  const types = asList(filters.type);
  const lists = (Object.keys(MEMBERSHIP) as ListKey[]).filter((key) => asList(filters[key]).length > 0 && !(key === "actor" && everyActor));
  const chosen = purpose === "aggregate" ? undefined : chooseDriver(filters, lists, context, from, to);
  const driver = chosen?.driver;
  // In title or type order, many matches: the sort's index is walked, every filter checked per
  // event (no other index may lead, or its events would all be read and sorted); few: they are
  // read through the narrowest index and sorted.
  const walked = (purpose === "title" || purpose === "type") && chosen !== undefined && walkIsCheaper(filters, purpose, chosen, context);
  const unindexed = (sql: string) => (walked ? `+${sql}` : sql);
  // Over `events e` alone, the driving list is read through its index when its events are few enough to materialise.
  const materialised = driver !== undefined && driver.estimate <= DRIVE_LIMIT && !walked;
  for (const key of lists) {
    const [table, column] = MEMBERSHIP[key];
    const values = asList(filters[key]);
    if (materialised && driver.list === key && driver.typed) {
      const within = span("event");
      terms.push({
        sql: `e.rowid IN (SELECT event FROM list_type_events WHERE list = '${key}' AND value IN (${placeholders(values)}) AND type IN (${placeholders(types)})${within.sql})`,
        params: [...values, ...types, ...within.params],
        of: key,
      });
    } else if (purpose === "aggregate" || (materialised && driver.list === key)) {
      // Read through the list's index: its events in the span, materialised once.
      const within = span("event");
      terms.push({ sql: `e.rowid IN (SELECT event FROM ${table} WHERE ${column} IN (${placeholders(values)})${within.sql})`, params: [...values, ...within.params], of: key });
    } else {
      // Checked per event, by the list's (event, value) index.
      terms.push({ sql: `EXISTS (SELECT 1 FROM ${table} x WHERE x.event = e.rowid AND x.${column} IN (${placeholders(values)}))`, params: values, of: key });
    }
  }
  // Read through a topic's or a country's events of the types, the type is already checked.
  // A type's events in title order are one index's range (events_by_type_title), walked or not.
  if (types.length && !(materialised && driver.typed)) terms.push({ sql: `${purpose === "title" ? "e.type" : unindexed("e.type")} IN (${placeholders(types)})`, params: types, of: "type" });
  const statuses = asList(filters.status);
  if (statuses.length) terms.push({ sql: `${unindexed("e.status")} IN (${placeholders(statuses)})`, params: statuses });
  // Every event cites at least one source: a minimum of one filters nothing.
  if (filters.minSources !== undefined && filters.minSources > 1) terms.push({ sql: "e.source_count >= ?", params: [filters.minSources] });
  if (bounds) {
    // Rowid order is (first_day, id) order: up to `hi`, every event starts by `to`, and from
    // `core` on every event starts (so ends) on or after `from`; only the events between `lo`
    // and `core` need their last day read, so a scan of an index reads no event rows for the date.
    terms.push({ sql: `${unindexed("e.rowid")} BETWEEN ? AND ?`, params: [bounds.lo, bounds.hi], of: "span" });
    if (from && bounds.lo < bounds.core) terms.push({ sql: "(e.rowid >= ? OR e.last_day >= ?)", params: [bounds.core, from] });
  }
  if (filters.q) {
    const text = context.matchText(filters.q);
    terms.push({ sql: text.where.join(" AND "), params: text.params });
  }
  const fragment: SqlFragment = { where: terms.map((term) => term.sql), params: terms.flatMap((term) => term.params) };
  if (driver) {
    const [table, column] = driver.typed ? (["list_type_events", "value"] as const) : MEMBERSHIP[driver.list];
    const values = asList(filters[driver.list]);
    // Streamed: the list's index range, in date order. Else its distinct events, materialised:
    // for counting only (a page in date order reads them faster joined to the events, above).
    const head: Term = driver.streamed
      ? driver.typed
        ? { sql: `d.list = '${driver.list}' AND d.value = ? AND d.type = ?`, params: [values[0], types[0]] }
        : { sql: `d.${column} = ?`, params: [values[0]] }
      : driver.typed
        ? { sql: `list = '${driver.list}' AND value IN (${placeholders(values)}) AND type IN (${placeholders(types)})`, params: [...values, ...types] }
        : { sql: `${column} IN (${placeholders(values)})`, params: values };
    const within = span(driver.streamed ? "d.event" : "event");
    // The list's own condition (the type's, when read by type, and the span's) is the outer loop's
    // range: the span said twice, of `d` and of `e`, misleads SQLite into skip-scanning `list`.
    // The other filters of the event's id are checked by `d.event`: the events' table is joined
    // only when a filter reads a column of its rows (the type, the status, the last day).
    const rest = terms.filter((term) => term.of !== driver.list && term.of !== "span" && !(driver.typed && term.of === "type"));
    // Indexes a walked sort's scan may not lead with (`+e.`) serve these checks: a status probe is an index's.
    const checks = rest.map((term) => term.sql.replaceAll("+e.", "e.").replaceAll("e.rowid", "d.event"));
    const source = driver.streamed ? `${table} d` : `(SELECT DISTINCT event FROM ${table} WHERE ${head.sql}${within.sql}) d`;
    fragment.driven = {
      from: checks.some((sql) => /\be\./.test(sql)) ? `${source} CROSS JOIN events e ON e.rowid = d.event` : source,
      id: "d.event",
      ordered: driver.streamed,
      where: [...(driver.streamed ? [head.sql + within.sql] : []), ...checks],
      params: [...head.params, ...within.params, ...rest.flatMap((term) => term.params)],
    };
  }
  const listed = (["actor", "place", "source", "topic", "country"] as const).filter((key) => filters[key] !== undefined);
  // actorMode alone changes nothing (it only says how several actors combine).
  const others = (["q", "type", "status", "minSources", "from", "to"] as const).filter((key) => filters[key] !== undefined);
  if (listed.length === 1 && others.length === 0) {
    const [table, column] = MEMBERSHIP[listed[0]!];
    const values = asList(filters[listed[0]!]);
    const sql =
      listed[0] === "actor" && filters.actorMode === "all" && values.length > 1
        ? everyActorSql(values)
        : `SELECT DISTINCT event FROM ${table} WHERE ${column} IN (${placeholders(values)})`;
    fragment.countOnly = { sql, params: listed[0] === "actor" && filters.actorMode === "all" ? [...new Set(values)] : values };
  }
  return fragment;
}

/**
 * The list a page reads through, if any: the list filter (or a topic's or country's events of
 * the chosen types) estimated to hold the fewest events in the span, if fewer than the type's
 * or the status's events there, or the span's (their own indexes, or the rowid range, are read
 * in order). Streamed: one value (and one type), read in date order from its index; else its
 * events are materialised first, so it drives only up to DRIVE_LIMIT. And `matches`: about how
 * many events every filter together keeps, each taken as independent of the others.
 */
function chooseDriver(filters: EventFilters, lists: ListKey[], context: FilterContext, from: string | undefined, to: string | undefined) {
  const types = asList(filters.type);
  const statuses = asList(filters.status);
  const span = context.spanEvents(from, to);
  const coded = [types.length ? context.estimate("type", types, from, to) : span, statuses.length ? context.estimate("status", statuses, from, to) : span];
  const scanned = Math.min(span, ...coded);
  let matches = coded.reduce((kept, estimate) => (span > 0 ? (kept * estimate) / span : 0), span);
  let driver: { list: ListKey; typed: boolean; streamed: boolean; estimate: number } | undefined;
  for (const list of lists) {
    const values = asList(filters[list]);
    let estimate = context.estimate(list, values, from, to);
    matches = span > 0 ? (matches * estimate) / span : 0;
    let typed = false;
    if (types.length && TYPED_LISTS.includes(list)) {
      // The share of the span's events of these types, assumed independent of the list.
      const typedEstimate = span > 0 ? (estimate * coded[0]!) / span : 0;
      if (typedEstimate < estimate) [estimate, typed] = [typedEstimate, true];
    }
    const streamed = values.length === 1 && STREAMED_LISTS.includes(list) && (!typed || types.length === 1);
    if (!streamed && estimate > DRIVE_LIMIT) continue;
    if (estimate < scanned && (!driver || estimate < driver.estimate)) driver = { list, typed, streamed, estimate };
  }
  return { driver, matches, read: Math.min(scanned, driver?.estimate ?? Infinity) };
}

/** Whether walking the sort's index (title or type) costs less than reading the matches and sorting them. */
function walkIsCheaper(filters: EventFilters, order: "title" | "type", chosen: { matches: number; read: number }, context: FilterContext): boolean {
  if (chosen.matches < 1) return false;
  const types = asList(filters.type);
  // A type's events in title order are one range of events_by_type_title; else the whole index.
  const walkedIndex = order === "title" && types.length ? context.estimate("type", types, undefined, undefined) : context.spanEvents(undefined, undefined);
  // The status and a minimum of sources are read from the event's row (the span from the index's rowid).
  const rowRead = asList(filters.status).length > 0 || (filters.minSources ?? 0) > 1;
  const walk = ((PAGE_ROWS * walkedIndex) / chosen.matches) * (rowRead ? ROW_COST : 1);
  const sort = chosen.read + ROW_COST * chosen.matches;
  return walk < sort;
}

/** Events in which every one of `actors` took part (`actorMode=all`); binds each distinct actor once. */
function everyActorSql(actors: string[]): string {
  const distinct = [...new Set(actors)];
  return `SELECT event FROM participants WHERE actor IN (${placeholders(distinct)}) GROUP BY event HAVING count(DISTINCT actor) = ${distinct.length}`;
}

/**
 * The filters of a request as SQL over `events e`: every list, count and aggregate of events
 * (pages, exports, facets and the events a facet click would add, timelines, the network)
 * filters through here. Unknown ids are a 400 that names the closest known ones.
 */
export function filterEvents(reader: SnapshotReader, filters: EventFilters, purpose: FilterPurpose = "page"): SqlFragment {
  requireKnownIds(reader.sql, filters);
  return eventFilterSql(filters, filterContext(reader), purpose);
}

/** What the filters need of the snapshot: the rowids a text selects, the rowid range of a date span, and estimates. */
export function filterContext(reader: SnapshotReader): FilterContext {
  const sql = reader.sql;
  const bounds = (from: string | undefined, to: string | undefined) => reader.remembered(`bounds\u0000${from ?? ""}\u0000${to ?? ""}`, () => rowidBounds(from, to));
  const spanEvents = (from: string | undefined, to: string | undefined) => {
    if (!from && !to) return reader.meta.counts.events;
    const { lo, hi } = bounds(from, to);
    return Math.max(0, Math.min(hi, reader.meta.counts.events) - Math.max(lo, 1) + 1);
  };
  return {
    matchText: (q) => {
      const { terms, actors } = reader.textFilter(q);
      const parts: string[] = [];
      const params: unknown[] = [];
      if (terms) {
        parts.push("SELECT CAST(ref AS INTEGER) FROM search WHERE search MATCH ? AND kind = 'event'");
        params.push(matchText(terms));
      }
      if (actors.length) {
        parts.push(`SELECT event FROM participants WHERE actor IN (${placeholders(actors)})`);
        params.push(...actors);
      }
      return parts.length ? { where: [`e.rowid IN (${parts.join(" UNION ")})`], params } : { where: ["0"], params: [] };
    },
    // Remembered per span: a date filter's bounds are read from four indexes.
    rowidBounds: bounds,
    spanEvents,
    estimate: (filter, values, from, to) => {
      if (filter === "type" || filter === "status" || filter === "topic" || filter === "country") {
        const counts = monthlyCounts(reader);
        // Months as built: "YYYY-MM", or "YYYY" for a year-precision start (read with its year).
        const first = from?.slice(0, 4) ?? "";
        const last = to?.slice(0, 7) ?? "\uffff";
        return values.reduce((sum, value) => sum + (counts.get(`${filter}\u0000${value}`)?.between(first, last) ?? 0), 0);
      }
      // Actors, sources and places: their events in all, the span's share of them.
      const share = spanEvents(from, to) / Math.max(1, reader.meta.counts.events);
      return values.reduce((sum, value) => sum + listSize(reader, filter, value) * share, 0);
    },
  };
  function rowidBounds(from: string | undefined, to: string | undefined) {
    const hi = to
      ? ((sql("SELECT rowid AS r FROM events WHERE first_day <= ? ORDER BY first_day DESC, rowid DESC LIMIT 1").get(to) as { r: number } | undefined)?.r ?? 0)
      : Number.MAX_SAFE_INTEGER;
    if (!from) return { lo: 0, hi, core: 0 };
    const core = (sql("SELECT rowid AS r FROM events WHERE first_day >= ? ORDER BY first_day, rowid LIMIT 1").get(from) as { r: number } | undefined)?.r ?? Number.MAX_SAFE_INTEGER;
    // The first short event that lasts until `from` (the build's reach table); long ones are listed apart.
    const short = (sql("SELECT event AS r FROM event_reach WHERE day >= ? ORDER BY day LIMIT 1").get(from) as { r: number } | undefined)?.r;
    const long = (sql("SELECT min(event) AS r FROM long_events WHERE last_day >= ?").get(from) as { r: number | null }).r;
    const lo = Math.min(short ?? Number.MAX_SAFE_INTEGER, long ?? Number.MAX_SAFE_INTEGER, core);
    return { lo, hi, core };
  }
}

/** Events per month of each type, status, topic and country, as running sums: read once a snapshot. */
class MonthlyCounts {
  constructor(
    private readonly months: string[],
    private readonly running: number[],
  ) {}
  /** Events whose start month (as built) lies in [first, last]. */
  between(first: string, last: string): number {
    return this.upTo((month) => month <= last) - this.upTo((month) => month < first);
  }
  /** The running sum over the leading months that `keep` holds for (months are sorted). */
  private upTo(keep: (month: string) => boolean): number {
    let low = 0;
    let high = this.months.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keep(this.months[middle]!)) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0 : this.running[low - 1]!;
  }
}

export function monthlyCounts(reader: SnapshotReader): Map<string, MonthlyCounts> {
  return reader.remembered("monthly counts", () => {
    // Each table's rows as one text, summed here: a row per statement step, or SQLite's GROUP BY, costs four times as much at a million events.
    const fields = (sql: string) => ((reader.sql(sql).pluck().get() as string | null) ?? "").split(",");
    const byMonth = new Map<string, Map<string, number>>();
    const add = (list: string, value: string, month: string, n: number) => {
      const key = `${list}\u0000${value}`;
      let months = byMonth.get(key);
      if (!months) byMonth.set(key, (months = new Map()));
      months.set(month, (months.get(month) ?? 0) + n);
    };
    // Types, statuses, topics and countries are slugs and codes, months digits: no commas.
    const coded = fields("SELECT group_concat(type || ',' || status || ',' || month || ',' || n, ',') FROM timeline_counts");
    for (let i = 0; i + 3 < coded.length; i += 4) {
      add("type", coded[i]!, coded[i + 2]!, Number(coded[i + 3]));
      add("status", coded[i + 1]!, coded[i + 2]!, Number(coded[i + 3]));
    }
    const listed = fields("SELECT group_concat(list || ',' || value || ',' || month || ',' || n, ',') FROM list_counts");
    for (let i = 0; i + 3 < listed.length; i += 4) add(listed[i]!, listed[i + 1]!, listed[i + 2]!, Number(listed[i + 3]));
    const counts = new Map<string, MonthlyCounts>();
    for (const [key, months] of byMonth) {
      const sorted = [...months.keys()].sort();
      let sum = 0;
      counts.set(key, new MonthlyCounts(sorted, sorted.map((month) => (sum += months.get(month)!))));
    }
    return counts;
  });
}

/** An actor's, a source's or a place's events in all (an actor's and a source's as built), remembered. */
function listSize(reader: SnapshotReader, list: "actor" | "source" | "place", id: string): number {
  return reader.remembered(`events of\u0000${list}\u0000${id}`, () => {
    const counted =
      list === "place"
        ? reader.sql("SELECT count(*) FROM event_places WHERE place = ?").pluck().get(id)
        : reader.sql(`SELECT event_count FROM ${list === "actor" ? "actors" : "sources"} WHERE id = ?`).pluck().get(id);
    return (counted as number | undefined) ?? 0;
  });
}

export function whereClause(fragment: SqlFragment, extra: string[] = []): string {
  const all = [...fragment.where, ...extra];
  return all.length ? `WHERE ${all.join(" AND ")}` : "";
}
