import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_SORTS, EVENT_TYPES, earliestDay, foldedText, isDescending, latestDay, sortKeyOf, spanBounds, type Actor, type Event, type EventSort, type Place } from "@backchannel/schema";
import { generateSynthetic, type SyntheticSize } from "../bench/generate.js";
import type { Snapshot } from "./snapshot.js";
import { syntheticApi } from "../../test/harness.js";

/**
 * The hot queries' plans, read with EXPLAIN QUERY PLAN from the statements a request really
 * runs: an index dropped or a query rewritten so that SQLite scans every event, or sorts a whole
 * list to serve one page, fails here rather than at a million events. Over a synthetic snapshot
 * of some thousands of events: SQLite plans by the statistics the build gathers, and over the
 * curated few dozen a scan is the cheapest plan for everything.
 */
let snapshot: Snapshot;
let get: (path: string) => Promise<Response>;
const SIZE: SyntheticSize = { events: 5_000, actors: 500, sources: 200, places: 100 };

beforeAll(async () => {
  // The SQL path, as a snapshot beyond the in-memory indexes' bounds reads every list and ranks every search (event-index.ts, text-index.ts).
  ({ snapshot, get } = await syntheticApi(SIZE, { eventIndex: false, textIndex: false }));
}, 120_000);
afterAll(() => snapshot.close());

/** Every statement (text and parameters) the store runs while `request` is answered, with its plan. */
async function plansOf(path: string): Promise<{ sql: string; plan: string[] }[]> {
  const reader = snapshot.reader as unknown as { sql: (text: string) => Database.Statement };
  const original = reader.sql;
  const ran: { sql: string; params: unknown[] }[] = [];
  reader.sql = (text: string) => {
    const statement = original(text);
    const record =
      (method: "all" | "get" | "iterate") =>
      (...params: unknown[]) => {
        ran.push({ sql: text, params });
        return (statement[method] as (...args: unknown[]) => unknown).apply(statement, params);
      };
    const proxy: Database.Statement = new Proxy(statement, {
      get: (target, key) => {
        if (key === "all" || key === "get" || key === "iterate") return record(key);
        const value = Reflect.get(target, key, target);
        if (typeof value !== "function") return value;
        // pluck(), raw() and expand() return the statement: keep recording what it runs.
        return (...args: unknown[]) => {
          const result = value.apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  try {
    const response = await get(path);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    await response.arrayBuffer();
  } finally {
    reader.sql = original;
  }
  return ran.map(({ sql, params }) => ({
    sql,
    plan: (snapshot.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail),
  }));
}

/** A plan line that sorts in a temporary tree: over the events table, a whole list sorted to serve one page. */
const sortsAll = (line: string) => /USE TEMP B-TREE FOR ORDER BY/.test(line);
/** Statements that read the events (or an actor's events in type order) for a page (the page's own JSON, read by key, is not one). */
const overEvents = (sql: string) => /FROM (events e|actor_event_types a|\w+ d)\b/.test(sql);

describe("the hot queries' plans", () => {
  it.each([
    ["/api/v1/events?limit=50", []],
    ["/api/v1/events?limit=50&sort=-date", []],
    ["/api/v1/events?limit=50&sort=title", ["events_by_title_key"]],
    ["/api/v1/events?limit=50&sort=-type", ["events_by_type_key"]],
    ["/api/v1/events?actor=actor-000007&limit=50", ["participants_by_actor"]],
    ["/api/v1/events?type=visit&limit=50", ["events_by_type"]],
    ["/api/v1/events?type=visit&limit=50&sort=title", ["events_by_type_title (type=?)"]],
    ["/api/v1/events?type=visit&limit=50&sort=-title", ["events_by_type_title (type=?)"]],
    ["/api/v1/events?actor=actor-000007&limit=50&sort=type", ["SEARCH a USING PRIMARY KEY (actor=?)"]],
    ["/api/v1/events?actor=actor-000007&limit=50&sort=-type&from=2010", ["SEARCH a USING PRIMARY KEY (actor=?)"]],
    ["/api/v1/events?source=source-000003&limit=50", ["event_sources_by_source"]],
    ["/api/v1/events?from=2010&to=2010&limit=50", ["INTEGER PRIMARY KEY (rowid>? AND rowid<?)"]],
    // Several filters: read through the one the built counts say is narrowest, the others checked per event.
    ["/api/v1/events?type=visit&topic=security&from=2010&to=2010&limit=50", ["SEARCH d USING PRIMARY KEY (list=? AND value=? AND type=? AND event>? AND event<?)"]],
    ["/api/v1/events?type=visit&topic=security&from=2010&to=2010&limit=50&sort=-date", ["SEARCH d USING PRIMARY KEY (list=? AND value=? AND type=? AND event>? AND event<?)"]],
    ["/api/v1/events?type=statement&country=IR&limit=50", ["SEARCH d USING PRIMARY KEY (list=? AND value=? AND type=?)"]],
    ["/api/v1/events?topic=security&status=occurred&limit=50", ["SEARCH d USING COVERING INDEX event_topics_by_topic (topic=?)"]],
    ["/api/v1/events?topic=security&from=2010&to=2010&limit=50", ["event_topics_by_topic (topic=? AND event>? AND event<?)"]],
    ["/api/v1/events?country=IR&from=2012-03&to=2012-08&limit=50&sort=-date", ["event_countries_by_country (country=? AND event>? AND event<?)"]],
    ["/api/v1/events?type=visit&from=2010&to=2010&limit=50", ["events_by_type (type=? AND rowid>? AND rowid<?)"]],
    ["/api/v1/events?type=visit&status=occurred&from=2010&to=2010&limit=50", ["events_by_type (type=? AND rowid>? AND rowid<?)"]],
    ["/api/v1/events?actor=actor-000007&topic=security&limit=50", ["participants_by_actor (actor=?"]],
    ["/api/v1/events?place=place-00003&type=visit&from=2010&to=2014&limit=50", ["event_places_by_place (place=?"]],
    ["/api/v1/events?source=source-000003&topic=security&limit=50", ["SEARCH d USING COVERING INDEX event_sources_by_source (source=?)"]],
  ])("%s is read in its order from an index, never sorted whole", async (path, indexes) => {
    const plans = await plansOf(path);
    const lines = plans.flatMap((statement) => statement.plan);
    for (const { sql, plan } of plans.filter((statement) => overEvents(statement.sql))) expect(plan.filter(sortsAll), sql).toEqual([]);
    for (const index of indexes) expect(lines.join("\n"), path).toContain(index);
  });

  it("counts a page's total through the narrowest filter's index, in every sort", async () => {
    for (const sort of ["date", "-date", "title", "-type"]) {
      const plans = await plansOf(`/api/v1/events?type=visit&topic=security&from=2010&to=2011&limit=5&sort=${sort}`);
      const counts = plans.filter((statement) => statement.sql.startsWith("SELECT count(*)"));
      expect(counts.length, sort).toBeGreaterThan(0);
      for (const { sql, plan } of counts) expect(plan.join("\n"), `${sort}: ${sql}`).toContain("SEARCH d USING PRIMARY KEY (list=? AND value=? AND type=? AND event>? AND event<?)");
    }
  });

  it("sorts by title or type only the few matches of a narrow filter, read through its index", async () => {
    for (const sort of ["title", "-title", "type", "-type"]) {
      const plans = await plansOf(`/api/v1/events?type=visit&type=meeting&topic=security&from=2010&to=2011&limit=5&sort=${sort}`);
      const rows = plans.find((statement) => statement.sql.includes("JOIN event_lists l"))!;
      expect(rows.plan.join("\n"), `${sort}: ${rows.sql}`).toMatch(/SEARCH list_type_events USING PRIMARY KEY \(list=\? AND value=\? AND type=\? AND event>\? AND event<\?\)/);
    }
  });

  it("reads one type's events in type order as in date order: through the narrowest index, never sorted", async () => {
    const plans = await plansOf("/api/v1/events?type=visit&topic=security&from=2010&to=2011&limit=5&sort=-type");
    const rows = plans.find((statement) => statement.sql.includes("JOIN event_lists l"))!;
    expect(rows.plan.join("\n"), rows.sql).toContain("SEARCH d USING PRIMARY KEY (list=? AND value=? AND type=? AND event>? AND event<?)");
    expect(rows.plan.filter(sortsAll), rows.sql).toEqual([]);
  });

  it("reads one event's stored JSON by key", async () => {
    const plans = await plansOf("/api/v1/events/event-0000042");
    const lines = plans.flatMap((statement) => statement.plan).join("\n");
    expect(lines).toMatch(/SEARCH e USING (COVERING )?INDEX sqlite_autoindex_events_1 \(id=\?\)/);
    expect(lines).toMatch(/SEARCH d USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });

  it("pages by cursor from the index, in every order", async () => {
    for (const sort of ["date", "-date", "title", "-title", "type", "-type"]) {
      const first = (await (await get(`/api/v1/events?limit=5&sort=${sort}`)).json()) as { page: { next: string } };
      const plans = await plansOf(`/api/v1/events?limit=5&sort=${sort}&cursor=${first.page.next}`);
      for (const { sql, plan } of plans.filter((statement) => overEvents(statement.sql))) expect(plan.filter(sortsAll), `${sort}: ${sql}`).toEqual([]);
    }
  });

  it("pages a type's events by title, and an actor's by type, from their indexes by cursor", async () => {
    for (const list of ["type=visit&sort=title", "type=visit&sort=-title", "actor=actor-000007&sort=type", "actor=actor-000007&sort=-type"]) {
      const first = (await (await get(`/api/v1/events?limit=5&${list}`)).json()) as { page: { next: string } };
      const plans = await plansOf(`/api/v1/events?limit=5&${list}&cursor=${first.page.next}`);
      for (const { sql, plan } of plans.filter((statement) => overEvents(statement.sql))) expect(plan.filter(sortsAll), `${list}: ${sql}`).toEqual([]);
      expect(plans.flatMap((statement) => statement.plan).join("\n"), list).toMatch(/events_by_type_title \(type=\? AND|SEARCH a USING PRIMARY KEY \(actor=\? AND/);
    }
  });

  it("searches through the full-text index, with the actors' names read once, in key order, into memory", async () => {
    const name = ((await (await get("/api/v1/actors/actor-000007")).json()) as { name: string }).name;
    const path = `/api/v1/search?q=${encodeURIComponent(name)}`;
    const readsNames = (sql: string) => /actor_(keys|tokens)/.test(sql);
    for (const { sql, plan } of (await plansOf(path)).filter((statement) => readsNames(statement.sql))) expect(plan.filter(sortsAll), sql).toEqual([]);
    const again = await plansOf(path);
    expect(again.flatMap((statement) => statement.plan).join("\n")).toContain("VIRTUAL TABLE INDEX");
    expect(again.map((statement) => statement.sql).filter(readsNames)).toEqual([]);
  });
});

/**
 * Whatever index a list is read through, its pages and totals are those of a straightforward
 * reference: the generated records filtered and sorted in plain code. Filter pairs and triples
 * drawn from the synthetic data's own values (one or two each), dates at year and month
 * precision, every sort, the first pages by cursor.
 */
describe("pages and totals read through any index equal a reference", () => {
  type Query = Record<string, string | string[]>;
  let records: { events: Event[]; actors: Map<string, Actor>; places: Map<string, Place> };

  beforeAll(async () => {
    // The same seed as the snapshot above: the same records.
    const dir = join(mkdtempSync(join(tmpdir(), "backchannel-reference-")), "data");
    await generateSynthetic(dir, SIZE);
    const read = <T>(kind: string) => readFileSync(join(dir, `${kind}.ndjson`), "utf8").trim().split("\n").map((line) => JSON.parse(line) as T);
    records = {
      events: read<Event>("events"),
      actors: new Map(read<Actor>("actors").map((actor) => [actor.id, actor])),
      places: new Map(read<Place>("places").map((place) => [place.id, place])),
    };
  }, 120_000);

  const anyOf = (wanted: string | string[] | undefined, have: (string | undefined)[]) => wanted === undefined || [wanted].flat().some((value) => have.includes(value));

  function matches(event: Event, query: Query): boolean {
    const { first, last } = spanBounds(event.date);
    const countries = [...event.participants.map((p) => records.actors.get(p.actor)?.country), ...event.places.map((place) => records.places.get(place)?.country)];
    return (
      anyOf(query.type, [event.type]) &&
      anyOf(query.status, [event.status]) &&
      anyOf(query.topic, event.topics) &&
      anyOf(query.country, countries) &&
      anyOf(query.actor, event.participants.map((p) => p.actor)) &&
      anyOf(query.place, event.places) &&
      anyOf(query.source, event.citations.map((citation) => citation.source)) &&
      (query.from === undefined || last >= earliestDay(query.from as string)) &&
      (query.to === undefined || first <= latestDay(query.to as string))
    );
  }

  function reference(query: Query, sort: EventSort): string[] {
    const key = sortKeyOf(sort);
    const text = (event: Event) => (key === "type" ? foldedText(EVENT_TYPES[event.type].label) : key === "title" ? foldedText(event.title) : "");
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const ordered = records.events
      .filter((event) => matches(event, query))
      .sort((a, b) => compare(text(a), text(b)) || compare(spanBounds(a.date).first, spanBounds(b.date).first) || compare(a.id, b.id));
    return (isDescending(sort) ? ordered.reverse() : ordered).map((event) => event.id);
  }

  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  const some = <T>(values: fc.Arbitrary<T>) => fc.uniqueArray(values, { minLength: 1, maxLength: 2 }).map((list) => (list.length === 1 ? list[0]! : list));
  const year = fc.integer({ min: 2000, max: 2026 });
  const filters = fc.record({
    type: some(fc.constantFrom("visit", "meeting", "statement", "airstrike", "praise", "mediated-talks")),
    topic: some(fc.constantFrom("security", "gaza", "yemen", "nuclear-programme", "maritime")),
    country: some(fc.constantFrom("IR", "OM", "US", "QA", "SA")),
    status: some(fc.constantFrom("occurred", "scheduled", "cancelled")),
    // Hubs (in many events) and the rest.
    actor: some(fc.oneof(fc.integer({ min: 0, max: 199 }), fc.integer({ min: 0, max: SIZE.actors - 1 })).map((n) => `actor-${pad(n, 6)}`)),
    place: some(fc.integer({ min: 0, max: SIZE.places - 1 }).map((n) => `place-${pad(n, 5)}`)),
    source: some(fc.integer({ min: 0, max: SIZE.sources - 1 }).map((n) => `source-${pad(n, 6)}`)),
    // A year, or months across a year's end (events of the year before reach into it).
    date: fc.oneof(
      year.map((y) => ({ from: `${y}`, to: `${y}` })),
      fc.tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 14 })).map(([y, m, months]) => {
        const end = Math.min(y * 12 + m - 1 + months, 2026 * 12 + 11);
        return { from: `${y}-${pad(m, 2)}`, to: `${Math.floor(end / 12)}-${pad((end % 12) + 1, 2)}` };
      }),
    ),
  });
  const queries = filters.chain((all) =>
    fc.subarray(Object.keys(all) as (keyof typeof all)[], { minLength: 2, maxLength: 3 }).map((keys) => {
      const query: Query = {};
      for (const key of keys) {
        if (key === "date") Object.assign(query, all.date);
        else query[key] = all[key];
      }
      return query;
    }),
  );

  it("for filter pairs and triples in every sort: each page's rows, offset and total", async () => {
    await fc.assert(
      fc.asyncProperty(queries, fc.constantFrom(...EVENT_SORTS), fc.integer({ min: 1, max: 60 }), async (query, sort, limit) => {
        const expected = reference(query, sort);
        const search = new URLSearchParams({ sort, limit: String(limit) });
        for (const [key, value] of Object.entries(query)) for (const one of [value].flat()) search.append(key, one);
        let cursor: string | undefined;
        for (let page = 0, offset = 0; page < 3; page++) {
          const response = await get(`/api/v1/events?${search}${cursor ? `&cursor=${cursor}` : ""}`);
          const body = (await response.json()) as { data: { id: string }[]; page: { total: number; offset: number; next: string | null } };
          expect(body.page, `${search}`).toMatchObject({ total: expected.length, offset });
          expect(body.data.map((event) => event.id), `${search}, page ${page + 1}`).toEqual(expected.slice(offset, offset + limit));
          offset += body.data.length;
          if (!body.page.next) break;
          cursor = body.page.next;
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
