import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validRecords, writeDataset } from "../test/fixture-dataset.js";
import { loadDataset } from "./load.js";
import { formatProblem } from "./problems.js";

type Records = ReturnType<typeof validRecords>;

/** Loads a variant of the valid fixture and returns its problems as printed, with the folder cut off. */
function problemsOf(change: (records: Records) => void): string[] {
  const records = validRecords();
  change(records);
  const dir = writeDataset(records);
  const result = loadDataset(dir);
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

  it("a credited agency must be one the source credits", () => {
    expect(problemsOf((r) => (find(r.events, "2026-02-06-talks").citations[0].agency = "iran"))).toEqual([
      'events/2026-02-06-talks.yaml:20:13 citations[0].agency — source "a-source" does not credit "iran"; add it to the source\'s credits or drop it here',
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
