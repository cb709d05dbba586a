import Database from "better-sqlite3";
import fc from "fast-check";
import { SearchQuerySchema } from "@backchannel/schema";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { curatedApi, syntheticApi } from "../../test/harness.js";
import { matchText, SEARCH_WEIGHTS, type TextQuery } from "./search.js";
import { copyFileSync, mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSnapshot, Snapshot } from "./snapshot.js";
import { TextIndex, TOKENIZED_WORDS, type TextRow } from "./text-index.js";

/**
 * The full-text index in memory ranks exactly as FTS5's bm25() does: the same rows, in the same
 * order, with the same scores to the last bit, for any words, prefixes, alternatives and limits,
 * on the curated record and on a synthetic one with long lists and many ties. (The whole search
 * is held to its frozen SQL reference in search.test.ts, over both snapshots, with this index on.)
 */

const LIMIT = 4 * 100;

function wordsOf(snapshot: Snapshot): string[] {
  const db = new Database(snapshot.path, { readonly: true });
  try {
    db.exec("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, search, 'row')");
    return db.prepare("SELECT term FROM temp.words").pluck().all() as string[];
  } finally {
    db.close();
  }
}

function instancesOf(snapshot: Snapshot): number {
  const db = new Database(snapshot.path, { readonly: true });
  try {
    db.exec("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, search, 'row')");
    return db.prepare("SELECT sum(cnt) FROM temp.words").pluck().get() as number;
  } finally {
    db.close();
  }
}

function queries(snapshot: Snapshot): fc.Arbitrary<TextQuery> {
  const words = wordsOf(snapshot);
  const titles = snapshot.db.prepare("SELECT name FROM search LIMIT 300").pluck().all() as string[];
  const written = [...new Set(titles.flatMap((title) => title.split(/[\s·,.;:()]+/)))].filter(Boolean);
  const text = fc.oneof(
    { arbitrary: fc.constantFrom(...words), weight: 4 },
    { arbitrary: fc.constantFrom(...written), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...words), fc.nat()).map(([word, n]) => word.slice(0, 1 + (n % word.length))), weight: 3 },
    { arbitrary: fc.stringMatching(/^[a-z]{1,8}$/), weight: 2 },
    { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }), weight: 1 },
    { arbitrary: fc.constantFrom("talks", "Mediation", "Ömän", "o'brien", "x-y", "٢٠٢٥", "the", "a"), weight: 1 },
  );
  const term = fc.record({ text, prefix: fc.boolean() });
  return fc.array(fc.array(term, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
}

function rankedBySql(snapshot: Snapshot, query: TextQuery, limit: number): TextRow[] {
  return snapshot.db
    .prepare(`SELECT kind, ref, name, body, bm25(search, ${SEARCH_WEIGHTS.join(", ")}) AS rank FROM search WHERE search MATCH ? ORDER BY rank LIMIT +?`)
    .raw()
    .all(matchText(query), limit) as TextRow[];
}

function ranksAsFts5(name: string, snapshot: () => Snapshot, runs: number) {
  it(`ranks as FTS5 over ${name}: the same rows, order and scores, for any words, prefixes and alternatives`, () => {
    const index = snapshot().insight.textIndex();
    expect(index).toBeDefined();
    let phrases = 0;
    fc.assert(
      fc.property(queries(snapshot()), fc.integer({ min: 1, max: LIMIT }), (query, limit) => {
        const ranked = index!.rank(query, limit);
        if (ranked === undefined) {
          // Left to FTS5 only when a term is a phrase of several words (or none) to the tokenizer.
          phrases++;
          return;
        }
        const expected = rankedBySql(snapshot(), query, limit);
        expect(ranked.length).toBe(expected.length);
        ranked.forEach((row, i) => {
          expect(row.slice(0, 4)).toEqual(expected[i]!.slice(0, 4));
          expect(Object.is(row[4], expected[i]![4]) || row[4] === expected[i]![4]).toBe(true);
        });
      }),
      { numRuns: runs },
    );
    expect(phrases).toBeLessThan(runs / 2);
  });
}

describe("the in-memory full-text index", () => {
  let synthetic: Snapshot;
  const { snapshot: curated } = curatedApi();

  beforeAll(async () => {
    ({ snapshot: synthetic } = await syntheticApi({ events: 2_000, actors: 300, sources: 100, places: 50 }));
  }, 120_000);
  afterAll(() => synthetic.close());

  ranksAsFts5("the curated record", () => curated, 500);
  ranksAsFts5("a synthetic record of 2,000 events", () => synthetic, 300);

  it("is read up to its bound of words, and not one word past it", () => {
    for (const snapshot of [curated, synthetic]) {
      const instances = instancesOf(snapshot);
      const held = TextIndex.read(snapshot.db, instances);
      expect(held).toBeDefined();
      held!.close();
      expect(TextIndex.read(snapshot.db, instances - 1)).toBeUndefined();
    }
  });

  it("ranks a search without a full-text statement to SQLite; with the index off, FTS5 ranks it", () => {
    const name = curated.db.prepare("SELECT name FROM actors ORDER BY id LIMIT 1").pluck().get() as string;
    const query = SearchQuerySchema.parse({ q: name });
    for (const [textIndex, statements] of [
      [true, 0],
      [false, 1],
    ] as const) {
      const snapshot = openSnapshot(curated.path, { textIndex });
      try {
        snapshot.warm();
        const prepare = vi.spyOn(snapshot.db, "prepare");
        const answer = snapshot.search(query);
        expect(answer.data.length).toBeGreaterThan(0);
        expect(prepare.mock.calls.filter(([sql]) => /\bMATCH\b/.test(sql)).length).toBe(statements);
      } finally {
        snapshot.close();
      }
    }
  });

  it("is read from the file the snapshot has open, even when a newer build has since replaced it at its path", () => {
    const path = join(mkdtempSync(join(tmpdir(), "backchannel-text-index-")), "snapshot.sqlite");
    copyFileSync(curated.path, path);
    const served = new Snapshot(path);
    const reference = new Snapshot(path, { eventIndex: false, textIndex: false });
    try {
      // A rebuild writes another file and renames it over the path (the synthetic record here).
      copyFileSync(synthetic.path, `${path}.next`);
      renameSync(`${path}.next`, path);
      const name = curated.db.prepare("SELECT name FROM actors ORDER BY id LIMIT 1").pluck().get() as string;
      for (const q of [name, "talks", "oman"]) {
        const query = SearchQuerySchema.parse({ q, limit: 50 });
        expect(served.search(query)).toEqual(reference.search(query));
      }
      expect(served.insight.textIndex()).toBeDefined();
    } finally {
      served.close();
      reference.close();
    }
  });

  it("remembers the index words of at most TOKENIZED_WORDS query terms, however many distinct words are searched", () => {
    const index = TextIndex.read(curated.db)!;
    try {
      for (let i = 0; i < TOKENIZED_WORDS + 50; i++) index.rank([[{ text: `word${i}`, prefix: false }]], 10);
      expect(index.tokenizedWords).toBe(TOKENIZED_WORDS);
      // And still ranks as it did: a term forgotten is cut and looked up again.
      expect(index.rank([[{ text: "word0", prefix: true }]], 10)).toEqual(rankedBySql(curated, [[{ text: "word0", prefix: true }]], 10));
    } finally {
      index.close();
    }
  });
});
