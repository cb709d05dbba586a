import { loadDataset } from "@backchannel/dataset";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { draftArticle } from "./draft.js";
import { acceptDecisions } from "./review-folder.js";
import { addCitation, writeAccepted } from "./writer.js";
import { curated, fixture, scratchData } from "../test/record.js";

const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((file) => file.endsWith(".yaml")).sort();

describe("writing accepted proposals into data/", () => {
  it("writes new events and the new source, and the result passes data:check", () => {
    const data = scratchData();
    const draft = draftArticle(fixture("muscat-talks.txt"), curated(), { file: "muscat-talks.txt", published: "2026-03-04" });
    const result = writeAccepted(draft, acceptDecisions(draft, "all"), data);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.written.some((file) => file.includes(`sources/${draft.source.id}.yaml`))).toBe(true);
    const loaded = loadDataset(data);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const cited = loaded.dataset.events.filter((event) => event.citations.some((citation) => citation.source === draft.source.id));
    expect(cited.length).toBeGreaterThan(0);
    // Every citation carries the evidence words, verbatim from the article.
    for (const event of cited) for (const citation of event.citations.filter((c) => c.source === draft.source.id)) expect(fixture("muscat-talks.txt")).toContain(citation.quote);
  });

  it("a source published in a window is written with its window, and passes data:check", () => {
    const data = scratchData();
    const draft = draftArticle(fixture("muscat-talks.txt"), curated(), { file: "muscat-talks.txt", published: "2026-03-04..2026-03-05" });
    expect(writeAccepted(draft, acceptDecisions(draft, "all"), data)).toMatchObject({ ok: true });
    const loaded = loadDataset(data);
    expect(loaded.ok && loaded.dataset.sources.find((source) => source.id === draft.source.id)?.published).toMatchObject({ date: "2026-03-04", end: "2026-03-05", basis: "inferred" });
  });

  it("a very long --title still gives records within their field limits", () => {
    const data = scratchData();
    const draft = draftArticle(fixture("muscat-talks.txt"), curated(), { file: "muscat-talks.txt", published: "2026-03-04", title: "A title that goes on ".repeat(40) });
    draft.actors.push({ id: "a99", status: "new", name: "Karim Nourbakhsh", actor: "karim-nourbakhsh", candidates: [], kind: "person", confidence: 0.4, evidence: [draft.events[0]!.evidence[0]!], flags: [] });
    expect(writeAccepted(draft, acceptDecisions(draft, "all"), data)).toMatchObject({ ok: true });
  });

  it("writes only what was accepted", () => {
    const data = scratchData();
    const before = files(data);
    const draft = draftArticle(fixture("muscat-talks.txt"), curated(), { file: "muscat-talks.txt", published: "2026-03-04" });
    expect(writeAccepted(draft, {}, data)).toMatchObject({ ok: true, written: [] });
    expect(files(data)).toEqual(before);
  });

  it("writes nothing when an accepted record would fail data:check, and says where", () => {
    const data = scratchData();
    const before = files(data).map((file) => [file, readFileSync(join(data, file), "utf8")] as const);
    const draft = draftArticle(fixture("muscat-talks.txt"), curated(), { file: "muscat-talks.txt", published: "2026-03-04" });
    const event = draft.events.find((e) => e.proposal === "new")!;
    event.participants = [{ actor: "no-such-actor", name: "Nobody", role: "speaker" }];
    const result = writeAccepted(draft, { [event.id]: "accepted" }, data);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join("\n")).toMatch(/events\/.*\.yaml:\d+:\d+ participants\[0\]\.actor/);
    expect(files(data).map((file) => [file, readFileSync(join(data, file), "utf8")])).toEqual(before);
  });

  it("puts a new source's article where data:check looks for it, numbered as drafted; never over a different one", () => {
    const text = fixture("muscat-talks.txt");
    const paragraphs = text.split("\n").filter((line) => line.trim());
    const draft = draftArticle(text, curated(), { file: "muscat-talks.txt", published: "2026-03-04" });
    const articles = mkdtempSync(join(tmpdir(), "backchannel-articles-"));
    const data = scratchData();
    const written = writeAccepted(draft, acceptDecisions(draft, "all"), data, paragraphs, { articles });
    expect(written.ok).toBe(true);
    expect(readFileSync(join(articles, "muscat-talks.txt"), "utf8").split("\n").filter((line) => line.trim())).toEqual(paragraphs);

    // Another article already under that name: nothing is written, and the curator is told why.
    const other = mkdtempSync(join(tmpdir(), "backchannel-articles-"));
    writeFileSync(join(other, "muscat-talks.txt"), "A different article\nwith other paragraphs\n");
    const again = scratchData();
    const before = files(again);
    const refused = writeAccepted(draft, acceptDecisions(draft, "all"), again, paragraphs, { articles: other });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems.join("\n")).toMatch(/already holds a different article/);
    expect(files(again)).toEqual(before);

    // A file name edited into draft.json that would leave the folder: refused, nothing written anywhere.
    const escaping = { ...draft, source: { ...draft.source, file: "../escaped.txt" } };
    const guarded = scratchData();
    const untouched = files(guarded);
    const refusedEscape = writeAccepted(escaping, acceptDecisions(escaping, "all"), guarded, paragraphs, { articles });
    expect(refusedEscape.ok).toBe(false);
    if (!refusedEscape.ok) expect(refusedEscape.problems.join("\n")).toMatch(/not a plain file name/);
    expect(existsSync(join(articles, "..", "escaped.txt"))).toBe(false);
    expect(files(guarded)).toEqual(untouched);

    // No articles folder at all: the record is written, and the curator told where the article should go.
    const nowhere = join(mkdtempSync(join(tmpdir(), "backchannel-articles-")), "missing");
    const noted = writeAccepted(draft, acceptDecisions(draft, "all"), scratchData(), paragraphs, { articles: nowhere });
    expect(noted).toMatchObject({ ok: true });
    expect(noted.skipped.join("\n")).toMatch(/no articles folder at .*missing/);
    expect(existsSync(nowhere)).toBe(false);
  }, 60_000);

  it("adds a citation to an existing file keeping its comments and layout", () => {
    const original = `id: x\n# why this event matters\ntitle: T\nplaces: [muscat]\ncitations:\n  - { source: "a", paragraphs: [1] } # the first report\n`;
    const updated = addCitation(original, { source: "b", paragraphs: [2, 3], quote: "the words" });
    expect(updated).toContain("# why this event matters");
    expect(updated).toContain(`  - { source: "a", paragraphs: [1] } # the first report\n  - source: b\n    paragraphs: [2, 3]\n    quote: the words\n`);
    expect(updated.startsWith(original.trimEnd())).toBe(true);
    expect(updated).toContain("places: [muscat]");
    // Twice the same citation is one.
    expect(addCitation(updated, { source: "b", paragraphs: [2, 3], quote: "the words" })).toBe(updated);
  });

  it("a refined date replaces the record's, the rest untouched", () => {
    const original = `id: x\ndate:\n  start: 2026-02\n  basis: inferred\n  note: Month only.\ncitations:\n  - { source: a, paragraphs: [1] }\n`;
    const updated = addCitation(original, { source: "b", paragraphs: [2], quote: "on Tuesday" }, { start: "2026-02-10", basis: "relative", note: '"on Tuesday"' });
    expect(updated).toMatch(/date:\n {2}start: 2026-02-10\n {2}basis: relative/);
  });
});
