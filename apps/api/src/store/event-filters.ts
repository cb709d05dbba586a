import { earliestDay, latestDay, type EventFilters } from "@backchannel/schema";
import { BadRequestError } from "./errors.js";

export interface SqlFragment {
  where: string[];
  params: unknown[];
}

export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const placeholders = (values: unknown[]) => values.map(() => "?").join(", ");

/**
 * Turns the shared event filters into SQL over `events e`. Values are always bound
 * parameters; `matchText` supplies the event rowids a text query selects.
 */
export function eventFilterSql(filters: EventFilters, matchText: (q: string) => SqlFragment): SqlFragment {
  const where: string[] = [];
  const params: unknown[] = [];
  const member = (table: string, column: string, values: string[]) => {
    if (values.length === 0) return;
    where.push(`e.rowid IN (SELECT event FROM ${table} WHERE ${column} IN (${placeholders(values)}))`);
    params.push(...values);
  };
  const column = (name: string, values: string[]) => {
    if (values.length === 0) return;
    where.push(`e.${name} IN (${placeholders(values)})`);
    params.push(...values);
  };
  member("participants", "actor", asList(filters.actor));
  member("event_countries", "country", asList(filters.country));
  member("event_places", "place", asList(filters.place));
  member("event_topics", "topic", asList(filters.topic));
  member("event_sources", "source", asList(filters.source));
  column("type", asList(filters.type));
  column("status", asList(filters.status));
  if (filters.from && filters.to && latestDay(filters.to) < earliestDay(filters.from)) {
    throw new BadRequestError("`to` is before `from`", [{ path: "to", message: `${filters.to} is before ${filters.from}` }]);
  }
  // Precision-aware overlap: the event's span meets [from, to] at either end's widest reading.
  if (filters.from) {
    where.push("e.last_day >= ?");
    params.push(earliestDay(filters.from));
  }
  if (filters.to) {
    where.push("e.first_day <= ?");
    params.push(latestDay(filters.to));
  }
  if (filters.q) {
    const text = matchText(filters.q);
    where.push(...text.where);
    params.push(...text.params);
  }
  return { where, params };
}

export function whereClause(fragment: SqlFragment, extra: string[] = []): string {
  const all = [...fragment.where, ...extra];
  return all.length ? `WHERE ${all.join(" AND ")}` : "";
}
