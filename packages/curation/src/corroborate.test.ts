import type { Dataset } from "@backchannel/dataset";
import { describe, expect, it } from "vitest";
import { draftFromParagraphs } from "./draft.js";
import { RecordIndex } from "./record.js";
import { curated } from "../test/record.js";

const dataset = curated();
const draft = (text: string, published: string, record: Dataset = dataset) =>
  draftFromParagraphs(text.split("\n"), new RecordIndex(record), { file: "fixture.txt", published });

describe("corroboration against the record", () => {
  it("a report of an event the record holds becomes a citation of it, not a twin", () => {
    const { events } = draft("Ali Larijani arrived in Muscat on Tuesday for talks.", "2026-02-12");
    const visit = events.find((event) => event.type === "visit");
    expect(visit).toMatchObject({ proposal: "corroborates", existing: "2026-02-10-larijani-visits-oman" });
    expect(visit?.refineDate).toBeUndefined();
  });

  it("a more precise date than the record's becomes a refine-date proposal", () => {
    const coarse: Dataset = {
      ...dataset,
      events: dataset.events.map((event) => (event.id === "2026-02-10-larijani-visits-oman" ? { ...event, date: { start: "2026-02", basis: "inferred", note: "Month only." } } : event)),
    };
    const visit = draft("Ali Larijani arrived in Muscat on Tuesday for talks.", "2026-02-12", coarse).events.find((event) => event.type === "visit");
    expect(visit).toMatchObject({ proposal: "corroborates", existing: "2026-02-10-larijani-visits-oman", refineDate: { start: "2026-02-10", basis: "relative" } });
  });

  it("a report that gives an existing event no date of its own takes the record's date, not the lead's day", () => {
    // The lead's day (27 May) would stand in for an undated mention; the record already dates these talks.
    const { events } = draft("Masoud Pezeshkian arrived in Muscat on May 27.\nOman is mediating talks between the US and Iran.", "2025-05-28");
    const talks = events.find((event) => event.proposal === "corroborates" && event.existing === "2025-04-oman-mediated-us-iran-nuclear-talks");
    const recorded = dataset.events.find((event) => event.id === "2025-04-oman-mediated-us-iran-nuclear-talks")!.date;
    expect(talks?.date).toMatchObject({ start: recorded.start, end: recorded.end });
    expect(talks?.date.note).toMatch(/gives it no date of its own/);
    expect(talks?.flags.join(" ")).not.toMatch(/no date in the text/);
  });

  it("a report dated in its own words keeps its date (and refines the record's when more precise)", () => {
    const { events } = draft("Oman hosted talks between the US and Iran in Muscat on 6 February 2026.", "2026-02-12");
    const talks = events.find((event) => event.proposal === "corroborates" && event.existing === "2026-02-06-us-iran-talks-in-muscat");
    expect(talks?.date).toMatchObject({ start: "2026-02-06", basis: "stated" });
  });

  it("the same kind of event between other actors, or at another time, stays new", () => {
    const { events } = draft("Abbas Araghchi arrived in Doha on Tuesday.", "2026-02-12");
    expect(events.find((event) => event.type === "visit")?.proposal).toBe("new");
    const later = draft("Ali Larijani arrived in Muscat on Tuesday.", "2026-06-12").events.find((event) => event.type === "visit");
    expect(later?.proposal).toBe("new");
  });

  it("talks between other sides are another happening, though they share one side and the mediator", () => {
    const withoutIt: Dataset = { ...dataset, events: dataset.events.filter((event) => event.type !== "mediation") };
    const { events } = draft("Oman is mediating talks between the US and Iran. It also helped to end the conflict between the US and the Houthis.", "2025-05-28", withoutIt);
    const mediation = events.find((event) => event.type === "mediation");
    expect(mediation?.proposal).toBe("new");
    expect(mediation?.participants.map((p) => p.actor)).toEqual(expect.arrayContaining(["oman", "united-states", "houthis"]));
  });

  it("a second 'first' exercise between the same forces is flagged as a conflict, never merged", () => {
    const { events } = draft("For the first time, Iranian ground forces held a joint exercise with the Royal Army of Oman on Monday.", "2026-03-04");
    const exercise = events.find((event) => event.type === "military-exercise");
    expect(exercise?.proposal).toBe("new");
    expect(exercise?.flags.join(" ")).toMatch(/conflict: .*2024-09-30-mountain-falcons-1-iran-oman-exercise/);
  });
});
