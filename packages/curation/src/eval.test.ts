import { articlesDir, haveArticles, readArticleParagraphs } from "@backchannel/dataset";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { draftFromParagraphs } from "./draft.js";
import fc from "fast-check";
import { dateRight, evaluate, misses, rates, recordWithout, total } from "./eval.js";
import { RecordIndex } from "./record.js";
import { curated, repoRoot } from "../test/record.js";

const folder = articlesDir(repoRoot);
const present = haveArticles(folder);
if (!present) {
  // Outside CI the articles may be elsewhere: say so loudly rather than pass in silence.
  if (process.env.CI) throw new Error(`the source articles are missing (${folder}); CI must have them`);
  console.warn(`⚠ the eval test is SKIPPED: no article folder at ${folder} (set BACKCHANNEL_ARTICLES)`);
}

/**
 * Floors just below today's figures (EVAL.md: recall 0.88, precision 0.91, dates 0.92, linking 0.99,
 * no wrong merge, no twin): a regression of the assistant fails CI. Raise them with the figures.
 */
const FLOORS = { eventRecall: 0.86, eventPrecision: 0.89, dateAccuracy: 0.9, actorLinking: 0.97 };

describe.skipIf(!present)("the assistant on the five source articles, leave-one-source-out", () => {
  it("stays above its floors, with no wrong merge", () => {
    const dataset = curated();
    const scores = evaluate(dataset, (source) => (existsSync(join(folder, source.file)) ? readArticleParagraphs(folder, source.file) : undefined));
    expect(scores.length).toBe(dataset.sources.length);
    const overall = total(scores);
    const achieved = rates(overall);
    for (const [metric, floor] of Object.entries(FLOORS)) expect(achieved[metric as keyof typeof FLOORS], metric).toBeGreaterThanOrEqual(floor);
    expect(overall.wrongMerges).toBe(0);
    // A report of an event the record holds is a citation of it, never a second event.
    expect(overall.twins).toBe(0);
  });
});

describe("`npm run eval -- --misses`", () => {
  it("names every curated event of a source that a draft did not report", () => {
    const dataset = curated();
    const source = dataset.sources[0]!;
    const draft = draftFromParagraphs(["Nothing of note happened."], new RecordIndex(recordWithout(dataset, source.id)), { file: source.file, published: source.published.date });
    const gold = dataset.events.filter((event) => event.citations.some((citation) => citation.source === source.id));
    const lines = misses(draft, dataset, source);
    expect(gold.length).toBeGreaterThan(0);
    for (const event of gold) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^missed +${event.id} `)));
  });
});

describe("date accuracy at the recorded precision", () => {
  const day = (start: string, end?: string) => ({ start, ...(end ? { end } : {}), basis: "inferred" as const, note: "n" });

  it("agrees at the record's precision, saying at least as much", () => {
    expect(dateRight(day("2025-05-27"), day("2025-05"))).toBe(true);
    expect(dateRight(day("2026-02-02", "2026-02-08"), day("2026-02"))).toBe(true);
    expect(dateRight(day("2024-07", "2024-10-02"), day("2024-07", "2024-10-02"))).toBe(true);
    expect(dateRight(day("2025-05"), day("2025-05-27"))).toBe(false);
  });

  it("at both ends: a span reaching past a record that has no end says something else", () => {
    // September or early October is not September; two days are not the one day recorded.
    expect(dateRight(day("2024-09", "2024-10-02"), day("2024-09"))).toBe(false);
    expect(dateRight(day("2025-05-27", "2025-05-28"), day("2025-05-27"))).toBe(false);
    expect(dateRight(day("2024-10-02"), day("2024-07", "2024-10-02"))).toBe(false);
  });

  it("a draft that says exactly what the record says is right", () => {
    const partial = fc.oneof(
      fc.integer({ min: 2000, max: 2030 }).map(String),
      fc.tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, "0")}`),
      fc.tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
    );
    fc.assert(
      fc.property(partial, fc.option(partial, { nil: undefined }), (start, end) => {
        expect(dateRight(day(start, end), day(start, end))).toBe(true);
      }),
    );
  });
});
