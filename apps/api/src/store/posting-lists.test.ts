import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TYPES, EventStatusSchema, type EventFilters } from "@backchannel/schema";
import type { SyntheticSize } from "../bench/generate.js";
import { syntheticApi } from "../../test/harness.js";
import { filterContext, filterEvents, whereClause } from "./event-filters.js";
import { PostingLists, WANTED, type RowidRange } from "./posting-lists.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Counts by the filter values' rowid lists, walked in memory, equal SQLite's over the same
 * filters: for any mix of list filters, several values each, `actorMode=all`, a type or status
 * that holds most events (read as its complement), any cap, within a rowid range.
 */
let snapshot: Snapshot;
const SIZE: SyntheticSize = { events: 3_000, actors: 300, sources: 120, places: 60 };

beforeAll(async () => {
  ({ snapshot } = await syntheticApi(SIZE, { eventIndex: false }));
}, 120_000);
afterAll(() => snapshot.close());

/** The same count through SQLite: every match within the range, at most `cap` + 1. */
function countBySql(filters: EventFilters, cap: number, range: RowidRange): number {
  const fragment = filterEvents(snapshot.reader, filters, "aggregate");
  const extra = [...(range.after === undefined ? [] : [`e.rowid > ${range.after}`]), ...(range.through === undefined ? [] : [`e.rowid <= ${range.through}`])];
  const all = snapshot.db.prepare(`SELECT count(*) FROM events e ${whereClause(fragment, extra)}`).pluck().get(...fragment.params) as number;
  return Math.min(all, cap + 1);
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const some = <T>(values: fc.Arbitrary<T>) => fc.uniqueArray(values, { minLength: 1, maxLength: 3 });
const values = fc.record({
  type: some(fc.constantFrom(...(Object.keys(EVENT_TYPES) as (keyof typeof EVENT_TYPES)[]))),
  status: some(fc.constantFrom(...EventStatusSchema.options)),
  topic: some(fc.constantFrom("security", "gaza", "yemen", "nuclear-programme", "maritime", "economy-and-trade")),
  country: some(fc.constantFrom("IR", "OM", "US", "QA", "SA", "YE")),
  // Hubs (in many events) and the rest.
  actor: some(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: SIZE.actors - 1 })).map((n) => `actor-${pad(n, 6)}`)),
  place: some(fc.integer({ min: 0, max: SIZE.places - 1 }).map((n) => `place-${pad(n, 5)}`)),
  source: some(fc.integer({ min: 0, max: SIZE.sources - 1 }).map((n) => `source-${pad(n, 6)}`)),
});
/** One to three of those filters, as users combine them; with actors, either mode; sometimes a minimum of one source, which keeps every event. */
const filters: fc.Arbitrary<EventFilters> = fc
  .tuple(values, fc.constantFrom("any", "all"), fc.boolean())
  .chain(([all, actorMode, minSources]) =>
    fc.subarray(Object.keys(all) as (keyof typeof all)[], { minLength: 1, maxLength: 3 }).map((keys) => {
      const query: EventFilters = Object.fromEntries(keys.map((key) => [key, all[key]]));
      if (query.actor) query.actorMode = actorMode;
      if (minSources) query.minSources = 1;
      return query;
    }),
  );
/** Where a range starts and ends, as a share of the matches: its bounds fall on matching rowids, where an off-by-one shows. */
const share = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined });

/** A range whose bounds are matches of the filters (or none, or past the last event). */
function rangeOf(filters: EventFilters, after: number | undefined, through: number | undefined): RowidRange {
  const fragment = filterEvents(snapshot.reader, filters, "aggregate");
  const rowids = snapshot.db.prepare(`SELECT e.rowid FROM events e ${whereClause(fragment)} ORDER BY e.rowid`).pluck().all(...fragment.params) as number[];
  const at = (fraction: number) => rowids[Math.floor(fraction * rowids.length)] ?? SIZE.events + 1;
  return { ...(after === undefined ? {} : { after: at(after) }), ...(through === undefined ? {} : { through: at(through) }) };
}

describe("counts by rowid lists", () => {
  it("equal SQLite's count of the same filters, capped and within a range", () => {
    const lists = snapshot.events.postings;
    let counted = 0;
    fc.assert(
      fc.property(filters, fc.integer({ min: 0, max: 400 }), share, share, (query, cap, after, through) => {
        if (!PostingLists.answers(query)) return;
        const range = rangeOf(query, after, through);
        const posted = lists.count(query, cap, range);
        if (posted === undefined) return;
        counted++;
        expect(posted, JSON.stringify({ query, cap, range })).toBe(countBySql(query, cap, range));
      }),
      { numRuns: 400 },
    );
    // Most generated queries are lists only: the property was not vacuous.
    expect(counted).toBeGreaterThan(200);
  });

  it("reads a status that holds most events as the few others, and counts the same", () => {
    const occurred = snapshot.reader.builtCount({ status: ["occurred"] })!;
    expect(2 * occurred).toBeGreaterThan(snapshot.meta.counts.events);
    const lists = new PostingLists(snapshot.reader.sql, (filter, value) => filterContext(snapshot.reader).estimate(filter, [value], undefined, undefined), snapshot.meta.counts.events);
    for (const topic of ["security", "gaza", "yemen"] as const) {
      const query: EventFilters = { topic: [topic], status: ["occurred"] };
      expect(lists.count(query, 100_000)).toBe(countBySql(query, 100_000, {}));
    }
    // Only the topics' lists and the other statuses' were read: never the list of most events.
    expect(lists.heldBytes).toBeLessThan(occurred * 4);
  });

  it("holds at most its bound in bytes, whatever it is asked, and still counts right", () => {
    const bound = 2_048;
    const lists = new PostingLists(snapshot.reader.sql, (filter, value) => filterContext(snapshot.reader).estimate(filter, [value], undefined, undefined), snapshot.meta.counts.events, bound);
    let read = 0;
    for (let n = 0; n < SIZE.actors; n++) {
      const query: EventFilters = { actor: [`actor-${pad(n, 6)}`], topic: ["security"] };
      read += lists.of("actor", `actor-${pad(n, 6)}`).byteLength;
      expect(lists.count(query, 10_000)).toBe(countBySql(query, 10_000, {}));
      expect(lists.heldBytes).toBeLessThanOrEqual(bound);
    }
    // Far more was read than the bound holds.
    expect(read).toBeGreaterThan(4 * bound);
  });

  it("leaves to SQLite a count whose lists are neither held nor short, and the warm-up reads those first", () => {
    // Every list taken as too long to read during a request.
    const lists = new PostingLists(snapshot.reader.sql, () => 1_000_000, 2_000_000);
    const query: EventFilters = { topic: ["gaza"], country: ["IR"] };
    expect(lists.count(query, 10_000)).toBeUndefined();
    const warming = lists.warming({ topic: ["security"], country: ["OM"] });
    // The two asked for come first, a chunk (at most) and a pause each.
    for (let step = 0; step < 4; step++) warming.next();
    expect(lists.count(query, 10_000)).toBe(countBySql(query, 10_000, {}));
    expect(lists.count({ topic: ["security"] }, 10_000)).toBeUndefined();
  });

  it("remembers at most WANTED lists as asked for, however many requests name", () => {
    const lists = new PostingLists(snapshot.reader.sql, () => 1_000_000, 2_000_000);
    for (let n = 0; n < 2 * WANTED; n++) expect(lists.count({ actor: [`actor-${pad(n % SIZE.actors, 6)}`], place: [`place-${pad(n % SIZE.places, 5)}`] }, 10)).toBeUndefined();
    expect(lists.wantedLists).toBe(WANTED);
  });

  it("leaves text, dates and a minimum of sources to SQLite", () => {
    const lists = snapshot.events.postings;
    for (const query of [{ topic: ["gaza"], q: "visit" }, { topic: ["gaza"], from: "2010" }, { topic: ["gaza"], minSources: 2 }] as EventFilters[]) {
      expect(lists.count(query, 10_000), JSON.stringify(query)).toBeUndefined();
    }
  });
});
