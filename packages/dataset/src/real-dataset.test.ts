import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ARTICLES_ENV, articlesDir, missingArticles, readArticleParagraphs } from "./articles.js";
import { loadDataset, type Dataset } from "./load.js";

declare module "vitest" {
  interface TaskMeta {
    /** Read by `npm test`'s summary (scripts/test-summary.mjs), which prints it as a warning. */
    skipNote?: string;
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const articles = articlesDir(root);

const result = loadDataset(join(root, "data"));
if (!result.ok) throw new Error(`the curated dataset does not load:\n${JSON.stringify(result.problems, null, 2)}`);
const dataset: Dataset = result.dataset;
const missing = missingArticles(articles, dataset.sources.map((source) => source.file));
const haveArticles = missing.length === 0;

it("finds the source articles, or says loudly that the checks against them were skipped", ({ task }) => {
  if (haveArticles) return;
  const lacking = missing.length === dataset.sources.length ? `no articles in ${articles}` : `${articles} lacks ${missing.join(", ")}`;
  task.meta.skipNote = `The checks of the dataset against its source articles were SKIPPED: ${lacking}. Set ${ARTICLES_ENV} to the folder that holds them; CI must.`;
  expect(process.env.CI, `CI must provide the source articles (${ARTICLES_ENV}): ${lacking}`).toBeFalsy();
});

const paragraphsOf = (file: string) => readArticleParagraphs(articles, file);
const normalise = (text: string) => text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, " ").toLowerCase();
const words = (text: string) => normalise(text).replace(/[^\p{L}\p{N}' -]/gu, " ").split(/\s+/).filter(Boolean);

describe("the curated dataset", () => {
  it("loads with no errors and no warnings", () => {
    expect(result.warnings).toEqual([]);
  });

  it("covers all five articles, each event citing at least one paragraph", () => {
    expect(dataset.sources).toHaveLength(5);
    for (const event of dataset.events) expect(event.citations.length, event.id).toBeGreaterThan(0);
    const cited = new Set(dataset.events.flatMap((event) => event.citations.map((citation) => citation.source)));
    expect(cited.size).toBe(5);
  });

  it("keeps people with similar names apart and a changing post with its holders", () => {
    const names = (id: string) => dataset.actors.find((actor) => actor.id === id)?.name;
    expect(names("badr-albusaidi")).toBe("Badr bin Hamad Al Busaidi");
    expect(names("hamoud-bin-faisal-albusaidi")).toBe("Hamoud bin Faisal Al Busaidi");
    const secretaries = dataset.actors
      .filter((actor) => actor.positions.some((position) => position.post === "secretary-of-iran-supreme-national-security-council"))
      .map((actor) => actor.id)
      .sort();
    expect(secretaries).toEqual(["ali-akbar-ahmadian", "ali-larijani"]);
  });

  it("records every transliteration as an alias of one actor", () => {
    const araghchi = dataset.actors.find((actor) => actor.id === "abbas-araghchi");
    expect(araghchi?.aliases.map((alias) => alias.name)).toEqual(expect.arrayContaining(["Abbas Araqchi", "Araghchi"]));
  });
});

describe.skipIf(!haveArticles)("the curated dataset against the articles", () => {
  // Read in a hook, not while collecting: a skipped block's body still runs.
  const sources = new Map<string, { source: Dataset["sources"][number]; paragraphs: string[] }>();
  beforeAll(() => {
    for (const source of dataset.sources) sources.set(source.id, { source, paragraphs: paragraphsOf(source.file) });
  });

  it("passes data:check's checks against the articles: paragraph counts, every quote, every spelling", () => {
    const checked = loadDataset(join(root, "data"), { articles });
    expect(checked.ok ? checked.warnings : checked.problems).toEqual([]);
  }, 30_000);

  it("quotes a few words for every citation", () => {
    const citations = [...dataset.events.flatMap((event) => event.citations), ...dataset.actors.flatMap((actor) => actor.positions.flatMap((position) => position.citations))];
    for (const citation of citations) expect(citation.quote.split(/\s+/).length).toBeLessThanOrEqual(30);
  });

  it("writes titles, summaries and notes in its own words (no run of 10 words from an article)", () => {
    const RUN = 10; // long enough to pass official names and titles, short enough to catch a pasted sentence
    const articleRuns = new Set<string>();
    for (const { paragraphs } of sources.values()) {
      const tokens = words(paragraphs.join(" "));
      for (let i = 0; i + RUN <= tokens.length; i++) articleRuns.add(tokens.slice(i, i + RUN).join(" "));
    }
    const prose = dataset.events.flatMap((event) => [
      [event.id, event.title],
      [event.id, event.summary],
      [event.id, event.date.note ?? ""],
      ...event.citations.map((citation) => [event.id, citation.note ?? ""]),
    ]);
    for (const [id, text] of prose) {
      const tokens = words(text!);
      for (let i = 0; i + RUN <= tokens.length; i++) {
        expect(articleRuns.has(tokens.slice(i, i + RUN).join(" ")), `${id}: "${tokens.slice(i, i + RUN).join(" ")}"`).toBe(false);
      }
    }
  });
});
