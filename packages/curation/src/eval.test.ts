import { articlesDir, haveArticles, readArticleParagraphs } from "@backchannel/dataset";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { draftFromParagraphs } from "./draft.js";
import { evaluate, misses, rates, recordWithout, total } from "./eval.js";
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
 * Floors just below today's figures (EVAL.md: recall 0.86, precision 0.90, dates 0.76, linking 0.99,
 * no wrong merge, no twin): a regression of the assistant fails CI. Raise them with the figures.
 */
const FLOORS = { eventRecall: 0.82, eventPrecision: 0.86, dateAccuracy: 0.72, actorLinking: 0.96 };

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
