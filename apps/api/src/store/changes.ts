import type Database from "better-sqlite3";
import type { Changes, ChangesQuery, RecordChange } from "@backchannel/schema";
import { BadRequestError } from "./errors.js";

interface VersionRow {
  seq: number;
  version: string;
  replaces: string | null;
  built_at: string;
  added: number;
  changed: number;
  removed: number;
}

/** Whether the snapshot carries the change log (snapshots built before it do not). */
function hasHistory(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'versions'").get() !== undefined;
}

/**
 * What changed in the record after version `since` (or in the latest version), newest version
 * first, read from the change log the snapshot carries (see the dataset's snapshot/history.ts).
 */
export function listChanges(db: Database.Database, datasetVersion: string, { since, limit }: ChangesQuery): Changes {
  const versions = hasHistory(db) ? (db.prepare("SELECT * FROM versions ORDER BY seq DESC").all() as VersionRow[]) : [];
  const oldest = versions.at(-1);
  if (!oldest) return { datasetVersion, since: since ?? null, versions: [], oldest: { version: datasetVersion, builtAt: "" } };
  let chosen = versions.slice(0, 1);
  if (since !== undefined) {
    const at = versions.findIndex((v) => v.version === since);
    if (at === -1) {
      const message = `version ${since} is not in the change log, which holds the last ${versions.length} versions, back to ${oldest.version} (built ${oldest.built_at})`;
      throw new BadRequestError(message, [{ path: "since", message }]);
    }
    chosen = versions.slice(0, at);
  }
  const rows = db.prepare(`
    SELECT kind, id, title, change, fields FROM changes WHERE seq = ?
    ORDER BY CASE change WHEN 'added' THEN 0 WHEN 'changed' THEN 1 ELSE 2 END, kind, title, id LIMIT ?`);
  let room = limit;
  return {
    datasetVersion,
    since: since ?? null,
    oldest: { version: oldest.version, builtAt: oldest.built_at },
    versions: chosen.map((v) => {
      const changes = (rows.all(v.seq, room) as (Omit<RecordChange, "fields"> & { fields: string })[]).map((row) => ({ ...row, fields: JSON.parse(row.fields) as string[] }));
      room -= changes.length;
      return {
        version: v.version,
        replaces: v.replaces,
        builtAt: v.built_at,
        counts: { added: v.added, changed: v.changed, removed: v.removed },
        changes,
        complete: changes.length === v.added + v.changed + v.removed,
      };
    }),
  };
}

/**
 * When each record last changed in the record: the build time of the version in which it got its
 * current content (`record_hashes.changed_at`), or `fallback` (the build time) for a snapshot
 * built before the history was kept.
 */
export function lastChanged(db: Database.Database, kind: string, ids: readonly string[], fallback: string): Map<string, string> {
  const known = new Map<string, string>();
  if (ids.length && hasHistory(db)) {
    const rows = db.prepare(`SELECT id, changed_at FROM record_hashes WHERE kind = ? AND id IN (${ids.map(() => "?").join(",")})`).all(kind, ...ids) as { id: string; changed_at: string }[];
    for (const row of rows) known.set(row.id, row.changed_at);
  }
  return new Map(ids.map((id) => [id, known.get(id) ?? fallback]));
}
