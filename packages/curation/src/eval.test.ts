import { articlesDir, haveArticles, readArticleParagraphs } from "@backchannel/dataset";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate, rates, total } from "./eval.js";
import { curated, repoRoot } from "../test/record.js";

const folder = articlesDir(repoRoot);
const present = haveArticles(folder);
if (!present) {
  // Outside CI the articles may be elsewhere: say so loudly rather than pass in silence.
  if (process.env.CI) throw new Error(`the source articles are missing (${folder}); CI must have them`);
  console.warn(`⚠ the eval test is SKIPPED: no article folder at ${folder} (set BACKCHANNEL_ARTICLES)`);
}

/**
 * Floors below the goals (recall 0.8, precision 0.7, dates 0.9, linking 0.95): they catch a
 * regression of today's assistant; EVAL.md holds the real figures.
 */
const FLOORS = { eventRecall: 0.55, eventPrecision: 0.5, dateAccuracy: 0.4, actorLinking: 0.88 };

describe.skipIf(!present)("the assistant on the five source articles, leave-one-source-out", () => {
  it("stays above its floors, with no wrong merge", () => {
    const dataset = curated();
    const scores = evaluate(dataset, (source) => (existsSync(join(folder, source.file)) ? readArticleParagraphs(folder, source.file) : undefined));
    expect(scores.length).toBe(dataset.sources.length);
    const overall = total(scores);
    const achieved = rates(overall);
    for (const [metric, floor] of Object.entries(FLOORS)) expect(achieved[metric as keyof typeof FLOORS], metric).toBeGreaterThanOrEqual(floor);
    expect(overall.wrongMerges).toBe(0);
  });
});
