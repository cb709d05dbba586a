import type { Dataset } from "@backchannel/dataset";
import { SCHEMA_VERSION } from "@backchannel/schema";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve } from "node:path";

/** Either the validated record or what `data:check` would print about it. */
export type RecordLoad = { ok: true; dataset: Dataset; cached: boolean } | { ok: false; problems: string[] };

function yamlFilesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? yamlFilesBelow(join(dir, entry.name)) : entry.isFile() && /\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : []))
    .sort();
}

/** The record's content (every file's path and bytes) and the schema it was validated against. */
function contentKey(dataDir: string): string {
  const hash = createHash("sha256").update(`${SCHEMA_VERSION}\u0000`);
  for (const file of yamlFilesBelow(dataDir)) hash.update(`${relative(dataDir, file)}\u0000`).update(readFileSync(file)).update("\u0000");
  return hash.digest("hex");
}

/** Where validated records are kept: the user's cache folder, one file per data folder. */
export function recordCacheFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.BACKCHANNEL_CACHE?.trim() || join(env.XDG_CACHE_HOME?.trim() || join(homedir(), ".cache"), "backchannel");
  return join(base, `record-${createHash("sha256").update(resolve(dataDir)).digest("hex").slice(0, 16)}.json`);
}

/**
 * The record as `data:check` loads it, validated once per content: parsing and validating every YAML
 * file is the slowest step of a draft, and the record rarely changes between two drafts. The cache is
 * keyed by the bytes of every file (not modification times), so an edit is always seen.
 */
export async function loadRecord(dataDir: string): Promise<RecordLoad> {
  const key = contentKey(dataDir);
  const file = recordCacheFile(dataDir);
  try {
    const cached = JSON.parse(readFileSync(file, "utf8")) as { key?: string; dataset?: Dataset };
    if (cached.key === key && cached.dataset) return { ok: true, dataset: cached.dataset, cached: true };
  } catch {
    // no cache yet, or an unreadable one: load from the YAML below
  }
  const { loadDataset, formatProblem } = await import("@backchannel/dataset");
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) return { ok: false, problems: loaded.problems.map(formatProblem) };
  try {
    mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key, dataset: loaded.dataset }), { mode: 0o600 });
    renameSync(temporary, file); // whole or not at all: a reader never sees half a file
  } catch {
    // a read-only home: drafting works, only slower
  }
  return { ok: true, dataset: loaded.dataset, cached: false };
}
