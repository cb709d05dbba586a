import { describe, expect, it } from "vitest";
import { ActorSchema, CitationSchema, EventSchema, PositionSchema, SourceSchema } from "./records.js";

const citation = { source: "a-source", paragraphs: [1] };
const event = {
  id: "2026-02-10-larijani-visits-oman",
  title: "Larijani visits Oman",
  summary: "He arrived in Muscat.",
  date: { start: "2026-02-10", basis: "stated" },
  status: "occurred",
  type: "visit",
  participants: [{ actor: "ali-larijani", role: "visitor" }],
  citations: [citation],
};

describe("Event", () => {
  it("accepts a minimal event and fills the optional lists", () => {
    const parsed = EventSchema.parse(event);
    expect(parsed).toMatchObject({ places: [], topics: [], relations: [] });
  });

  it("requires at least one citation", () => {
    const result = EventSchema.safeParse({ ...event, citations: [] });
    expect(result.error?.issues[0]?.message).toBe("every event cites at least one source");
  });

  it("rejects ids that are not slugs, roles and statuses outside the vocabulary", () => {
    expect(EventSchema.safeParse({ ...event, id: "Larijani Visit" }).success).toBe(false);
    expect(EventSchema.safeParse({ ...event, status: "rumoured" }).success).toBe(false);
    expect(EventSchema.safeParse({ ...event, participants: [{ actor: "x", role: "guest" }] }).success).toBe(false);
  });
});

describe("Citation", () => {
  it("needs a paragraph locator", () => {
    expect(CitationSchema.safeParse({ source: "a-source", paragraphs: [] }).success).toBe(false);
    expect(CitationSchema.safeParse({ source: "a-source", paragraphs: [0] }).success).toBe(false);
  });

  it("keeps quotations short", () => {
    const quotes = [{ speaker: "esmaeil-baghaei", text: "x".repeat(321) }];
    expect(CitationSchema.safeParse({ ...citation, quotes }).error?.issues[0]?.message).toMatch(/must be short/);
  });
});

describe("Position", () => {
  it("needs a citation showing the actor in the post", () => {
    expect(PositionSchema.safeParse({ post: "president-of-iran", citations: [] }).success).toBe(false);
  });

  it("needs a basis and a note for inferred tenure dates", () => {
    const noBasis = PositionSchema.safeParse({ post: "p", start: "2024-07", citations: [citation] });
    expect(noBasis.error?.issues[0]?.path).toEqual(["basis"]);
    const noNote = PositionSchema.safeParse({ post: "p", start: "2024-07", basis: "inferred", citations: [citation] });
    expect(noNote.error?.issues[0]?.path).toEqual(["note"]);
  });

  it("rejects a tenure that ends before it starts", () => {
    const result = PositionSchema.safeParse({ post: "p", start: "2024", end: "2023-12", basis: "stated", citations: [citation] });
    expect(result.error?.issues[0]?.path).toEqual(["end"]);
  });
});

describe("Source", () => {
  const source = {
    id: "a-source",
    kind: "news-article",
    file: "000.txt",
    description: "An article.",
    outlet: { basis: "unknown", note: "not named" },
    published: { date: "2025-05-28", basis: "stated" },
    language: "en",
    paragraphs: 15,
  };

  it("never guesses an outlet silently", () => {
    expect(SourceSchema.safeParse(source).success).toBe(true);
    expect(SourceSchema.safeParse({ ...source, outlet: { basis: "unknown" } }).success).toBe(false);
    expect(SourceSchema.safeParse({ ...source, outlet: { basis: "inferred", actor: "x" } }).success).toBe(false);
    expect(SourceSchema.safeParse({ ...source, outlet: { basis: "stated" } }).success).toBe(false);
  });

  it("takes a web address only over http or https, and says so", () => {
    expect(SourceSchema.safeParse({ ...source, url: "https://www.example.org/news/1" }).success).toBe(true);
    for (const url of ["javascript:alert(1)", "ftp://example.org/a", "not a url"]) {
      const result = SourceSchema.safeParse({ ...source, url });
      expect(result.success, url).toBe(false);
      expect(result.error?.issues[0]?.message, url).toMatch(/http:\/\/ or https:\/\//);
    }
  });

  it("needs reasoning for an inferred publication date", () => {
    const result = SourceSchema.safeParse({ ...source, published: { date: "2025-05-28", basis: "inferred" } });
    expect(result.error?.issues[0]?.path).toEqual(["published", "note"]);
  });
});

describe("Actor", () => {
  it("keeps each alias with its language", () => {
    const actor = ActorSchema.parse({
      id: "abbas-araghchi",
      kind: "person",
      name: "Abbas Araghchi",
      aliases: [{ name: "Abbas Araqchi" }, { name: "عباس عراقچی", lang: "fa" }],
      description: "Iran's foreign minister.",
    });
    expect(actor.aliases.map((alias) => alias.lang)).toEqual([undefined, "fa"]);
    expect(actor.positions).toEqual([]);
  });
});
