import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validRecords, writeArticles, writeDataset } from "../test/fixture-dataset.js";
import { loadDataset, type LoadOptions } from "./load.js";
import { formatProblem } from "./problems.js";

type Records = ReturnType<typeof validRecords>;

/** Loads a variant of the valid fixture and returns its problems as printed, with the folder cut off. */
function problemsOf(change: (records: Records) => void, options: LoadOptions = {}): string[] {
  const records = validRecords();
  change(records);
  const dir = writeDataset(records);
  const result = loadDataset(dir, options);
  const problems = result.ok ? result.warnings : result.problems;
  return problems.map((problem) => formatProblem(problem).replace(`${dir}/`, ""));
}

const find = <T extends { id?: unknown }>(list: T[], id: string) => list.find((record) => record.id === id) as Record<string, any>;

describe("a valid dataset", () => {
  it("loads whole, typed and without problems", () => {
    const result = loadDataset(writeDataset(validRecords()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.dataset.events.map((event) => event.id)).toEqual(["2026-02-06-talks", "2026-02-10-larijani-visits-oman"]);
    expect(result.dataset.events[0]?.relations).toEqual([]);
  });
});

describe("integrity rules", () => {
  it("every reference must resolve", () => {
    expect(
      problemsOf((r) => {
        find(r.events, "2026-02-10-larijani-visits-oman").participants[1].actor = "sultanate";
        find(r.events, "2026-02-06-talks").places = ["salalah"];
        find(r.events, "2026-02-06-talks").citations[0].source = "no-such-source";
        find(r.places, "muscat").within = "arabia";
      }),
    ).toEqual([
      'events/2026-02-06-talks.yaml:10:5 places[0] — unknown place "salalah"',
      'events/2026-02-06-talks.yaml:17:13 citations[0].source — unknown source "no-such-source"',
      'events/2026-02-10-larijani-visits-oman.yaml:15:12 participants[1].actor — unknown actor "sultanate"',
      'places/muscat.yaml:5:9 within — unknown place "arabia"',
      // muscat no longer lies within oman, so nothing refers to oman any more
      'places/oman.yaml:1:5 id — warning: place "oman" is referenced by nothing; place an event there or remove it',
    ]);
  });

  it("a paragraph locator must fall inside its source", () => {
    expect(problemsOf((r) => (find(r.events, "2026-02-06-talks").citations[0].paragraphs = [1, 6]))).toEqual([
      'events/2026-02-06-talks.yaml:20:9 citations[0].paragraphs[1] — paragraph 6 is beyond the 5 paragraphs of source "a-source"',
    ]);
  });

  it("an agency is credited only for the paragraphs that carry its credit", () => {
    expect(problemsOf((r) => (find(r.events, "2026-02-10-larijani-visits-oman").citations[1].paragraphs = [1, 2]))).toEqual([
      'events/2026-02-10-larijani-visits-oman.yaml:27:9 citations[1].paragraphs[0] — paragraph 1 of source "a-source" does not carry its credit to "irna" (credited: 2); cite it in a citation without that agency',
    ]);
    // a quotation that runs on into the next paragraph is listed in the credit
    expect(
      problemsOf((r) => {
        find(r.events, "2026-02-10-larijani-visits-oman").citations[1].paragraphs = [2, 3];
        find(r.sources, "a-source").credits[0] = { actor: "irna", role: "agency", paragraphs: [2, 3], note: "the quotation runs on" };
      }),
    ).toEqual([]);
  });

  it("an international body is filed under no country", () => {
    expect(problemsOf((r) => r.actors.push({ id: "european-union", kind: "organisation", name: "European Union", country: "BE", description: "A union." }))).toEqual([
      'actors/european-union.yaml:1:5 id — warning: actor "european-union" is referenced by nothing; name it in an event, a citation or a source, or remove it',
      "actors/european-union.yaml:4:10 country — an actor of kind organisation belongs to no one country (the country facet would file it under BE); leave country out",
    ]);
  });

  it("a date may not be derived from a date derived from it", () => {
    // a-source's date read off an event whose relative date was resolved against a-source
    expect(
      problemsOf((r) => {
        find(r.sources, "a-source").published = { date: "2026-02-10", basis: "inferred", note: "n", derivedFrom: [{ event: "2026-02-10-larijani-visits-oman" }] };
        find(r.events, "2026-02-10-larijani-visits-oman").date = { start: "2026-02-10", basis: "relative", note: '"on Tuesday"' };
      }),
    ).toEqual([
      "sources/a-source.yaml:13:7 published.derivedFrom[0] — circular date: events/2026-02-10-larijani-visits-oman is itself worked out from this date (sources/a-source → events/2026-02-10-larijani-visits-oman → sources/a-source); derive it from a stated date, the outlet's convention or the public record",
    ]);
    // the same event dated from the public record breaks the circle
    expect(
      problemsOf((r) => {
        find(r.sources, "a-source").published = { date: "2026-02-10", basis: "inferred", note: "n", derivedFrom: [{ event: "2026-02-10-larijani-visits-oman" }] };
        find(r.events, "2026-02-10-larijani-visits-oman").date = { start: "2026-02-10", basis: "inferred", note: "public record" };
      }),
    ).toEqual([]);
    expect(problemsOf((r) => (find(r.events, "2026-02-06-talks").date = { start: "2026-02-06", basis: "stated", derivedFrom: [{ event: "2026-02-11-nothing" }] }))).toEqual([
      'events/2026-02-06-talks.yaml:8:14 date.derivedFrom[0].event — unknown event "2026-02-11-nothing"',
    ]);
  });

  it("a credited agency must be one the source credits", () => {
    expect(problemsOf((r) => (find(r.events, "2026-02-06-talks").citations[0].agency = "iran"))).toEqual([
      'events/2026-02-06-talks.yaml:21:13 citations[0].agency — source "a-source" does not credit "iran"; add it to the source\'s credits or drop it here',
    ]);
  });

  it("a participant's post must be one the actor held when the event happened", () => {
    expect(
      problemsOf((r) => {
        find(r.events, "2026-02-10-larijani-visits-oman").participants[0].actor = "ali-akbar-ahmadian";
      }),
    ).toEqual([
      "events/2026-02-10-larijani-visits-oman.yaml:14:11 participants[0].post — Ali Akbar Ahmadian's tenure as snsc-secretary (2023-05–2025-08) does not cover the event's date (2026-02-10)",
    ]);
    expect(problemsOf((r) => (find(r.events, "2026-02-10-larijani-visits-oman").participants[1].post = "snsc-secretary"))).toEqual([
      'events/2026-02-10-larijani-visits-oman.yaml:17:11 participants[1].post — Oman holds no position "snsc-secretary"; record it on the actor with a citation',
    ]);
  });

  it("a single-seat post cannot have two holders at once, but a handover month is fine", () => {
    expect(problemsOf((r) => (find(r.actors, "ali-akbar-ahmadian").positions[0].end = "2025-12"))).toEqual([
      "actors/ali-larijani.yaml:7:12 positions[0].start — snsc-secretary has one seat, but Ali Larijani's tenure overlaps Ali Akbar Ahmadian's",
    ]);
  });

  it("an event cannot relate to itself or to an unknown event", () => {
    expect(
      problemsOf((r) => {
        find(r.events, "2026-02-10-larijani-visits-oman").relations = [
          { type: "follows", event: "2026-02-10-larijani-visits-oman" },
          { type: "part-of", event: "2026-02-11-nothing" },
        ];
      }),
    ).toEqual([
      "events/2026-02-10-larijani-visits-oman.yaml:19:12 relations[0].event — an event cannot relate to itself",
      'events/2026-02-10-larijani-visits-oman.yaml:21:12 relations[1].event — unknown event "2026-02-11-nothing"',
    ]);
  });

  it("orphan actors, places and posts are warnings, and the dataset still loads", () => {
    const records = validRecords();
    records.places.push({ id: "salalah", name: "Salalah", kind: "city", country: "OM", latitude: 17, longitude: 54.1 });
    records.actors.push({ id: "tass", kind: "news-agency", name: "TASS", description: "An agency." });
    const dir = writeDataset(records);
    const result = loadDataset(dir);
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map((problem) => formatProblem(problem).replace(`${dir}/`, ""))).toEqual([
      'actors/tass.yaml:1:5 id — warning: actor "tass" is referenced by nothing; name it in an event, a citation or a source, or remove it',
      'places/salalah.yaml:1:5 id — warning: place "salalah" is referenced by nothing; place an event there or remove it',
    ]);
  });
});

describe("checks against the articles", () => {
  const articles = () => ({ articles: writeArticles() });

  it("passes a record whose quotes and spellings stand in its article", () => {
    expect(problemsOf(() => {}, articles())).toEqual([]);
  });

  it("finds every quote in the cited paragraphs, verbatim and in order", () => {
    expect(
      problemsOf((r) => {
        find(r.events, "2026-02-06-talks").citations[0].quote = "talks were held in Salalah";
        find(r.events, "2026-02-10-larijani-visits-oman").citations[0].quote = "indirect talks … On Friday";
        find(r.actors, "ali-larijani").positions[0].citations[0].quote = "Ali Larijani, secretary … arrived on Tuesday";
      }, articles()),
    ).toEqual([
      'events/2026-02-06-talks.yaml:20:12 citations[0].quote — "talks were held in Salalah" is not in paragraph 1 of source "a-source"; quote the article verbatim',
      'events/2026-02-10-larijani-visits-oman.yaml:24:12 citations[0].quote — "On Friday" is not in paragraph 1 of source "a-source" in the order given; quote the article verbatim',
    ]);
  });

  it("checks attributed quotations, source spellings and common spellings", () => {
    expect(
      problemsOf((r) => {
        find(r.events, "2026-02-06-talks").citations[0].quotes = [{ speaker: "iran", text: "talks were cancelled" }];
        find(r.actors, "iran").aliases = [{ name: "Tehran", usedBy: ["a-source"] }, { name: "IRNA", common: true }];
      }, articles()),
    ).toEqual([
      'actors/iran.yaml:9:9 aliases[0].usedBy[0] — source "a-source" does not spell "Tehran"; credit the alias only to sources that use it',
      'actors/iran.yaml:11:13 aliases[1].common — "IRNA" is used by a-source: it is a source\'s spelling, so list it in usedBy instead of common',
      'events/2026-02-06-talks.yaml:23:15 citations[0].quotes[0].text — "talks were cancelled" is not in paragraph 1 of source "a-source"; quote the article verbatim',
    ]);
  });

  it("needs each article, with the paragraph count recorded", () => {
    expect(problemsOf(() => {}, { articles: writeArticles(["One paragraph only."]) })).toContainEqual(
      expect.stringMatching(/^sources\/a-source\.yaml:\d+:\d+ paragraphs — the article 001\.txt has 1 paragraphs \(non-blank lines\), not 5$/),
    );
    const missing = problemsOf((r) => (find(r.sources, "a-source").file = "404.txt"), articles());
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^sources\/a-source\.yaml:3:7 file — the article 404\.txt is not in /);
  });
});

describe("bad files", () => {
  it("a record whose id is not its file name", () => {
    const dir = writeDataset(validRecords());
    writeFileSync(join(dir, "places", "muscat.yaml"), "id: masqat\nname: Muscat\nkind: city\nlatitude: 23.6\nlongitude: 58.4\n");
    const result = loadDataset(dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => formatProblem(problem).replace(`${dir}/`, ""))).toEqual([
      "places/muscat.yaml:1:5 id — id \"masqat\" does not match the file name; name the file masqat.yaml",
    ]);
  });

  it("one broken file loads nothing at all", () => {
    const dir = writeDataset(validRecords());
    writeFileSync(join(dir, "events", "2026-02-06-talks.yaml"), "id: [unclosed\n");
    const result = loadDataset(dir);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty("dataset");
  });
});
