import { describe, expect, it } from "vitest";
import { draftFromParagraphs } from "./draft.js";
import { RecordIndex } from "./record.js";
import { parsePublished } from "./source.js";
import { curated } from "../test/record.js";

const index = new RecordIndex(curated());
const source = (text: string, options: { published?: string; outlet?: string } = {}) => draftFromParagraphs(text.split("\n"), index, { file: "fixture.txt", ...options }).source;

describe("the source a draft proposes", () => {
  it("takes the publication date from --published, else the head of the text, else asks for it", () => {
    expect(source("Talks held.\nThe minister met the sultan.", { published: "2026-03-04" }).published).toMatchObject({ date: "2026-03-04", basis: "stated" });
    expect(source("date 2025-10-28 Unity is key\nThe president spoke.").published).toMatchObject({ date: "2025-10-28", basis: "stated" });
    expect(source("4 March 2026\nThe president spoke.").published.date).toBe("2026-03-04");
    expect(() => source("The president spoke on Tuesday.")).toThrow(/--published YYYY-MM-DD/);
  });

  it("takes a publication window when the text only bounds the date (the codebook's published.date to published.end)", () => {
    expect(parsePublished("2024-10-01..2024-10-02")).toEqual({ date: "2024-10-01", end: "2024-10-02" });
    expect(source("Talks held.\nThe minister met the sultan.", { published: "2024-10-01..2024-10-02" }).published).toMatchObject({ date: "2024-10-01", end: "2024-10-02", basis: "inferred" });
    expect(() => parsePublished("2024-10-02..2024-10-01")).toThrow(/a window ends after it starts/);
    expect(() => parsePublished("2024-10-01..2024-10-02..2024-10-03")).toThrow(/--published takes a date/);
  });

  it("refuses a malformed --published", () => {
    for (const bad of ["2026-13-01", "04/03/2026", "yesterday", "2026-02-30", "", "2026-02-01..", "2026-02-01..soon"]) expect(() => parsePublished(bad)).toThrow(/--published takes a date/);
  });

  it("finds the agencies the article credits, by paragraph, matched to agency actors", () => {
    const found = source("Talks in Muscat\nThe minister arrived, IRNA reported.\nThe talks went well, according to ONA.\nIran's IRNA notes the visit was planned.\n(photo credit: REUTERS)", { published: "2026-03-04" });
    expect(found.credits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: "irna", role: "agency", paragraphs: [2, 4] }),
        expect.objectContaining({ actor: "oman-news-agency", role: "agency", paragraphs: [3] }),
        expect.objectContaining({ actor: "reuters", role: "photo", paragraphs: [5] }),
      ]),
    );
  });

  it("reads the dateline and the outlet it names", () => {
    const found = source("Headline here\nERBIL (Kurdistan24) — The minister arrived.", { published: "2026-03-04" });
    expect(found.dateline).toMatchObject({ text: "ERBIL (Kurdistan24)", place: "erbil", paragraph: 2 });
    expect(found.outlet).toMatchObject({ actor: "kurdistan24", basis: "stated" });
    expect(found.paragraphs).toBe(2);
  });
});
