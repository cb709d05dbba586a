import type { DraftEvent } from "@backchannel/schema";
import { describe, expect, it } from "vitest";
import { draftFromParagraphs } from "./draft.js";
import { RecordIndex } from "./record.js";
import { curated } from "../test/record.js";

/**
 * The codebook's date rules for happenings a sentence does not date itself (docs/curation-assistant.md,
 * "Dates"), each on sentences of our own, with the cases where the rule must not fire. Against the
 * record without its events, so that every proposal is new and keeps the date the rule gives it.
 */
const record = new RecordIndex({ ...curated(), events: [] });
const draft = (text: string, published: string) => draftFromParagraphs(text.split("\n"), record, { file: "fixture.txt", published }).events;
const inParagraph = (events: DraftEvent[], paragraph: number, type: DraftEvent["type"]) => events.find((event) => event.paragraphs.includes(paragraph) && event.type === type);

describe("a happening inside one told before takes its span, as a window", () => {
  it('"on the sidelines of the meeting": the meeting\'s days', () => {
    const events = draft("Ali Larijani arrived in Moscow on Monday to attend the International Meeting on security.\nThe International Meeting takes place in Moscow on June 2-4.\nLarijani is also due to meet Sergei Shoigu on the sidelines of the meeting.", "2026-06-02");
    expect(inParagraph(events, 3, "meeting")?.date).toMatchObject({ start: "2026-06-02", end: "2026-06-04", window: true, basis: "inferred" });
    expect(inParagraph(events, 3, "meeting")?.date.note).toMatch(/during the meeting told in paragraph 2/i);
  });

  it("not when the sentence gives its own day", () => {
    const events = draft("Ali Larijani arrived in Moscow on Monday to attend the International Meeting on security.\nThe International Meeting takes place in Moscow on June 2-4.\nLarijani met Sergei Shoigu on Wednesday, on the sidelines of the meeting.", "2026-06-05");
    expect(inParagraph(events, 3, "meeting")?.date).toMatchObject({ start: "2026-06-03", basis: "relative" });
  });

  it("a plan told while the lead's visit is under way falls within the visit", () => {
    const events = draft("Masoud Pezeshkian arrived in Muscat on March 3 for a two-day state visit.\nIran and Oman are also expected to discuss ports and fisheries.", "2026-03-03");
    expect(inParagraph(events, 2, "meeting")?.date).toMatchObject({ start: "2026-03-03", end: "2026-03-04", window: true });
  });

  it("not when the lead's visit has no span: the lead's day stands in", () => {
    const events = draft("Masoud Pezeshkian arrived in Muscat on March 3.\nIran and Oman are also expected to discuss ports and fisheries.", "2026-03-03");
    expect(inParagraph(events, 2, "meeting")?.date).toMatchObject({ start: "2026-03-03" });
    expect(inParagraph(events, 2, "meeting")?.date.end).toBeUndefined();
  });

  it("what a paragraph tells under a trip's day, with the trip's length, spans the trip", () => {
    const events = draft("Masoud Pezeshkian will fly to Doha on Wednesday for a two-day trip. He will also attend the signing of a trade accord with Qatar.", "2026-03-02");
    expect(events.find((event) => event.type === "agreement-signing")?.date).toMatchObject({ start: "2026-03-04", end: "2026-03-05" });
  });
});

describe("an invitation comes before what it invites to", () => {
  it("a window ending when the trip begins, starting when its people all held their posts (the record's tenures)", () => {
    const events = draft("At the invitation of Emir Tamim bin Hamad Al Thani, Masoud Pezeshkian will begin a three-day trip to Qatar on Wednesday.", "2025-03-10");
    const invitation = events.find((event) => event.type === "invitation");
    // Pezeshkian has been president since 2024-07 in the record; Tamim emir since long before.
    expect(invitation).toMatchObject({ status: "occurred", date: { start: "2024-07", end: "2025-03-12", window: true, basis: "inferred" } });
    expect(invitation?.date.note).toMatch(/no earlier than Masoud Pezeshkian held the post/);
  });

  it("invited to a meeting told before: ends on the meeting's first day", () => {
    const events = draft("Ali Larijani will attend the International Meeting in Moscow on June 2-4.\nSergei Shoigu invited Ali Larijani to the meeting.", "2026-06-01");
    expect(events.find((event) => event.type === "invitation")?.date).toMatchObject({ end: "2026-06-02", window: true });
  });

  it("not an invitation issued on a stated day to a visit still ahead: that day is its date", () => {
    const events = draft("The Omani minister invited Ali Larijani to visit Muscat on Monday.", "2025-10-28");
    const invitation = events.find((event) => event.type === "invitation");
    expect(invitation?.date).toMatchObject({ start: "2025-10-27" });
    expect(invitation?.date.window).toBeUndefined();
  });
});

describe('"in the past": while the person held the post the text names', () => {
  it("a window of the tenure the record holds, not a date from elsewhere in the sentence", () => {
    const events = draft("Ebrahim Raisi, then President, visited Muscat in the past, an aide recalled last year.", "2025-06-01");
    const visit = events.find((event) => event.type === "visit");
    expect(visit?.date).toMatchObject({ start: "2021-08", end: "2024-05", window: true, basis: "inferred" });
    expect(visit?.date.note).toMatch(/as the record holds the tenure/);
  });

  it("not when the sentence names no post the record holds for them", () => {
    const events = draft("Ebrahim Raisi visited Muscat in the past.", "2025-06-01");
    expect(events.find((event) => event.type === "visit")?.date.note ?? "").not.toMatch(/tenure/);
  });

  it("not when a stated date dates the visit", () => {
    const events = draft("President Ebrahim Raisi visited Muscat in 2022.", "2025-06-01");
    expect(events.find((event) => event.type === "visit")?.date).toMatchObject({ start: "2022", basis: "stated" });
  });
});

describe('"recent" in what someone said is recent as of when they said it', () => {
  const events = draft("Esmaeil Baghaei spoke at a news briefing on Tuesday.\nHe said the European Union had lately sought to designate the IRGC a terrorist group, which was unlawful.", "2026-02-12");

  it("the moves: a window from the start of the month before to the day of the briefing, not of publication", () => {
    expect(events.find((event) => event.type === "sanctions-designation")?.date).toMatchObject({ start: "2026-01", end: "2026-02-10", window: true, basis: "relative" });
  });

  it("the speech itself is not dated by the word it uses", () => {
    expect(events.find((event) => event.type === "criticism")?.date).toMatchObject({ start: "2026-02-10" });
    expect(events.find((event) => event.type === "criticism")?.date.window).toBeUndefined();
  });

  it("without a speech, recent is as of the publication", () => {
    const condemned = draft("Qatar condemned the recent strikes on Lebanon by Israel.", "2024-10-02").find((event) => event.type === "criticism");
    expect(condemned?.date).toMatchObject({ start: "2024-09", end: "2024-10-02", window: true });
  });
});

describe('"said on Tuesday that … had …": the report\'s day bounds what it tells, after the happening it speaks of', () => {
  const text = "Oman hosted talks between Iran and the United States in Muscat last week.\nState media said on Tuesday that Abbas Araghchi had telephoned the foreign ministers of Egypt and Turkiye about the talks.";

  it("a window from the talks told before to the day of the report", () => {
    const calls = draft(text, "2026-02-12").find((event) => event.type === "phone-call");
    expect(calls?.date).toMatchObject({ start: "2026-02-02", end: "2026-02-10", window: true });
  });

  it("when the record holds the talks, their recorded day is the bound, read off that event", () => {
    const withoutTheCalls = new RecordIndex({ ...curated(), events: curated().events.filter((event) => event.type !== "phone-call") });
    const calls = draftFromParagraphs(text.split("\n"), withoutTheCalls, { file: "fixture.txt", published: "2026-02-12" }).events.find((event) => event.type === "phone-call");
    expect(calls).toMatchObject({ proposal: "new", date: { start: "2026-02-06", end: "2026-02-10", derivedFrom: [{ event: "2026-02-06-us-iran-talks-in-muscat" }] } });
  });

  it("not when the day is the happening's own", () => {
    const calls = draft("Oman hosted talks between Iran and the United States in Muscat last week.\nAbbas Araghchi telephoned the foreign ministers of Egypt and Turkiye about the talks on Tuesday.", "2026-02-12").find((event) => event.type === "phone-call");
    expect(calls?.date).toMatchObject({ start: "2026-02-10" });
    expect(calls?.date.end).toBeUndefined();
  });
});

describe("talks or mediation between sides the record shows at war come no earlier than that war", () => {
  const war = curated().events.find((event) => event.id === "gaza-war")!;
  const withWar = (date = war.date) => new RecordIndex({ ...curated(), events: [{ ...war, date }] });
  const mediation = (text: string, published: string, index: RecordIndex) => draftFromParagraphs([text], index, { file: "fixture.txt", published }).events.find((event) => event.type === "mediation");

  it("in the present perfect: under way from the war's start, read off the war's record", () => {
    expect(mediation("The United States has tried to broker a ceasefire between Israel and Hamas.", "2024-10-02", withWar())?.date).toMatchObject({ start: war.date.start, end: "2024-10-02", ongoing: true, basis: "inferred", derivedFrom: [{ event: "gaza-war" }] });
  });

  it("in the past tense: a window from the war's start to the article", () => {
    expect(mediation("Qatar brokered a ceasefire between Israel and Hamas.", "2024-10-02", withWar())?.date).toMatchObject({ start: war.date.start, end: "2024-10-02", window: true });
  });

  it("not when the record holds no war between them, nor one that ended years before", () => {
    const noWar = new RecordIndex({ ...curated(), events: [] });
    expect(mediation("Qatar brokered a ceasefire between Israel and Hamas.", "2024-10-02", noWar)?.date.derivedFrom).toBeUndefined();
    const longOver = withWar({ start: "2014-07", end: "2014-08", basis: "inferred", note: "A war of our own making, for the test." });
    expect(mediation("Qatar brokered a ceasefire between Israel and Hamas.", "2024-10-02", longOver)?.date.derivedFrom).toBeUndefined();
  });
});
