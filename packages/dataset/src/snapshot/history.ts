import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import type Database from "better-sqlite3";

/**
 * What changed between versions of the record, kept inside each snapshot:
 *
 * - `record_hashes`: per record, a content hash of what the API serves of it (its `doc`) and
 *   `changed_at`, when that content first appeared: the build time of the version in which the
 *   record was added or last changed, carried from snapshot to snapshot while the hash stays.
 * - `versions`: this version, the version it replaces and when it was built, then the ones before
 *   it, newest first, HISTORY_VERSIONS kept in all.
 * - `changes`: per version, the records added, changed (with the fields that differ) and removed
 *   relative to the version it replaced, at most CHANGES_PER_VERSION rows a version (the counts
 *   in `versions` stay exact).
 *
 * The history is read from the previous snapshot at build time (by default the file being
 * replaced) and carried into the new one, so it needs no git and no other store: a build over
 * an empty place starts a new history.
 */
export const HISTORY_DDL = `
CREATE TABLE record_hashes (kind TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL, changed_at TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE versions (
  seq INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE, replaces TEXT, built_at TEXT NOT NULL,
  added INTEGER NOT NULL, changed INTEGER NOT NULL, removed INTEGER NOT NULL
);
CREATE TABLE changes (
  seq INTEGER NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, change TEXT NOT NULL, fields TEXT NOT NULL, title TEXT NOT NULL,
  PRIMARY KEY (seq, kind, id)
) WITHOUT ROWID;
`;

/** Versions the change log keeps, this one included. */
export const HISTORY_VERSIONS = 20;
/** Change rows kept per version: a bulk import of a million events is counted, not listed. */
export const CHANGES_PER_VERSION = 5_000;

/** The tables of records, each named by its kind, each with `id` and `doc`. */
export const TRACKED_KINDS = ["events", "actors", "sources", "places", "posts"] as const;
export type TrackedKind = (typeof TRACKED_KINDS)[number];
export type Change = "added" | "changed" | "removed";

/** The content hash of a record as served: SHA-256 of its JSON, 32 hex digits. */
export function contentHash(doc: string): string {
  return createHash("sha256").update(doc).digest("hex").slice(0, 32);
}

/** The name a reader knows a record by, from its JSON. */
function titleOf(doc: string | undefined, id: string): string {
  if (!doc) return id;
  const record = JSON.parse(doc) as { title?: unknown; name?: unknown };
  return typeof record.title === "string" ? record.title : typeof record.name === "string" ? record.name : id;
}

/** The top-level fields whose values differ between two versions of a record, sorted. */
export function changedFields(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort();
}

function hasTable(db: Database.Database, schema: string, table: string): boolean {
  return db.prepare(`SELECT 1 FROM ${schema}.sqlite_schema WHERE type = 'table' AND name = ?`).get(table) !== undefined;
}

/**
 * Writes the history tables of a snapshot being built (`db`, outside any transaction), given
 * its version and build time and the previous snapshot's path, if there is one.
 */
export function recordHistory(db: Database.Database, { version, builtAt, previous }: { version: string; builtAt: string; previous?: string | undefined }): void {
  db.exec(HISTORY_DDL);
  db.function("content_hash", { deterministic: true }, (doc) => contentHash(String(doc)));
  db.exec("BEGIN");
  for (const kind of TRACKED_KINDS) db.prepare(`INSERT INTO record_hashes SELECT '${kind}', id, content_hash(doc), ? FROM ${kind}`).run(builtAt);
  const attached = previous !== undefined && existsSync(previous) && attachPrevious(db, previous);
  if (!attached) {
    db.prepare("INSERT INTO versions VALUES (1, ?, NULL, ?, 0, 0, 0)").run(version, builtAt);
    db.exec("COMMIT");
    return;
  }
  try {
    carryHistory(db, version, builtAt);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  } finally {
    db.exec("DETACH DATABASE previous");
  }
}

/** Attaches a readable previous snapshot as `previous`; false when the file is not one. */
function attachPrevious(db: Database.Database, path: string): boolean {
  // ATTACH cannot run inside a transaction: the caller's BEGIN is closed and reopened around it.
  db.exec("COMMIT");
  try {
    db.prepare("ATTACH DATABASE ? AS previous").run(path);
  } catch {
    db.exec("BEGIN");
    return false;
  }
  db.exec("BEGIN");
  try {
    if (hasTable(db, "previous", "meta") && TRACKED_KINDS.every((kind) => hasTable(db, "previous", kind))) return true;
  } catch {
    // not a SQLite file: no history to carry
  }
  db.exec("COMMIT");
  db.exec("DETACH DATABASE previous");
  db.exec("BEGIN");
  return false;
}

function carryHistory(db: Database.Database, version: string, builtAt: string): void {
  const previousMeta = (key: string) => {
    const row = db.prepare("SELECT value FROM previous.meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as string) : undefined;
  };
  const previousVersion = previousMeta("datasetVersion");
  const previousBuiltAt = previousMeta("builtAt") ?? builtAt;
  // A snapshot from before history was recorded: its records' hashes are computed from its docs.
  const hashes = hasTable(db, "previous", "record_hashes");
  if (hashes) db.exec("CREATE TEMP TABLE previous_hashes AS SELECT kind, id, hash, changed_at FROM previous.record_hashes");
  else {
    db.exec("CREATE TEMP TABLE previous_hashes (kind TEXT, id TEXT, hash TEXT, changed_at TEXT)");
    for (const kind of TRACKED_KINDS) db.prepare(`INSERT INTO previous_hashes SELECT '${kind}', id, content_hash(doc), ? FROM previous.${kind}`).run(previousBuiltAt);
  }
  db.exec("CREATE UNIQUE INDEX temp.previous_hashes_by_id ON previous_hashes (kind, id)");
  try {
    // A record whose content did not change keeps the time it last did.
    db.exec(`UPDATE record_hashes SET changed_at = p.changed_at FROM previous_hashes p
             WHERE p.kind = record_hashes.kind AND p.id = record_hashes.id AND p.hash = record_hashes.hash`);
    const hasLog = hasTable(db, "previous", "versions") && hasTable(db, "previous", "changes");
    const kept = hasLog
      ? (db.prepare(`SELECT seq FROM previous.versions WHERE version <> ? ORDER BY seq DESC LIMIT ${HISTORY_VERSIONS - 1}`).all(version) as { seq: number }[]).map((row) => row.seq)
      : [];
    if (kept.length) {
      const list = kept.join(",");
      db.exec(`INSERT INTO versions SELECT * FROM previous.versions WHERE seq IN (${list})`);
      db.exec(`INSERT INTO changes SELECT * FROM previous.changes WHERE seq IN (${list})`);
    }
    if (previousVersion === version) {
      // The same record rebuilt: nothing changed, and the version keeps its place in the log.
      const same = hasLog ? db.prepare("SELECT * FROM previous.versions WHERE version = ?").get(version) : undefined;
      if (same) {
        db.prepare("INSERT INTO versions VALUES (@seq, @version, @replaces, @built_at, @added, @changed, @removed)").run(same);
        db.exec(`INSERT INTO changes SELECT * FROM previous.changes WHERE seq = ${(same as { seq: number }).seq}`);
      } else db.prepare("INSERT INTO versions VALUES (?, ?, NULL, ?, 0, 0, 0)").run((kept[0] ?? 0) + 1, version, builtAt);
      return;
    }
    const seq = (hasLog ? ((db.prepare("SELECT max(seq) AS seq FROM previous.versions").get() as { seq: number | null }).seq ?? 0) : 0) + 1;
    const counts = { added: 0, changed: 0, removed: 0 };
    const insert = db.prepare("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?)");
    const room = () => Math.max(0, CHANGES_PER_VERSION - (db.prepare("SELECT count(*) FROM changes WHERE seq = ?").pluck().get(seq) as number));
    const diffs: Record<Change, { count: string; list: string }> = {
      added: {
        count: "SELECT count(*) FROM record_hashes n LEFT JOIN previous_hashes p ON p.kind = n.kind AND p.id = n.id WHERE n.kind = ? AND p.id IS NULL",
        list: "SELECT n.id FROM record_hashes n LEFT JOIN previous_hashes p ON p.kind = n.kind AND p.id = n.id WHERE n.kind = ? AND p.id IS NULL ORDER BY n.id LIMIT ?",
      },
      changed: {
        count: "SELECT count(*) FROM record_hashes n JOIN previous_hashes p ON p.kind = n.kind AND p.id = n.id WHERE n.kind = ? AND p.hash <> n.hash",
        list: "SELECT n.id FROM record_hashes n JOIN previous_hashes p ON p.kind = n.kind AND p.id = n.id WHERE n.kind = ? AND p.hash <> n.hash ORDER BY n.id LIMIT ?",
      },
      removed: {
        count: "SELECT count(*) FROM previous_hashes p LEFT JOIN record_hashes n ON n.kind = p.kind AND n.id = p.id WHERE p.kind = ? AND n.id IS NULL",
        list: "SELECT p.id FROM previous_hashes p LEFT JOIN record_hashes n ON n.kind = p.kind AND n.id = p.id WHERE p.kind = ? AND n.id IS NULL ORDER BY p.id LIMIT ?",
      },
    };
    for (const kind of TRACKED_KINDS) {
      const docNow = db.prepare(`SELECT doc FROM main.${kind} WHERE id = ?`).pluck();
      const docBefore = db.prepare(`SELECT doc FROM previous.${kind} WHERE id = ?`).pluck();
      for (const change of ["added", "changed", "removed"] as const) {
        counts[change] += db.prepare(diffs[change].count).pluck().get(kind) as number;
        for (const id of db.prepare(diffs[change].list).pluck().all(kind, room()) as string[]) {
          const now = docNow.get(id) as string | undefined;
          const before = docBefore.get(id) as string | undefined;
          const fields = change === "changed" ? changedFields(before!, now!) : [];
          insert.run(seq, kind, id, change, JSON.stringify(fields), titleOf(now ?? before, id));
        }
      }
    }
    db.prepare("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?)").run(seq, version, previousVersion ?? null, builtAt, counts.added, counts.changed, counts.removed);
  } finally {
    db.exec("DROP TABLE temp.previous_hashes");
  }
}
