import { earliestDay, latestDay, type EventFilters } from "@backchannel/schema";
import { LONG_EVENT_DAYS } from "@backchannel/dataset/layout";
import { BadRequestError } from "./errors.js";
import { requireKnownIds } from "./known-ids.js";
import type { SnapshotReader } from "./reader.js";
import { actorSpellings, matchActors } from "./search.js";

export interface SqlFragment {
  where: string[];
  params: unknown[];
  /** Set when the only filter is one list (actors, places, sources, topics or countries): counted from its index alone. */
  countOnly?: { sql: string; params: unknown[] };
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

export interface FilterContext {
  /** Event rowids a text query selects. */
  matchText: (q: string) => SqlFragment;
  /** The rowid range that can hold events overlapping [from, to]: rowid order is date order. */
  rowidBounds: (from: string | undefined, to: string | undefined) => { lo: number; hi: number };
}

/**
 * Turns the shared event filters into SQL over `events e`, values always bound. Filters that
 * pick few events (actor, place, source, text) give a rowid list read in order; broad ones
 * (topic, country) are checked row by row as the scan walks the date order, so a page can
 * stop after its last row instead of sorting every match. Aggregates (timelines) read every
 * match, so for them every list drives from its index.
 */
export function eventFilterSql(filters: EventFilters, context: FilterContext, purpose: "page" | "aggregate" = "page"): SqlFragment {
  const where: string[] = [];
  const params: unknown[] = [];
  const selective = (table: string, column: string, values: string[]) => {
    if (values.length === 0) return;
    where.push(`e.rowid IN (SELECT event FROM ${table} WHERE ${column} IN (${placeholders(values)}))`);
    params.push(...values);
  };
  const broad = (table: string, column: string, values: string[]) => {
    if (values.length === 0) return;
    where.push(`EXISTS (SELECT 1 FROM ${table} x WHERE x.event = e.rowid AND x.${column} IN (${placeholders(values)}))`);
    params.push(...values);
  };
  const actors = asList(filters.actor);
  if (filters.actorMode === "all" && actors.length > 1) {
    where.push(`e.rowid IN (${everyActorSql(actors)})`);
    params.push(...new Set(actors));
  } else selective(MEMBERSHIP.actor[0], MEMBERSHIP.actor[1], actors);
  for (const key of ["place", "source"] as const) selective(MEMBERSHIP[key][0], MEMBERSHIP[key][1], asList(filters[key]));
  // An aggregate reads every match anyway: there, driving from the side table's index beats probing each event.
  const wide = purpose === "page" ? broad : selective;
  for (const key of ["topic", "country"] as const) wide(MEMBERSHIP[key][0], MEMBERSHIP[key][1], asList(filters[key]));
  const coded = columnsIn([
    ["e.type", asList(filters.type)],
    ["e.status", asList(filters.status)],
  ]);
  where.push(...coded.where);
  params.push(...coded.params);
  // Every event cites at least one source: a minimum of one filters nothing.
  if (filters.minSources !== undefined && filters.minSources > 1) {
    where.push("e.source_count >= ?");
    params.push(filters.minSources);
  }
  if (filters.from && filters.to && latestDay(filters.to) < earliestDay(filters.from)) {
    throw new BadRequestError("`to` is before `from`", [{ path: "to", message: `${filters.to} is before ${filters.from}` }]);
  }
  // Precision-aware overlap: the event's span meets [from, to] at either end's widest reading.
  const from = filters.from ? earliestDay(filters.from) : undefined;
  const to = filters.to ? latestDay(filters.to) : undefined;
  if (from) {
    where.push("e.last_day >= ?");
    params.push(from);
  }
  if (to) {
    where.push("e.first_day <= ?");
    params.push(to);
  }
  if (from || to) {
    const { lo, hi } = context.rowidBounds(from, to);
    where.push("e.rowid BETWEEN ? AND ?");
    params.push(lo, hi);
  }
  if (filters.q) {
    const text = context.matchText(filters.q);
    where.push(...text.where);
    params.push(...text.params);
  }
  const lists = (["actor", "place", "source", "topic", "country"] as const).filter((key) => filters[key] !== undefined);
  // actorMode alone changes nothing (it only says how several actors combine).
  const others = (["q", "type", "status", "minSources", "from", "to"] as const).filter((key) => filters[key] !== undefined);
  if (lists.length === 1 && others.length === 0) {
    const [table, column] = MEMBERSHIP[lists[0]!];
    const values = asList(filters[lists[0]!]);
    const sql =
      lists[0] === "actor" && filters.actorMode === "all" && values.length > 1
        ? everyActorSql(values)
        : `SELECT DISTINCT event FROM ${table} WHERE ${column} IN (${placeholders(values)})`;
    return { where, params, countOnly: { sql, params: lists[0] === "actor" && filters.actorMode === "all" ? [...new Set(values)] : values } };
  }
  return { where, params };
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
export function filterEvents(reader: SnapshotReader, filters: EventFilters, purpose: "page" | "aggregate" = "page"): SqlFragment {
  requireKnownIds(reader.sql, filters);
  return eventFilterSql(filters, filterContext(reader), purpose);
}

/** What the filters need of the snapshot: the rowids a text selects, and the rowid range of a date span. */
export function filterContext(reader: SnapshotReader): FilterContext {
  const sql = reader.sql;
  return {
    matchText: (q) => {
      // Matched once: the participants' filter and the other spellings both read these.
      const matches = matchActors(sql, q);
      const fts = reader.textQuery(q, actorSpellings(sql, q, matches, reader.actorTokens));
      const actors = matches.map((match) => match.id);
      const parts: string[] = [];
      const params: unknown[] = [];
      if (fts) {
        parts.push("SELECT CAST(ref AS INTEGER) FROM search WHERE search MATCH ? AND kind = 'event'");
        params.push(fts);
      }
      if (actors.length) {
        parts.push(`SELECT event FROM participants WHERE actor IN (${placeholders(actors)})`);
        params.push(...actors);
      }
      return parts.length ? { where: [`e.rowid IN (${parts.join(" UNION ")})`], params } : { where: ["0"], params: [] };
    },
    // Remembered per span: a date filter's bounds are read from three indexes.
    rowidBounds: (from, to) => reader.remembered(`bounds\u0000${from ?? ""}\u0000${to ?? ""}`, () => rowidBounds(from, to)),
  };
  function rowidBounds(from: string | undefined, to: string | undefined) {
    const hi = to
      ? ((sql("SELECT rowid AS r FROM events WHERE first_day <= ? ORDER BY first_day DESC, rowid DESC LIMIT 1").get(to) as { r: number } | undefined)?.r ?? 0)
      : Number.MAX_SAFE_INTEGER;
    if (!from) return { lo: 0, hi };
    // Short events that reach `from` start at most LONG_EVENT_DAYS before it; long ones are listed apart.
    const reach = new Date(Date.parse(from) - LONG_EVENT_DAYS * 86_400_000).toISOString().slice(0, 10);
    const short = (sql("SELECT rowid AS r FROM events WHERE first_day >= ? ORDER BY first_day, rowid LIMIT 1").get(reach) as { r: number } | undefined)?.r;
    const long = (sql("SELECT min(event) AS r FROM long_events WHERE last_day >= ?").get(from) as { r: number | null }).r;
    const lo = Math.min(short ?? Number.MAX_SAFE_INTEGER, long ?? Number.MAX_SAFE_INTEGER);
    return { lo, hi };
  }
}

export function whereClause(fragment: SqlFragment, extra: string[] = []): string {
  const all = [...fragment.where, ...extra];
  return all.length ? `WHERE ${all.join(" AND ")}` : "";
}
