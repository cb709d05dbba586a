import type { EventFilters } from "@backchannel/schema";
import { BadRequestError } from "./errors.js";
import { asList, placeholders } from "./event-filters.js";
import { matchActors, spellingSimilarity, type Prepare } from "./search.js";

/** The filters that name records, and the table each one's ids live in. */
const ID_FILTERS = { actor: "actors", place: "places", source: "sources" } as const;
type IdFilter = keyof typeof ID_FILTERS;

/** How many known ids an unknown one suggests. */
const SUGGESTIONS = 3;
/** Below this, an id that shares its first letters is no suggestion ("nobody" is not "norway"). */
const SIMILARITY_FLOOR = 0.5;
/** Ids read by their first letters: a bounded range of the primary key, whatever the dataset's size. */
const PREFIX_CANDIDATES = 500;

/**
 * The known ids closest to an unknown one: for actors the name matcher first (it knows aliases
 * and transliterations: "araqchi" finds abbas-araghchi), then ids sharing the first two letters,
 * ranked by spelling.
 */
export function closestIds(prepare: Prepare, filter: IdFilter, unknown: string): string[] {
  const scores = new Map<string, number>();
  if (filter === "actor") {
    for (const match of matchActors(prepare, unknown.replace(/-+/g, " "), SUGGESTIONS)) scores.set(match.id, 1 + match.strength);
  }
  const prefix = unknown.slice(0, 2);
  const rows = prepare(`SELECT id FROM ${ID_FILTERS[filter]} WHERE id >= ? AND id < ? LIMIT ${PREFIX_CANDIDATES}`).all(prefix, `${prefix}\uffff`) as { id: string }[];
  for (const { id } of rows) {
    const similarity = spellingSimilarity(unknown, id);
    if (similarity >= SIMILARITY_FLOOR && !scores.has(id)) scores.set(id, similarity);
  }
  return [...scores]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, SUGGESTIONS)
    .map(([id]) => id);
}

/**
 * Throws a 400 naming each id in `actor`, `place` or `source` that no record has, with the
 * closest known ids: a typo must not read as "no events". One primary-key lookup per list.
 */
export function requireKnownIds(prepare: Prepare, filters: Pick<EventFilters, IdFilter>): void {
  const issues: { path: string; message: string }[] = [];
  for (const filter of Object.keys(ID_FILTERS) as IdFilter[]) {
    const ids = [...new Set(asList(filters[filter]))];
    if (ids.length === 0) continue;
    const rows = prepare(`SELECT id FROM ${ID_FILTERS[filter]} WHERE id IN (${placeholders(ids)})`).all(...ids) as { id: string }[];
    const known = new Set(rows.map((row) => row.id));
    for (const id of ids) {
      if (known.has(id)) continue;
      const closest = closestIds(prepare, filter, id);
      const hint = closest.length ? `did you mean ${closest.join(", ")}?` : `see /api/v1/${ID_FILTERS[filter]}`;
      issues.push({ path: filter, message: `no ${filter} has the id "${id}"; ${hint}` });
    }
  }
  if (issues.length) {
    const named = issues.map((issue) => issue.path).filter((path, i, all) => all.indexOf(path) === i);
    throw new BadRequestError(`unknown id in ${named.map((path) => `\`${path}\``).join(", ")}`, issues);
  }
}
