import { draftArticle, loadReviewFolder, saveReviewFolder, readArticle } from "@backchannel/curation";
import { loadDataset } from "@backchannel/dataset";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { ReviewScreen } from "./ReviewScreen.js";
import { dataDir, KEYS, waitFor } from "../../test/harness.js";

const fixture = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../../packages/curation/test/fixtures/muscat-talks.txt"));

/** A review folder for the fixture article over a scratch copy of data/. */
function setUp() {
  const scratch = mkdtempSync(join(tmpdir(), "backchannel-review-test-"));
  const data = join(scratch, "data");
  cpSync(dataDir, data, { recursive: true });
  const loaded = loadDataset(data);
  if (!loaded.ok) throw new Error("data/ does not load");
  const draft = draftArticle(fixture, loaded.dataset, { file: "muscat-talks.txt", published: "2026-03-04" });
  const dir = saveReviewFolder(join(scratch, "drafts"), draft, readArticle(fixture).paragraphs);
  // Where `w` puts the new source's article: a scratch folder, never the real articles.
  const articles = join(scratch, "articles");
  mkdirSync(articles);
  return { data, dir, draft, articles };
}

async function start(folderDir: string, data: string, articles?: string) {
  const app = render(<ReviewScreen folder={loadReviewFolder(folderDir)} dataDir={data} {...(articles ? { articles } : {})} />);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  await waitFor(app.lastFrame, (text) => text.includes("proposals"));
  await settle();
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await settle();
    }
  };
  return { ...app, press };
}

describe("the review screen", () => {
  it("lists the proposals and shows the selected one's paragraph with its supporting words marked", async () => {
    const { dir, data, draft } = setUp();
    const app = await start(dir, data);
    const frame = app.lastFrame()!;
    expect(frame).toContain(`Review ${draft.source.id}`);
    for (const event of draft.events) expect(frame).toContain(`${event.id} `);
    const first = draft.events[0]!;
    expect(frame).toContain(`¶${first.evidence[0]!.paragraph}`);
    // The evidence words are set apart in the paragraph (inverse video, and «» for plain terminals).
    // (its first words only: the paragraph wraps beside the list, so a long run is broken across lines)
    expect(frame).toContain(`«${first.evidence[0]!.words.split(" ").slice(0, 3).join(" ")}`);
    app.unmount();
  }, 180_000);

  it("accepts, rejects and keeps the decisions in the folder", async () => {
    const { dir, data } = setUp();
    const app = await start(dir, data);
    await app.press("a", "r");
    expect(app.lastFrame()).toContain("1 accepted · 1 rejected");
    expect(JSON.parse(readFileSync(join(dir, "review.json"), "utf8")).decisions).toEqual({ e1: "accepted", e2: "rejected" });
    await app.press(KEYS.up, " ");
    expect(app.lastFrame()).toContain("1 accepted · 0 rejected");
    app.unmount();
  }, 180_000);

  it("edits a type and a date, refusing what is not one", async () => {
    const { dir, data } = setUp();
    const app = await start(dir, data);
    await app.press("t");
    await app.press(...Array.from({ length: 20 }, () => KEYS.backspace), ..."summit".split(""), KEYS.enter);
    expect(app.lastFrame()).toContain("e1: type summit");
    await app.press("t", ...Array.from({ length: 20 }, () => KEYS.backspace), ..."picnic".split(""), KEYS.enter);
    expect(app.lastFrame()).toContain('"picnic" is not an event type');
    await app.press("d", ...Array.from({ length: 30 }, () => KEYS.backspace), ..."2026-03".split(""), KEYS.enter);
    expect(loadReviewFolder(dir).draft.events[0]).toMatchObject({ type: "summit", date: { start: "2026-03", basis: "inferred" } });
    app.unmount();
  }, 180_000);

  it("w writes the accepted records, checked like data:check, and puts the new source's article beside the others", async () => {
    const { dir, data, articles, draft } = setUp();
    const app = await start(dir, data, articles);
    await app.press("a", "a");
    await app.press("w");
    const frame = await waitFor(app.lastFrame, (text) => text.includes("written") || text.includes("nothing written"), 90_000);
    expect(frame).toContain("data:check clean");
    expect(loadDataset(data).ok).toBe(true);
    // data:check looks for the new source's article where the others are: it is there, numbered as drafted,
    // and every quote of the new citations stands in it.
    const copied = join(articles, draft.source.file);
    expect(existsSync(copied)).toBe(true);
    const text = readFileSync(copied, "utf8");
    expect(text.split("\n").filter((line) => line.trim()).length).toBe(draft.source.paragraphs);
    const written = loadDataset(data);
    if (!written.ok) throw new Error("data/ does not load after the write");
    const quotes = written.dataset.events.flatMap((event) => event.citations.filter((citation) => citation.source === draft.source.id).map((citation) => citation.quote ?? ""));
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(text).toContain(quote);
    app.unmount();
  }, 180_000);
});
