import { createHash } from "node:crypto";
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { SCHEMA_VERSION } from "@backchannel/schema";

/**
 * Beside every snapshot, `<snapshot>.sha256` holds the SHA-256 of the file as it was written (in
 * `sha256sum` format, so `sha256sum -c` checks it too). The build runs SQLite's integrity check
 * before it hashes, so a file that matches its checksum is one that passed that check.
 */
export const checksumPath = (snapshot: string) => `${snapshot}.sha256`;

export function fileSha256(path: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  const fd = openSync(path, "r");
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Writes the checksum of `file` for the snapshot that will be at `snapshot` (it may still be a temporary file). */
export function writeChecksum(file: string, snapshot: string, into = checksumPath(snapshot)): void {
  writeFileSync(into, `${fileSha256(file)}  ${basename(snapshot)}\n`);
}

/** The checksum recorded beside a snapshot, or why there is none to check it against. */
function recordedChecksum(snapshot: string): { expected: string } | { damage: string } {
  if (!existsSync(snapshot)) return { damage: `${snapshot} does not exist` };
  const sidecar = checksumPath(snapshot);
  if (!existsSync(sidecar)) return { damage: `${snapshot} has no checksum file (${basename(sidecar)}) beside it, so it cannot be verified` };
  const expected = /^([0-9a-f]{64})\b/.exec(readFileSync(sidecar, "utf8"))?.[1];
  return expected ? { expected } : { damage: `${sidecar} does not hold a SHA-256 checksum` };
}

const mismatch = (snapshot: string, actual: string, expected: string) =>
  actual === expected ? undefined : `${snapshot} is damaged: its SHA-256 is ${actual.slice(0, 12)}…, not the ${expected.slice(0, 12)}… recorded when it was built`;

/** Why a snapshot file cannot be served, or undefined when it is whole: missing, no checksum, or changed since its build. */
export function snapshotDamage(snapshot: string): string | undefined {
  const recorded = recordedChecksum(snapshot);
  return "damage" in recorded ? recorded.damage : mismatch(snapshot, fileSha256(snapshot), recorded.expected);
}

/** The same verdict as `snapshotDamage`, hashing in chunks between other work: a running server checks a new snapshot while it serves. */
export async function snapshotDamageAsync(snapshot: string): Promise<string | undefined> {
  const recorded = recordedChecksum(snapshot);
  if ("damage" in recorded) return recorded.damage;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(snapshot, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return mismatch(snapshot, hash.digest("hex"), recorded.expected);
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesBelow(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []))
    .sort();
}

/** The content hash of a data folder: every file's path and bytes, in a fixed order (modification times play no part). */
export function sourceHash(dataDir: string): string {
  const hash = createHash("sha256");
  for (const file of filesBelow(dataDir)) hash.update(`${relative(dataDir, file)}\u0000`).update(readFileSync(file)).update("\u0000");
  return hash.digest("hex");
}

let builder: string | undefined;
/** The builder's version: the schema version and the content of this package's code, so any change to either rebuilds. */
export function builderVersion(): string {
  if (builder) return builder;
  const code = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash("sha256").update(SCHEMA_VERSION);
  for (const file of filesBelow(code)) if (/\.[cm]?[jt]s$/.test(file) && !/\.test\.|\.d\.ts$/.test(file)) hash.update(readFileSync(file));
  return (builder = hash.digest("hex").slice(0, 16));
}

/** What a build records about where it came from, in the snapshot's `provenance` table. */
export interface Provenance {
  sourceHash?: string;
  builderVersion: string;
}

function readProvenance(snapshot: string): Partial<Provenance> {
  const db = new Database(snapshot, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT key, value FROM provenance").all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map(({ key, value }) => [key, value]));
  } catch {
    return {}; // built before provenance was recorded
  } finally {
    db.close();
  }
}

/**
 * Why the snapshot must be rebuilt from `dataDir`, or undefined when it is current: missing or
 * damaged, built from other data (by content, not modification time), or by another builder.
 */
export function whyRebuild(snapshot: string, dataDir: string): string | undefined {
  const damage = snapshotDamage(snapshot);
  if (damage) return damage;
  const provenance = readProvenance(snapshot);
  if (provenance.builderVersion !== builderVersion()) return `${snapshot} was built by another version of the builder`;
  if (provenance.sourceHash !== sourceHash(dataDir)) return `${dataDir} has changed since ${snapshot} was built`;
  return undefined;
}

