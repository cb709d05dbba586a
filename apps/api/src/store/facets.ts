import { codeEventType, type Event, type EventFilters, type FacetsQuery } from "@backchannel/schema";
import { asList, filterEvents, whereClause, type SqlFragment } from "./event-filters.js";
import type { SnapshotReader } from "./reader.js";

/** Facets count the values of at most this many matching events. */
export const FACET_CAP = 10_000;

const FACET_NAMES = ["type", "status", "year", "topic", "country", "actor", "place", "source"] as const;
type FacetName = (typeof FACET_NAMES)[number];
/** Facets whose chosen values are OR'ed: a click on one more value adds to the list. */
const ORED_FACETS = new Set<FacetName>(["type", "status", "topic", "country", "actor", "place", "source"]);

/** The counts beside each filter's values. */
export class FacetStore {
  constructor(private readonly reader: SnapshotReader) {}

  /**
   * Disjunctive facets (as Elasticsearch and Algolia count them): the counts of each facet are
   * taken over the events matching every filter except that facet's own, and the number beside a
   * value is the `total` of the list its click gives. With nothing chosen in a facet, a click
   * chooses the value; where values are already chosen, a click adds one (values of a facet are
   * OR'ed), so an unchosen value counts the current total plus the events that have it and none of
   * the chosen ones; a chosen value counts its own events. The year facet's own filter is
   * `from`/`to`, and a year counts every event whose span overlaps it (the rule of `from=Y&to=Y`).
   * Actors under `actorMode=all` are the exception: choosing one more narrows the list, so their
   * counts are taken with the actor filter kept.
   */
  facets(query: FacetsQuery) {
    const own: Record<FacetName, (keyof EventFilters)[]> = {
      type: ["type"],
      status: ["status"],
      year: ["from", "to"],
      topic: ["topic"],
      country: ["country"],
      actor: query.actorMode === "all" ? [] : ["actor"],
      place: ["place"],
      source: ["source"],
    };
    // Facets whose own filter is not set count over the same events: one statement for them all,
    // and one more for each facet with a filter of its own.
    const groups = new Map<string, FacetName[]>([["", []]]);
    for (const name of FACET_NAMES) {
      const dropped = own[name].filter((key) => query[key] !== undefined);
      const key = dropped.join(",");
      groups.set(key, [...(groups.get(key) ?? []), name]);
    }
    const found = new Map<FacetName, { value: string; label: string | null; count: number }[]>();
    /** What a click on an unchosen value adds: events with it and none of the values chosen in its facet. */
    const added = new Map<FacetName, { chosen: string[]; adds: Map<string, number> }>();
    let base = { counted: 0, exact: true };
    let exact = true;
    for (const [key, names] of groups) {
      const filters: FacetsQuery = { ...query };
      for (const dropped of key ? (key.split(",") as (keyof EventFilters)[]) : []) delete filters[dropped];
      const result = this.countFacets(filters, names, query.size);
      for (const [name, values] of result.facets) found.set(name, values);
      exact &&= result.counted < FACET_CAP;
      if (key === "") base = { counted: result.counted, exact: result.counted < FACET_CAP };
      for (const name of names) {
        const chosen = ORED_FACETS.has(name) && !(name === "actor" && query.actorMode === "all") ? asList(query[name as keyof EventFilters] as string | string[] | undefined) : [];
        if (chosen.length === 0) continue;
        // The same filter a request for these values alone would run.
        const none = filterEvents(this.reader, { [name]: chosen } as EventFilters, "aggregate");
        const extra = this.countFacets(filters, [name], query.size, none);
        exact &&= extra.counted < FACET_CAP;
        added.set(name, { chosen, adds: new Map((extra.facets.get(name) ?? []).map((row) => [row.value, row.count])) });
      }
    }
    const filter = filterEvents(this.reader, query);
    const { total, totalExact } = base.exact ? { total: base.counted, totalExact: true } : this.reader.count(`FROM events e ${whereClause(filter)}`, filter.params);
    for (const [name, { chosen, adds }] of added) {
      found.set(name, (found.get(name) ?? []).map((row) => (chosen.includes(row.value) ? row : { ...row, count: total + (adds.get(row.value) ?? 0) })));
    }
    const facet = (name: FacetName) => (found.get(name) ?? []).map((row) => ({ value: row.value, label: row.label ?? row.value, count: row.count }));
    return {
      total,
      totalExact,
      counted: base.counted,
      exact,
      facets: {
        // Types read as their codebook labels ("Mediated talks"), not slugs.
        type: facet("type").map((item) => ({ ...item, label: codeEventType(item.value as Event["type"]).label })),
        status: facet("status"),
        year: facet("year"),
        topic: facet("topic"),
        country: facet("country"),
        actor: facet("actor"),
        place: facet("place"),
        source: facet("source"),
      },
    };
  }

  /** The latest year an open-ended event (`…` to 9999) is counted in: the last year any event starts. */
  private get lastYear(): number {
    this.latestStart ??= Number(((this.reader.sql("SELECT max(first_day) AS d FROM events").get() as { d: string | null }).d ?? "0").slice(0, 4));
    return this.latestStart;
  }
  private latestStart: number | undefined;

  /** One statement: the first FACET_CAP events matching `filters` (date order), materialised once, and the counts of `names` over them. */
  private countFacets(filters: FacetsQuery, names: FacetName[], size: number, without?: SqlFragment) {
    const matching = filterEvents(this.reader, filters);
    // `without`: leave out the events it matches (those a click would not add).
    const filter: SqlFragment = without
      ? { where: [...matching.where, `NOT (${without.where.join(" AND ")})`], params: [...matching.params, ...without.params] }
      : matching;
    const lastYear = this.lastYear;
    const ctes = [
      `chosen AS MATERIALIZED (SELECT e.rowid AS event, e.type, e.status, CAST(substr(e.first_day, 1, 4) AS INTEGER) AS first_year,
         min(CAST(substr(e.last_day, 1, 4) AS INTEGER), max(${lastYear}, CAST(substr(e.first_day, 1, 4) AS INTEGER))) AS last_year
         FROM events e ${whereClause(filter)} ORDER BY e.rowid LIMIT ${FACET_CAP})`,
    ];
    if (names.includes("year")) {
      ctes.push(
        "bounds AS (SELECT min(first_year) AS lo, max(last_year) AS hi FROM chosen)",
        "years(y) AS (SELECT lo FROM bounds WHERE lo IS NOT NULL UNION ALL SELECT y + 1 FROM years, bounds WHERE y < hi)",
      );
    }
    // CROSS JOIN keeps the matching events as the outer loop: each probes its side table's index.
    const side = (table: string, column: string, label = "NULL") =>
      `SELECT x.${column} AS value, ${label} AS label, count(*) AS count FROM chosen c CROSS JOIN ${table} x ON x.event = c.event GROUP BY x.${column}`;
    const parts: Record<FacetName, string> = {
      type: "SELECT type AS value, NULL AS label, count(*) AS count FROM chosen GROUP BY type",
      status: "SELECT status AS value, NULL AS label, count(*) AS count FROM chosen GROUP BY status",
      // An event counts in every year its span overlaps, as `from=Y&to=Y` selects it.
      year: "SELECT CAST(y.y AS TEXT) AS value, NULL AS label, count(*) AS count FROM years y JOIN chosen c ON c.first_year <= y.y AND c.last_year >= y.y GROUP BY y.y",
      topic: side("event_topics", "topic"),
      country: side("event_countries", "country"),
      actor: side("participants", "actor", "(SELECT name FROM actors WHERE id = x.actor)"),
      place: side("event_places", "place", "(SELECT name FROM places WHERE id = x.place)"),
      source: side("event_sources", "source", "(SELECT coalesce(json_extract(doc, '$.title'), json_extract(doc, '$.description')) FROM sources WHERE id = x.source)"),
    };
    const union = [
      ...names.map((name) => `SELECT '${name}' AS facet, * FROM (${parts[name]} ORDER BY count DESC, value LIMIT ${size})`),
      "SELECT 'counted', NULL, NULL, count(*) FROM chosen",
    ].join(" UNION ALL ");
    const rows = this.reader.sql(`WITH RECURSIVE ${ctes.join(", ")} ${union}`).all(...filter.params) as { facet: string; value: string; label: string | null; count: number }[];
    const facets = new Map<FacetName, { value: string; label: string | null; count: number }[]>(
      names.map((name) => [
        name,
        rows.filter((row) => row.facet === name).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
      ]),
    );
    return { counted: rows.find((row) => row.facet === "counted")!.count, facets };
  }
}
