import { loadDataset, type Dataset } from "@backchannel/dataset";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");
export const dataDir = join(repoRoot, "data");
export const fixture = (name: string) => readFileSync(join(dirname(fileURLToPath(import.meta.url)), "fixtures", name), "utf8");

let cached: Dataset | undefined;

/** The curated record, loaded once per test file (tests never change it: they write to copies). */
export function curated(): Dataset {
  if (cached) return cached;
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) throw new Error("the curated dataset does not load");
  cached = loaded.dataset;
  return cached;
}

/** A copy of data/ to write into, so tests never touch the repository's records. */
export function scratchData(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "backchannel-curation-")), "data");
  cpSync(dataDir, dir, { recursive: true });
  return dir;
}
