import { describe, expect, it } from "vitest";
import { draftArticle } from "./draft.js";
import { curated, fixture } from "../test/record.js";

/**
 * The general rules, each on an article of our own words (test/fixtures), against the curated record:
 * none of them knows the five source articles.
 */
const draft = (name: string, published: string) => draftArticle(fixture(name), curated(), { file: name, published });

describe("a report published weeks after what it reports", () => {
  const { events } = draft("weeks-later.txt", "2026-03-10");

  it("cites the events the record holds, keeping the record's more precise date and saying what this report said", () => {
    const visit = events.find((event) => event.type === "visit");
    expect(visit).toMatchObject({ proposal: "corroborates", existing: "2026-02-10-larijani-visits-oman", date: { start: "2026-02-10" } });
    expect(visit?.date.note).toMatch(/this report says only 2026-02/);
    const talks = events.find((event) => event.proposal === "corroborates" && event.existing === "2026-02-06-us-iran-talks-in-muscat");
    expect(talks?.date.start).toBe("2026-02-06");
  });

  it("tells a meeting that was only due from one that took place (no twin of the planned one)", () => {
    const planned = events.find((event) => event.paragraphs.includes(3) && event.type === "meeting");
    expect(planned).toMatchObject({ proposal: "corroborates", existing: "2026-02-larijani-to-meet-badr-albusaidi" });
  });

  it("a possessor is not a place: \"according to Iran's state news agency\" happens nowhere", () => {
    for (const event of events.filter((e) => e.paragraphs.includes(3))) expect(event.places.map((p) => p.place)).not.toContain("iran");
  });

  it("talks announced without a date are planned, dated by the report, with the parties of the talks told before", () => {
    const next = events.find((event) => event.paragraphs.includes(5));
    expect(next).toMatchObject({ type: "mediated-talks", status: "reported-planned", date: { start: "2026-03-10", basis: "inferred" } });
    expect(next?.participants.map((p) => p.actor)).toEqual(expect.arrayContaining(["iran", "united-states"]));
  });
});

describe("a report that sets one happening against another", () => {
  const { events } = draft("days-after.txt", "2026-02-10");

  it('"just days after" puts the talks in a window before the arrival, not on its day, and finds them in the record', () => {
    const talks = events.find((event) => event.type === "mediated-talks");
    expect(talks).toMatchObject({ proposal: "corroborates", existing: "2026-02-06-us-iran-talks-in-muscat", date: { start: "2026-02-06" } });
    // Talks held in a third state's city: that state hosts them, as the mediator.
    expect(talks?.participants).toEqual(expect.arrayContaining([expect.objectContaining({ actor: "oman", role: "mediator" })]));
  });

  it("who is named in a description of someone (\"X, a close adviser to Y,\") does not take part", () => {
    const meeting = events.find((event) => event.paragraphs.includes(3));
    expect(meeting?.participants.map((p) => p.actor)).toContain("ali-larijani");
    expect(meeting?.participants.map((p) => p.actor)).not.toContain("ali-khamenei");
  });

  it("a speaker named after a fronted phrase speaks; what they say later that day is said at the briefing", () => {
    const briefing = events.filter((event) => event.type === "press-briefing");
    expect(briefing).toHaveLength(1);
    expect(briefing[0]?.participants[0]).toMatchObject({ actor: "esmaeil-baghaei", role: "speaker" });
    expect(events.some((event) => event.type === "statement")).toBe(false);
  });

  it("a criticism read from the speaker's judgement: the speaker and whom it is about", () => {
    const criticism = events.find((event) => event.type === "criticism");
    expect(criticism?.participants).toEqual(expect.arrayContaining([expect.objectContaining({ actor: "esmaeil-baghaei", role: "speaker" }), expect.objectContaining({ actor: "european-union", role: "target" })]));
  });
});

describe("one happening told in several sentences", () => {
  const { events, actors } = draft("exercise.txt", "2026-03-04");

  it("the undated mention joins the dated one: one exercise, with every force named", () => {
    const exercises = events.filter((event) => event.type === "military-exercise");
    expect(exercises).toHaveLength(1);
    expect(exercises[0]?.date.start).toBe("2026-03-02");
    expect(exercises[0]?.participants.map((p) => p.actor)).toEqual(expect.arrayContaining(["iran-army-ground-force", "royal-army-of-oman", "royal-oman-police"]));
  });

  it("a name given to a thing is not an actor", () => {
    expect(actors.map((actor) => actor.name)).not.toContain("Desert Lantern");
  });

  it('a clause word bounds who acts: "heads for Doha as ground forces train with Oman" gives the trip no Omani host', () => {
    const trip = events.find((event) => event.type === "visit");
    expect(trip?.participants.map((p) => p.actor) ?? []).not.toContain("oman");
  });
});

describe("a state visit as the host's side reports it", () => {
  const { events } = draft("state-visit.txt", "2026-03-03");

  it("one visit: its span from \"a two-day state visit\", who welcomed the visitor, who travels with them", () => {
    const visits = events.filter((event) => event.type === "visit");
    expect(visits).toHaveLength(1);
    expect(visits[0]?.date).toMatchObject({ start: "2026-03-01", end: "2026-03-02" });
    expect(visits[0]?.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: "tamim-bin-hamad-al-thani", role: "visitor" }),
        expect.objectContaining({ actor: "badr-albusaidi", role: "welcoming-official" }),
        expect.objectContaining({ actor: "mohammed-bin-abdulrahman-al-thani", role: "delegation-member" }),
      ]),
    );
  });
});

describe("two meetings on one day, and who speaks after them", () => {
  const { events } = draft("two-meetings.txt", "2026-03-03");
  const ids = (event: { participants: { actor?: string | undefined }[] } | undefined) => event?.participants.map((p) => p.actor) ?? [];

  it("one shared guest with two different hosts is two meetings", () => {
    const meetings = events.filter((event) => event.type === "meeting");
    expect(meetings).toHaveLength(2);
    expect(meetings.map(ids)).toEqual(expect.arrayContaining([expect.arrayContaining(["masoud-pezeshkian", "hamoud-bin-faisal-albusaidi"]), expect.arrayContaining(["ali-larijani", "hamoud-bin-faisal-albusaidi"])]));
  });

  it('"…, he said" is spoken by the last subject, and the states it mentions are its topic', () => {
    const statement = events.find((event) => event.type === "statement" && event.paragraphs.includes(4));
    expect(statement?.participants[0]).toMatchObject({ actor: "ali-larijani", role: "speaker" });
    expect(ids(statement)).not.toContain("iran");
    expect(ids(statement)).not.toContain("oman");
  });

  it("an invitation to visit is an invitation, not a visit", () => {
    expect(events.filter((event) => event.paragraphs.includes(5)).map((event) => event.type)).toEqual(["invitation"]);
  });

  it('"the listing of the IRGC as a terrorist group by the European Union": "as" does not end the clause', () => {
    const criticism = events.find((event) => event.type === "criticism");
    expect(ids(criticism)).toContain("european-union");
  });
});

describe("a mediator and the sides it stands between", () => {
  const { events } = draft("mediation.txt", "2026-03-03");
  const roles = (event: { participants: { actor?: string | undefined; role: string }[] } | undefined) => event?.participants.map((p) => `${p.actor}:${p.role}`) ?? [];

  it('"Oman is mediating talks between the US and Iran": Oman mediates, the two are the parties, "US" is the country', () => {
    const talks = events.find((event) => event.type === "mediated-talks");
    expect(roles(talks)).toEqual(expect.arrayContaining(["oman:mediator", "united-states:party", "iran:party"]));
  });

  it('"It also helped to end the conflict between…": the body told before mediates', () => {
    expect(roles(events.find((event) => event.type === "mediation"))).toEqual(expect.arrayContaining(["oman:mediator", "united-states:party", "houthis:party"]));
  });

  it("background in a subordinate clause keeps its own year", () => {
    expect(events.find((event) => event.type === "withdrawal-from-agreement")).toMatchObject({ date: { start: "2018" }, participants: [expect.objectContaining({ actor: "united-states" })] });
  });
});

describe("what a visit brings with it", () => {
  const { events } = draft("visit-agreements.txt", "2026-03-03");

  it("agreements expected with no sides named are between the visit's two sides, during the visit", () => {
    const agreement = events.find((event) => event.type === "agreement-signing");
    expect(agreement).toMatchObject({ status: "expected", date: { start: "2026-03-01", end: "2026-03-02" } });
    expect(agreement?.participants.map((p) => p.actor)).toEqual(expect.arrayContaining(["iran", "oman"]));
  });

  it("the sides are states even when people stand for them (a minister visiting a minister)", () => {
    const agreement = draft("muscat-talks.txt", "2026-03-04").events.find((event) => event.type === "agreement-signing");
    expect(agreement?.participants.map((p) => p.actor)).toEqual(expect.arrayContaining(["iran", "oman"]));
  });

  it('"addresses the Summit of the Future": a speech, given at the summit', () => {
    const speech = events.find((event) => event.paragraphs.includes(4));
    expect(speech).toMatchObject({ type: "statement", date: { start: "2024-09-23" } });
    expect(speech?.participants[0]).toMatchObject({ actor: "masoud-pezeshkian", role: "speaker" });
  });

  it('"is speaking about" is a statement too', () => {
    expect(events.find((event) => event.paragraphs.includes(5))).toMatchObject({ type: "statement", participants: [expect.objectContaining({ actor: "ali-larijani" })] });
  });
});

describe("a place the record lacks", () => {
  it("is proposed by its name, without an id, and flagged for the curator; a month is no place", () => {
    const meeting = draft("unknown-place.txt", "2026-03-04").events.find((event) => event.type === "meeting");
    expect(meeting?.places).toEqual([{ name: "Sochi" }]);
    expect(meeting?.flags.join(" ")).toMatch(/"Sochi" is not among the record's places/);
  });
});
