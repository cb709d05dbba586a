import fc from "fast-check";
import { SearchQuerySchema, type Actor } from "@backchannel/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curatedApi, syntheticApi } from "../../test/harness.js";
import { referenceActorSpellings, referenceMatchActors, referenceSearch } from "../../test/search-reference.js";
import { actorNames, actorSpellings, compareCodePoints, matchActors, type Prepare } from "./search.js";
import type { Snapshot } from "./snapshot.js";

/**
 * The search with the actors' names held in memory answers exactly as the reference (the SQL
 * path it replaced, test/search-reference.ts): the same hits, in the same order, with the same
 * scores and fields, for names with letters changed, prefixes, other transliterations, random
 * words and punctuation, over the curated snapshot and a synthetic one of many similar names.
 */
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

function queries(snapshot: Snapshot) {
  const actors = (snapshot.db.prepare("SELECT doc FROM actors").pluck().all() as string[]).map((doc) => JSON.parse(doc) as Actor);
  const names = actors.flatMap((actor) => [actor.name, ...actor.aliases.map((alias) => alias.name)]);
  const titles = snapshot.db.prepare("SELECT name FROM search WHERE kind <> 'actor' LIMIT 200").pluck().all() as string[];
  const words = [...new Set(titles.flatMap((title) => title.split(/\s+/)))].filter(Boolean);
  const at = (text: string, index: number) => index % Math.max(1, text.length);
  const changed = fc.oneof(
    fc.constantFrom(...names),
    // One letter changed, dropped or added.
    fc.tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom(...LETTERS)).map(([name, i, letter]) => name.slice(0, at(name, i)) + letter + name.slice(at(name, i) + 1)),
    fc.tuple(fc.constantFrom(...names), fc.nat()).map(([name, i]) => name.slice(0, at(name, i)) + name.slice(at(name, i) + 1)),
    fc.tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom(...LETTERS)).map(([name, i, letter]) => name.slice(0, at(name, i)) + letter + name.slice(at(name, i))),
    // A prefix of the name, or of one of its words.
    fc.tuple(fc.constantFrom(...names), fc.nat()).map(([name, i]) => name.slice(0, 1 + at(name, i))),
    fc.tuple(fc.constantFrom(...names), fc.nat(), fc.nat()).map(([name, w, i]) => {
      const parts = name.split(/\s+/);
      const word = parts[w % parts.length]!;
      return word.slice(0, 1 + at(word, i));
    }),
    // Other transliterations.
    fc.constantFrom(...names).map((name) => name.replace(/q/g, "gh").replace(/k/g, "q").replace(/ee/g, "i").replace(/a/, "aa")),
    fc.constantFrom(...names).map((name) => name.replace(/gh/g, "q").replace(/aa/g, "a").replace(/i/, "ee").replace(/Al-|al-/g, "Al ")),
  );
  const noise = fc.oneof(
    fc.constantFrom(...words),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "grapheme", maxLength: 8 }),
    fc.constantFrom("al", "bin", "ibn", "el", "a", "of", "the", "oman", "iran", "ä", "Zarif", "ʿAli", "O'Man"),
  );
  const text = fc.oneof(
    { arbitrary: changed, weight: 5 },
    { arbitrary: noise, weight: 2 },
    { arbitrary: fc.tuple(changed, fc.constantFrom(" ", " - ", ", ", "*", '"', "  ("), noise).map(([a, sep, b]) => `${a}${sep}${b}`), weight: 2 },
    // Nothing left once tokenized.
    { arbitrary: fc.string({ unit: fc.constantFrom("!", "-", '"', "'", "*", " ", "(", ")", ":", "^", "·"), minLength: 1, maxLength: 6 }), weight: 1 },
  );
  return fc
    .record({ q: text, kind: fc.subarray(["actor", "event", "source", "place"] as const), limit: fc.integer({ min: 1, max: 100 }) })
    .filter(({ q }) => q.trim().length > 0 && q.length <= 200)
    .map(({ q, kind, limit }) => SearchQuerySchema.parse({ q, limit, ...(kind.length ? { kind } : {}) }));
}

function answersAsTheReference(snapshot: () => Snapshot, runs: number) {
  it("the search answers as the reference: same hits, order, scores and fields", () => {
    fc.assert(
      fc.property(queries(snapshot()), (query) => {
        expect(snapshot().search(query)).toEqual(referenceSearch(snapshot().reader, query));
      }),
      { numRuns: runs },
    );
  });

  it("the actor matcher and the other spellings answer as the reference, at every limit", () => {
    const prepare = snapshot().db.prepare.bind(snapshot().db) as Prepare;
    const tokensOf = snapshot().reader.actorTokens;
    fc.assert(
      fc.property(queries(snapshot()), fc.constantFrom(1, 5, 200, 5000), ({ q }, limit) => {
        const matches = matchActors(snapshot().reader.sql, q, limit);
        expect(matches).toEqual(referenceMatchActors(prepare, q, limit));
        expect(actorSpellings(snapshot().reader.sql, q, matches, tokensOf)).toEqual(referenceActorSpellings(prepare, q, matches, tokensOf));
      }),
      { numRuns: runs },
    );
  });
}

describe("over the curated snapshot", () => {
  const { snapshot } = curatedApi();
  answersAsTheReference(() => snapshot, 400);
});

describe("over a synthetic snapshot of many similar names", () => {
  let snapshot: Snapshot;
  beforeAll(async () => {
    ({ snapshot } = await syntheticApi({ events: 2_000, actors: 600, sources: 50, places: 50 }));
  }, 120_000);
  afterAll(() => snapshot.close());
  answersAsTheReference(() => snapshot, 300);
});

describe("the memory the names take", () => {
  it("remembers sound keys for the actors' own words only, whatever is searched", () => {
    const { snapshot } = curatedApi();
    const tokens = snapshot.db.prepare("SELECT count(DISTINCT token) FROM actor_tokens").pluck().get() as number;
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.stringMatching(/^[a-z]{3,12}$/), (random, word) => {
        for (const q of [random, word, `${word} ${random}`].filter((text) => text.trim())) snapshot.search(SearchQuerySchema.parse({ q }));
        expect(actorNames(snapshot.reader.sql).soundsRemembered).toBeLessThanOrEqual(tokens);
      }),
      { numRuns: 300 },
    );
    // A name of the record is compared with its actor's words by sound: their keys are remembered, within the bound.
    const name = snapshot.db.prepare("SELECT name FROM actors ORDER BY id LIMIT 1").pluck().get() as string;
    snapshot.search(SearchQuerySchema.parse({ q: name }));
    expect(actorNames(snapshot.reader.sql).soundsRemembered).toBeGreaterThan(0);
    expect(actorNames(snapshot.reader.sql).soundsRemembered).toBeLessThanOrEqual(tokens);
  });
});

describe("the order the names are kept in", () => {
  it("is SQLite's (UTF-8 bytes), not JavaScript's (UTF-16 units)", () => {
    const db = curatedApi().snapshot.db;
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 6 }), fc.string({ unit: "binary", maxLength: 6 }), (a, b) => {
        const sqlite = Math.sign(db.prepare("SELECT CASE WHEN ? < ? THEN -1 WHEN ? = ? THEN 0 ELSE 1 END").pluck().get(a, b, a, b) as number);
        expect(Math.sign(compareCodePoints(a, b))).toBe(sqlite);
      }),
      { numRuns: 300 },
    );
  });
});
