import { describe, expect, it } from "vitest";
import { draftArticle } from "./draft.js";
import { curated, fixture } from "../test/record.js";

const dataset = curated();
const draft = (name: string) => draftArticle(fixture(name), dataset, { file: name, published: "2026-03-05" });
const linked = (name: string) => draft(name).actors.flatMap((actor) => (actor.actor ? [actor.actor] : []));

describe("articles in other languages", () => {
  it("German: the language, actors, a weekday and a stated date, an event the patterns cover", () => {
    const result = draft("german.txt");
    expect(result.source.language).toBe("de");
    expect(linked("german.txt")).toEqual(expect.arrayContaining(["abbas-araghchi", "badr-albusaidi", "irna"]));
    expect(result.events.find((event) => event.type === "meeting")).toMatchObject({ date: { start: "2026-03-03", basis: "relative" } });
  });

  it("Arabic: native-script names, the verb-first order, the language", () => {
    const result = draft("arabic.txt");
    expect(result.source.language).toBe("ar");
    expect(linked("arabic.txt")).toEqual(expect.arrayContaining(["abbas-araghchi", "badr-albusaidi"]));
    expect(result.events.find((event) => event.type === "visit")?.participants[0]).toMatchObject({ actor: "abbas-araghchi", role: "visitor" });
  });

  it("Persian: native-script names and a Solar Hijri date in Persian digits", () => {
    const result = draft("persian.txt");
    expect(result.source.language).toBe("fa");
    expect(result.events.find((event) => event.type === "meeting")).toMatchObject({ date: { start: "2025-05-23", basis: "stated" } });
    expect(linked("persian.txt")).toEqual(expect.arrayContaining(["ali-larijani", "badr-albusaidi"]));
  });
});
