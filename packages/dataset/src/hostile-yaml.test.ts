import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validRecords, writeDataset } from "../test/fixture-dataset.js";
import { loadDataset } from "./load.js";
import { formatProblem } from "./problems.js";
import { MAX_ALIAS_COUNT, MAX_RECORD_BYTES } from "./read-records.js";

/** The valid fixture with one file changed, loaded: its error lines, the folder cut off. */
function errorsAfter(change: (dir: string) => void): string[] {
  const dir = writeDataset(validRecords());
  change(dir);
  const result = loadDataset(dir);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.filter((p) => p.severity === "error").map((p) => formatProblem(p).replace(`${dir}/`, ""));
}

describe("hostile YAML is refused with file:line and what to do", { timeout: 60_000 }, () => {
  it("an alias bomb: bounded expansion, reported at its first alias", () => {
    const bomb = [
      "id: oman",
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`),
    ].join("\n");
    const errors = errorsAfter((dir) => writeFileSync(join(dir, "places", "oman.yaml"), bomb));
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^places/oman\\.yaml:3:\\d+ \\(file\\) — YAML: .*alias.*at most ${MAX_ALIAS_COUNT}\\)$`, "i"))]);
  });

  it("a few aliases are fine", () => {
    const dir = writeDataset(validRecords());
    writeFileSync(join(dir, "places", "oman.yaml"), "id: oman\nname: &n Oman\nkind: country\ncountry: OM\nlatitude: 21.5\nlongitude: 55.9\naliases: [*n]\n");
    expect(loadDataset(dir).ok).toBe(true);
  });

  it("a symbolic link that leaves data/ is not followed", () => {
    const outside = join(mkdtempSync(join(tmpdir(), "outside-")), "secret.yaml");
    writeFileSync(outside, "id: muscat\nname: secret\n");
    const errors = errorsAfter((dir) => {
      rmSync(join(dir, "places", "muscat.yaml"));
      symlinkSync(outside, join(dir, "places", "muscat.yaml"));
    });
    expect(errors).toEqual([`places/muscat.yaml:1:1 (file) — a symbolic link to ${outside}, outside data/; copy the record into data/ instead of linking to it`]);
  });

  it("a kind's folder linked outside data/ is not read", () => {
    const outside = mkdtempSync(join(tmpdir(), "outside-"));
    writeFileSync(join(outside, "oman.yaml"), "id: oman\n");
    const errors = errorsAfter((dir) => {
      rmSync(join(dir, "places"), { recursive: true });
      symlinkSync(outside, join(dir, "places"));
    });
    expect(errors[0]).toMatch(/^places:1:1 \(file\) — a symbolic link to .*, outside data\//);
  });

  it("a symbolic link to a record inside data/ is followed", () => {
    const dir = writeDataset(validRecords());
    mkdirSync(join(dir, "shared"));
    renameSync(join(dir, "places", "muscat.yaml"), join(dir, "shared", "muscat.yaml"));
    symlinkSync(join(dir, "shared", "muscat.yaml"), join(dir, "places", "muscat.yaml"));
    expect(loadDataset(dir).ok).toBe(true);
  });

  it("a dangling symbolic link", () => {
    const errors = errorsAfter((dir) => symlinkSync(join(dir, "places", "gone.yaml"), join(dir, "places", "salalah.yaml")));
    expect(errors).toEqual([expect.stringMatching(/^places\/salalah\.yaml:1:1 \(file\) — a symbolic link to .*gone\.yaml, which does not exist; point it at a record inside data\/ or remove it$/)]);
  });

  it("a record file too large to be one record is refused before parsing", () => {
    const errors = errorsAfter((dir) => writeFileSync(join(dir, "places", "oman.yaml"), `id: oman\nnote: "${"x".repeat(MAX_RECORD_BYTES)}"\n`));
    expect(errors).toEqual([expect.stringMatching(/^places\/oman\.yaml:1:1 \(file\) — 1\.0 MB, above the 1 MB a record may take; .*split the file, or load bulk data from NDJSON$/)]);
  });
});
