import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validRecords, writeDataset } from "../../test/fixture-dataset.js";
import { loadDataset } from "../load.js";
import { formatProblem, type Problem } from "../problems.js";
import { buildSnapshot, MAX_NDJSON_LINE_BYTES } from "./build.js";

type Records = ReturnType<typeof validRecords>;
const scratch = () => mkdtempSync(join(tmpdir(), "backchannel-ndjson-"));

function writeNdjson(records: Records): string {
  const dir = scratch();
  for (const [kind, list] of Object.entries(records)) writeFileSync(join(dir, `${kind}.ndjson`), list.map((record) => JSON.stringify(record)).join("\n") + "\n");
  return dir;
}

const find = (list: Record<string, unknown>[], id: string) => list.find((record) => record.id === id) as Record<string, any>;

/** Breaks of the rules no single record can check, each applied to the valid fixture. */
const BREAKS: Record<string, (records: Records) => void> = {
  "an event related to itself": (r) => (find(r.events, "2026-02-10-larijani-visits-oman").relations = [{ type: "follows", event: "2026-02-10-larijani-visits-oman" }]),
  "a paragraph beyond its source": (r) => (find(r.events, "2026-02-06-talks").citations[0].paragraphs = [9]),
  "a post that does not exist": (r) => (find(r.events, "2026-02-10-larijani-visits-oman").participants[0].post = "no-such-post"),
  "an agency the source does not credit": (r) => (find(r.events, "2026-02-06-talks").citations[0].agency = "oman"),
  "places within each other": (r) => (find(r.places, "oman").within = "muscat"),
  "a tenure that does not cover the event": (r) => (find(r.events, "2026-02-10-larijani-visits-oman").date.start = "2020-01-01"),
  "an unknown place": (r) => (find(r.events, "2026-02-06-talks").places = ["atlantis"]),
};

/** Errors as `kind field — message`: the two layouts differ only in file and line. */
const errorsOf = (problems: Problem[]) =>
  problems
    .filter((problem) => problem.severity === "error")
    .map((problem) => `${problem.file.endsWith(".ndjson") ? basename(problem.file, ".ndjson") : basename(dirname(problem.file))} ${problem.field} — ${problem.message}`)
    .sort();

describe("bulk NDJSON is held to the same integrity rules as data/", { timeout: 120_000 }, () => {
  it("reports exactly the errors the YAML check reports, for any combination of broken rules", async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(Object.keys(BREAKS), { minLength: 1 }), async (breaks) => {
        const records = validRecords();
        for (const name of breaks) BREAKS[name]!(records);
        const yaml = loadDataset(writeDataset(records));
        const ndjson = await buildSnapshot(writeNdjson(records), join(scratch(), "s.sqlite"));
        const yamlErrors = yaml.ok ? [] : errorsOf(yaml.problems);
        fc.pre(yamlErrors.length > 0); // a break may be one no rule catches yet (a cycle of places)
        expect(ndjson.ok ? [] : errorsOf(ndjson.problems)).toEqual(yamlErrors);
      }),
      { numRuns: 20 },
    );
  }, 120_000); // forty builds and loads: room for a busy machine

  it("refuses a line longer than the bound with its file:line, and goes on counting lines after it", async () => {
    const dir = writeNdjson(validRecords());
    const places = join(dir, "places.ndjson");
    const [first, ...rest] = readFileSync(places, "utf8").trimEnd().split("\n");
    writeFileSync(places, `${first}\n`);
    // A JSON line of 1.5 × the bound, written in pieces so the test itself never holds it whole.
    appendFileSync(places, '{"id":"huge","note":"');
    for (let written = 0; written < MAX_NDJSON_LINE_BYTES * 1.5; written += 64 * 1024) appendFileSync(places, "x".repeat(64 * 1024));
    appendFileSync(places, `"}\n${rest.join("\n")}\n{not json\n`);
    const result = await buildSnapshot(dir, join(scratch(), "s.sqlite"));
    expect(!result.ok && result.problems.map((problem) => formatProblem(problem).replace(`${dir}/`, ""))).toEqual([
      expect.stringMatching(/^places\.ndjson:2:1 \(file\) — the line is longer than 1 MB \(1\.5 MB read before it was skipped\); write one record a line, each under that$/),
      expect.stringMatching(/^places\.ndjson:4:1 \(file\) — not JSON: /),
    ]);
  });
});
