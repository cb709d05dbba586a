import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { EVENT_SORTS, EventsQuerySchema, type EventsQuery } from "@backchannel/schema";
import { curatedApi, statementsDuring, syntheticApi } from "../../test/harness.js";
import { encodeCursor } from "./cursor.js";
import { EventIndex, listOrder } from "./event-index.js";
import { openSnapshot, type Snapshot } from "./snapshot.js";

/**
 * The in-memory index answers every page the SQL path answers, byte for byte: the same rows in
 * the same order, the same total, position and cursor, for any filters, sort, page size and
 * cursor (those the API made and hand-made ones), on the curated record and on a synthetic one
 * large enough for long lists, ties in every sort and events no filter reaches.
 */

interface Pair {
  name: string;
  indexed: Snapshot;
  reference: Snapshot;
  values: Record<"actor" | "place" | "source" | "topic" | "country" | "type" | "status", string[]>;
  days: string[];
  titles: string[];
  /** Words and names to search lists by (`q`). */
  words: string[];
  rowids: number;
}

const pairs: Pair[] = [];
const closing: Snapshot[] = [];

function pairOver(name: string, indexed: Snapshot): Pair {
  const reference = openSnapshot(indexed.path, { eventIndex: false, textIndex: false });
  closing.push(reference);
  const column = (sql: string) => [...new Set(indexed.db.prepare(sql).pluck().all() as string[])];
  return {
    name,
    indexed,
    reference,
    values: {
      actor: column("SELECT id FROM actors ORDER BY id"),
      place: column("SELECT id FROM places ORDER BY id"),
      source: column("SELECT id FROM sources ORDER BY id"),
      topic: column("SELECT DISTINCT topic FROM event_topics ORDER BY topic"),
      country: column("SELECT DISTINCT country FROM event_countries ORDER BY country"),
      type: column("SELECT DISTINCT type FROM events ORDER BY type"),
      status: column("SELECT DISTINCT status FROM events ORDER BY status"),
    },
    days: column("SELECT first_day FROM events UNION SELECT last_day FROM events ORDER BY 1"),
    titles: column("SELECT title_key FROM events UNION SELECT type_key FROM events ORDER BY 1"),
    words: [...new Set([...column("SELECT name FROM search WHERE kind = 'event' LIMIT 200").flatMap((title) => title.split(/\s+/)), ...column("SELECT name FROM actors")])].filter(Boolean),
    rowids: indexed.db.prepare("SELECT max(rowid) FROM events").pluck().get() as number,
  };
}

beforeAll(async () => {
  const curated = curatedApi();
  closing.push(curated.snapshot);
  pairs.push(pairOver("the curated record", curated.snapshot));
  const synthetic = await syntheticApi({ events: 2_000, actors: 300, sources: 100, places: 50 });
  closing.push(synthetic.snapshot);
  pairs.push(pairOver("a synthetic record of 2,000 events", synthetic.snapshot));
}, 120_000);

afterAll(() => {
  for (const snapshot of closing) snapshot.close();
});

/** Filters drawn from the record's own values, some several at once, with now and then a date span, a minimum of sources or the `all` actor mode. */
function queryOf(pair: Pair) {
  const some = (values: string[]) => fc.option(fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 3 });
  const day = fc.option(
    fc.constantFrom(...pair.days).chain((date) => fc.constantFrom(date, date.slice(0, 7), date.slice(0, 4))),
    { nil: undefined, freq: 2 },
  );
  return fc
    .record({
      actor: some(pair.values.actor),
      actorMode: fc.constantFrom(undefined, "any", "all"),
      place: some(pair.values.place),
      source: some(pair.values.source),
      topic: some(pair.values.topic),
      country: some(pair.values.country),
      type: some(pair.values.type),
      status: some(pair.values.status),
      // Full text, now and then: words of titles, actors' names, prefixes of them, or anything.
      q: fc.option(
        fc.oneof(
          fc.constantFrom(...pair.words),
          fc.tuple(fc.constantFrom(...pair.words), fc.nat()).map(([word, n]) => word.slice(0, 1 + (n % word.length))),
          fc.tuple(fc.constantFrom(...pair.words), fc.constantFrom(...pair.words)).map(([a, b]) => `${a} ${b}`),
          fc.string({ minLength: 1, maxLength: 8 }),
        ),
        { nil: undefined, freq: 4 },
      ),
      minSources: fc.constantFrom(undefined, undefined, 1, 2, 3),
      from: day,
      to: day,
      sort: fc.constantFrom(...EVENT_SORTS),
      limit: fc.constantFrom(1, 2, 5, 50, 500),
    })
    .map((raw) => {
      const query = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
      // A span whose end comes before its start is a 400 on both paths: checked apart.
      const parsed = EventsQuerySchema.safeParse(query);
      return parsed.success ? parsed.data : undefined;
    })
    .filter((query): query is EventsQuery => query !== undefined && !(query.from && query.to && query.to < query.from));
}

/** Every page of a list, following `next`, as the JSON each path serves. */
function allPages(snapshot: Snapshot, query: EventsQuery, limit = 60): string[] {
  const pages: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < limit; page++) {
    const json = snapshot.listEventsJson({ ...query, ...(cursor ? { cursor } : {}) }).toString("utf8");
    pages.push(json);
    const next = (JSON.parse(json) as { page: { next: string | null } }).page.next;
    if (!next) break;
    cursor = next;
  }
  return pages;
}

describe("the in-memory index of event lists", () => {
  it("is read for the curated record and the synthetic one (both within its bounds)", () => {
    for (const pair of pairs) expect(pair.indexed.events.index(), pair.name).toBeDefined();
  });

  it("is not read for a snapshot one event or one byte past its bounds", () => {
    for (const pair of pairs) {
      const { reader } = pair.reference;
      const events = reader.meta.counts.events;
      const bytes = reader.db.prepare("SELECT (SELECT sum(length(CAST(json AS BLOB))) FROM event_lists) + (SELECT sum(length(CAST(json AS BLOB))) FROM event_details)").pluck().get() as number;
      expect(EventIndex.read(reader, { events, bytes }), pair.name).toBeDefined();
      expect(EventIndex.read(reader, { events: events - 1, bytes }), pair.name).toBeUndefined();
      expect(EventIndex.read(reader, { events, bytes: bytes - 1 }), pair.name).toBeUndefined();
    }
  });

  it("serves the same pages as the SQL path, every page of every list, for any filters, sort and page size", () => {
    for (const pair of pairs) {
      fc.assert(
        fc.property(queryOf(pair), (query) => {
          expect(allPages(pair.indexed, query), `${pair.name}: ${JSON.stringify(query)}`).toEqual(allPages(pair.reference, query));
        }),
        { numRuns: 150 },
      );
    }
  });

  it("serves the same pages as the SQL path for full text (q) alone or beside one filter", () => {
    for (const pair of pairs) {
      const textQuery = fc
        .record({
          q: fc.oneof(
            { arbitrary: fc.constantFrom(...pair.words), weight: 3 },
            { arbitrary: fc.tuple(fc.constantFrom(...pair.words), fc.nat()).map(([word, n]) => word.slice(0, 1 + (n % word.length))), weight: 2 },
            { arbitrary: fc.tuple(fc.constantFrom(...pair.words), fc.constantFrom(...pair.words)).map(([a, b]) => `${a} ${b}`), weight: 1 },
          ),
          beside: fc.option(fc.oneof(...(["type", "topic", "country", "actor"] as const).map((filter) => fc.constantFrom(...pair.values[filter]).map((value) => ({ [filter]: value })))), { nil: undefined, freq: 2 }),
          sort: fc.constantFrom(...EVENT_SORTS),
          limit: fc.constantFrom(1, 5, 50),
        })
        .map(({ beside, ...query }) => EventsQuerySchema.parse({ ...query, ...beside }));
      let found = 0;
      fc.assert(
        fc.property(textQuery, (query) => {
          const pages = allPages(pair.indexed, query);
          expect(pages, `${pair.name}: ${JSON.stringify(query)}`).toEqual(allPages(pair.reference, query));
          if ((JSON.parse(pages[0]!) as { data: unknown[] }).data.length > 0) found++;
        }),
        { numRuns: 150 },
      );
      // Most of these lists hold events: the comparison is not of empty pages.
      expect(found, pair.name).toBeGreaterThan(40);
    }
  });

  it("starts a hand-made cursor's page where the SQL path starts it, also between events", () => {
    for (const pair of pairs) {
      const texts = fc.oneof(fc.constantFrom(...pair.titles), fc.constantFrom(...pair.titles).map((text) => `${text}~`), fc.string({ maxLength: 6 }), fc.constant("é"));
      fc.assert(
        fc.property(queryOf(pair), fc.integer({ min: -2, max: pair.rowids + 2 }), texts, (query, rowid, text) => {
          const keyed = listOrder(query) !== "date";
          const scope = pair.reference.reader.scope(`events:${query.sort}`, query);
          const cursor = encodeCursor(scope, keyed ? [text, rowid] : [rowid]);
          const answer = (snapshot: Snapshot) => snapshot.listEventsJson({ ...query, cursor }).toString("utf8");
          expect(answer(pair.indexed), `${pair.name}: ${JSON.stringify(query)} after ${text} ${rowid}`).toBe(answer(pair.reference));
        }),
        { numRuns: 150 },
      );
    }
  });

  it("serves every event's detail as the build stored it, and no event for an id none has", () => {
    for (const pair of pairs) {
      const ids = pair.indexed.db.prepare("SELECT id FROM events").pluck().all() as string[];
      for (const id of ids) expect(pair.indexed.getEventJson(id).equals(pair.reference.getEventJson(id)), `${pair.name}: ${id}`).toBe(true);
      for (const id of ["no-such-event", `${ids[0]}x`]) {
        expect(() => pair.indexed.getEventJson(id)).toThrow(`no event with id "${id}"`);
        expect(() => pair.reference.getEventJson(id)).toThrow(`no event with id "${id}"`);
      }
    }
  });

  it("serves a page, its cursor's next page and its total without a statement to SQLite", async () => {
    for (const pair of pairs) {
      const ran = await statementsDuring(pair.indexed, () => {
        const [actor] = pair.values.actor;
        const query = EventsQuerySchema.parse({ actor, type: pair.values.type, from: pair.days[0]!.slice(0, 4), sort: "-title", limit: 2 });
        const first = JSON.parse(pair.indexed.listEventsJson(query).toString()) as { page: { next: string | null } };
        if (first.page.next) pair.indexed.listEventsJson({ ...query, cursor: first.page.next });
        pair.indexed.listEventsJson({ sort: "date", limit: 50 });
      });
      expect(ran, pair.name).toEqual([]);
    }
  });

  it("fails as the SQL path does (unknown ids, a span ending before it starts), and filters by full text as it does", () => {
    const [curated] = pairs;
    const index = curated!.indexed.events.index()!;
    expect(index.knowsIds({ actor: ["no-such-actor"] })).toBe(false);
    const failure = (snapshot: Snapshot, query: EventsQuery) => {
      try {
        snapshot.listEventsJson(query);
      } catch (error) {
        return { message: (error as Error).message, issues: (error as { issues?: unknown }).issues };
      }
      throw new Error(`${JSON.stringify(query)} was answered`);
    };
    const unknownActor: EventsQuery = { actor: ["no-such-actor"], sort: "date", limit: 5 };
    expect(failure(curated!.indexed, unknownActor)).toEqual(failure(curated!.reference, unknownActor));
    expect(JSON.stringify(failure(curated!.indexed, unknownActor).issues)).toMatch(/no actor has the id \\"no-such-actor\\"/);
    const reversed: EventsQuery = { from: "2025-06", to: "2025-05-31", sort: "date", limit: 5 };
    expect(failure(curated!.indexed, reversed)).toEqual(failure(curated!.reference, reversed));
    const text = { q: "muscat", sort: "date", limit: 10 } as const;
    expect(curated!.indexed.listEventsJson(text).toString()).toBe(curated!.reference.listEventsJson(text).toString());
    // From memory: no full-text statement is prepared for it.
    const fresh = openSnapshot(curated!.indexed.path);
    closing.push(fresh);
    fresh.warm();
    const prepare = vi.spyOn(fresh.db, "prepare");
    expect(fresh.listEventsJson(text).toString()).toBe(curated!.reference.listEventsJson(text).toString());
    expect(prepare.mock.calls.filter(([sql]) => /\bMATCH\b/.test(sql))).toEqual([]);
  });
});
