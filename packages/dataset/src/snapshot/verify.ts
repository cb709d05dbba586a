import { createHash } from "node:crypto";
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
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

/**
 * The cheap checks, made at every open: the file is a SQLite database, and as long as its header
 * says (page count × page size), so a file cut short or grown is refused without reading it.
 */
function headerDamage(snapshot: string, size: number): string | undefined {
  const header = Buffer.alloc(100);
  const fd = openSync(snapshot, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (size < header.length || header.toString("latin1", 0, 16) !== "SQLite format 3\u0000") return `${snapshot} is damaged: it is not a SQLite database (its first bytes are not a SQLite header)`;
  const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
  // The header's page count is valid when its change counter matches the "version valid for" field.
  const pages = header.readUInt32BE(24) === header.readUInt32BE(92) ? header.readUInt32BE(28) : undefined;
  const expected = pages === undefined ? undefined : pages * pageSize;
  if (expected !== undefined && size < expected) return `${snapshot} is damaged: it is cut short, ${size} bytes of the ${expected} its SQLite header describes`;
  if (expected !== undefined && size > expected) return `${snapshot} is damaged: it is ${size} bytes, longer than the ${expected} its SQLite header describes`;
  if (size % pageSize !== 0) return `${snapshot} is damaged: its ${size} bytes are not a whole number of ${pageSize}-byte pages`;
  return undefined;
}

/**
 * Beside a snapshot verified in full, `<snapshot>.verified` records the file's identity (device,
 * inode, size, modification and change times, to the nanosecond) and the checksum it matched. An
 * open that finds the same identity and the same recorded checksum trusts the earlier hash: any
 * write, truncation, copy, move to another disk or new file gets another change time or inode, and
 * is hashed in full again. A stamp written in the same tick of the file system's clock as the
 * file's last change proves nothing (a write in that tick would keep the times) and is not trusted.
 */
export const stampPath = (snapshot: string) => `${snapshot}.verified`;

interface Identity {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

function identityOf(path: string): Identity {
  const stat = statSync(path, { bigint: true });
  return { dev: String(stat.dev), ino: String(stat.ino), size: String(stat.size), mtimeNs: String(stat.mtimeNs), ctimeNs: String(stat.ctimeNs) };
}

const sameIdentity = (a: Identity, b: Identity) => a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

/** Whether the stamp beside `snapshot` vouches for this file, as it is now, with this checksum. */
function stampHolds(snapshot: string, identity: Identity, expected: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampPath(snapshot), "utf8")) as Partial<Identity & { sha256: string }>;
    const stampedAt = statSync(stampPath(snapshot), { bigint: true }).mtimeNs;
    return stamp.sha256 === expected && sameIdentity(stamp as Identity, identity) && BigInt(identity.ctimeNs) < stampedAt;
  } catch {
    return false; // no stamp, or not one this code wrote
  }
}

const tick = new Int32Array(new SharedArrayBuffer(4));

/**
 * Records that `snapshot`, with this identity, matched `sha256`. Best effort: in a read-only
 * folder nothing is recorded, and every open hashes in full.
 */
function writeStamp(snapshot: string, identity: Identity, sha256: string): void {
  const stamp = stampPath(snapshot);
  try {
    // Written again until the clock has moved past the file's last change (a tick, at most a few ms).
    for (let attempt = 0; attempt < 200; attempt++) {
      writeFileSync(stamp, `${JSON.stringify({ sha256, ...identity })}\n`);
      if (statSync(stamp, { bigint: true }).mtimeNs > BigInt(identity.ctimeNs)) return;
      Atomics.wait(tick, 0, 0, 5);
    }
    rmSync(stamp, { force: true });
  } catch {
    // not writable here: the next open hashes again
  }
}

/**
 * Records that the snapshot at `snapshot` is the file its checksum describes, as its build has
 * just verified: its first open then needs no hash.
 */
export function recordVerified(snapshot: string): void {
  const recorded = recordedChecksum(snapshot);
  if ("expected" in recorded) writeStamp(snapshot, identityOf(snapshot), recorded.expected);
}

/** How a snapshot was judged: refused by the cheap checks, passed by its stamp, or by hashing every byte. */
export interface Verification {
  damage: string | undefined;
  by: "checks" | "stamp" | "hash";
}

/**
 * Why a snapshot file cannot be served (undefined when it is whole), and how that was found: its
 * header always; then its stamp, when it vouches for this very file, or else a full hash (which,
 * when it matches, writes the stamp for the next open).
 */
export function verifySnapshot(snapshot: string): Verification {
  const recorded = recordedChecksum(snapshot);
  if ("damage" in recorded) return { damage: recorded.damage, by: "checks" };
  const identity = identityOf(snapshot);
  const header = headerDamage(snapshot, Number(identity.size));
  if (header) return { damage: header, by: "checks" };
  if (stampHolds(snapshot, identity, recorded.expected)) return { damage: undefined, by: "stamp" };
  const damage = mismatch(snapshot, fileSha256(snapshot), recorded.expected);
  if (!damage && sameIdentity(identityOf(snapshot), identity)) writeStamp(snapshot, identity, recorded.expected);
  return { damage, by: "hash" };
}

/** Why a snapshot file cannot be served, or undefined when it is whole: missing, no checksum, cut short, or changed since its build. */
export function snapshotDamage(snapshot: string): string | undefined {
  return verifySnapshot(snapshot).damage;
}

/**
 * The same verdict, always from a full hash, in chunks between other work: a running server
 * checks every new snapshot in full while it serves, stamp or none.
 */
export async function snapshotDamageAsync(snapshot: string): Promise<string | undefined> {
  const recorded = recordedChecksum(snapshot);
  if ("damage" in recorded) return recorded.damage;
  const identity = identityOf(snapshot);
  const header = headerDamage(snapshot, Number(identity.size));
  if (header) return header;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(snapshot, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  const damage = mismatch(snapshot, hash.digest("hex"), recorded.expected);
  if (!damage && sameIdentity(identityOf(snapshot), identity)) writeStamp(snapshot, identity, recorded.expected);
  return damage;
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

