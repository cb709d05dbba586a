import { describe, expect, it } from "vitest";
import { DateSpanSchema } from "./dates.js";
import { ActorSchema, AliasSchema, CitationSchema, EventSchema, PositionSchema, PostSchema, quoteFragments, SourceSchema } from "./records.js";

const citation = { source: "a-source", paragraphs: [1], quote: "arrived in Oman on Tuesday" };
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

  it("carries the words that support it, a few of them", () => {
    expect(CitationSchema.safeParse({ source: "a-source", paragraphs: [1] }).error?.issues[0]?.path).toEqual(["quote"]);
    const long = Array.from({ length: 31 }, (_, i) => `word${i}`).join(" ");
    expect(CitationSchema.safeParse({ ...citation, quote: long }).error?.issues[0]?.message).toMatch(/30 words at most/);
    expect(CitationSchema.safeParse({ ...citation, quote: long.split(" ").slice(1).join(" ") }).success).toBe(true);
  });

  it("joins quoted fragments with an ellipsis", () => {
    expect(quoteFragments("is heading to Doha on Wednesday … will meet the Emir")).toEqual(["is heading to Doha on Wednesday", "will meet the Emir"]);
    expect(quoteFragments("a whole sentence.")).toEqual(["a whole sentence."]);
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

  it("records an undated article's publication as a window, never an empty one", () => {
    const window = { date: "2024-10-01", end: "2024-10-02", basis: "inferred", note: "bounded by the text" };
    expect(SourceSchema.parse({ ...source, published: window }).published.end).toBe("2024-10-02");
    expect(SourceSchema.safeParse({ ...source, published: { ...window, end: "2024-10-01" } }).error?.issues[0]?.path).toEqual(["published", "end"]);
  });

  it("names the records a publication date was worked out from", () => {
    const derived = { date: "2026-02-10", basis: "inferred", note: "n", derivedFrom: [{ source: "b-source" }, { event: "an-event" }] };
    expect(SourceSchema.safeParse({ ...source, published: derived }).success).toBe(true);
    expect(SourceSchema.safeParse({ ...source, published: { ...derived, derivedFrom: [{ article: "x" }] } }).success).toBe(false);
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
      aliases: [{ name: "Abbas Araqchi", usedBy: ["a-source"] }, { name: "عباس عراقچی", lang: "fa" }],
      description: "Iran's foreign minister.",
    });
    expect(actor.aliases.map((alias) => alias.lang)).toEqual([undefined, "fa"]);
    expect(actor.positions).toEqual([]);
  });
});

describe("Alias", () => {
  it("is a source's spelling, a native-script name, or marked as a common spelling no source uses", () => {
    expect(AliasSchema.safeParse({ name: "Araqchi", usedBy: ["a-source"] }).success).toBe(true);
    expect(AliasSchema.safeParse({ name: "عراقچی", lang: "fa" }).success).toBe(true);
    expect(AliasSchema.safeParse({ name: "IRGC", common: true }).success).toBe(true);
    expect(AliasSchema.safeParse({ name: "IRGC" }).error?.issues[0]?.message).toMatch(/mark it `common: true`/);
    expect(AliasSchema.safeParse({ name: "IRGC", common: true, usedBy: ["a-source"] }).error?.issues[0]?.path).toEqual(["common"]);
  });
});

describe("Post", () => {
  it("has one seat unless said otherwise, and may leave the number unknown", () => {
    expect(PostSchema.parse({ id: "p", title: "President", organisation: "iran" }).seats).toBe(1);
    expect(PostSchema.parse({ id: "p", title: "Adviser", organisation: "iran", seats: "unknown" }).seats).toBe("unknown");
    expect(PostSchema.safeParse({ id: "p", title: "Adviser", organisation: "iran", seats: "many" }).success).toBe(false);
  });
});

describe("DateSpan", () => {
  it("marks a conflict still under way at its last known date, which must exist", () => {
    expect(DateSpanSchema.safeParse({ start: "2023-10", end: "2024-10", ongoing: true, basis: "inferred", note: "n" }).success).toBe(true);
    expect(DateSpanSchema.safeParse({ start: "2023-10", ongoing: true, basis: "inferred", note: "n" }).error?.issues[0]?.path).toEqual(["ongoing"]);
    expect(DateSpanSchema.safeParse({ start: "2023-10", end: "2024-10", window: true, ongoing: true, basis: "inferred", note: "n" }).success).toBe(false);
  });
});
