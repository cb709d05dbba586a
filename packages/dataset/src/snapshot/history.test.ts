import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validRecords, writeDataset } from "../../test/fixture-dataset.js";
import { buildSnapshot } from "./build.js";
import { HISTORY_VERSIONS, changedFields, contentHash } from "./history.js";

const scratch = () => mkdtempSync(join(tmpdir(), "backchannel-history-"));

async function build(records: ReturnType<typeof validRecords>, target: string) {
  const result = await buildSnapshot(writeDataset(records), target);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.meta;
}

function read(target: string) {
  const db = new Database(target, { readonly: true });
  try {
    return {
      versions: db.prepare("SELECT version, replaces, added, changed, removed FROM versions ORDER BY seq DESC").all() as { version: string; replaces: string | null; added: number; changed: number; removed: number }[],
      changes: db.prepare("SELECT v.version, c.kind, c.id, c.change, c.fields, c.title FROM changes c JOIN versions v USING (seq) ORDER BY c.seq DESC, c.kind, c.id").all() as {
        version: string;
        kind: string;
        id: string;
        change: string;
        fields: string;
        title: string;
      }[],
      hashes: new Map((db.prepare("SELECT kind || '/' || id AS key, hash, changed_at FROM record_hashes").all() as { key: string; hash: string; changed_at: string }[]).map((r) => [r.key, r])),
    };
  } finally {
    db.close();
  }
}

describe("the change log carried from snapshot to snapshot", () => {
  it("starts a history on a first build: every record hashed, the version replacing none", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    const meta = await build(validRecords(), target);
    const { versions, changes, hashes } = read(target);
    expect(versions).toEqual([{ version: meta.datasetVersion, replaces: null, added: 0, changed: 0, removed: 0 }]);
    expect(changes).toEqual([]);
    const counted = Object.values(meta.counts).reduce((sum, n) => sum + n, 0);
    expect(hashes.size).toBe(counted);
    for (const { hash, changed_at } of hashes.values()) {
      expect(hash).toMatch(/^[0-9a-f]{32}$/);
      expect(changed_at).toBe(meta.builtAt);
    }
  });

  it("records what the next version adds, changes (which fields) and removes, and when each record last changed", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    const first = await build(validRecords(), target);
    const next = validRecords();
    next.events[0]!.title = "Talks in Muscat, again";
    next.events[0]!.summary = "Indirect talks, resumed.";
    const removed = next.events.splice(1, 1)[0]!;
    next.places.push({ id: "tehran", name: "Tehran", kind: "city", country: "IR", latitude: 35.7, longitude: 51.4 });
    const second = await build(next, target);
    const { versions, changes, hashes } = read(target);
    expect(versions.map((v) => [v.version, v.replaces])).toEqual([
      [second.datasetVersion, first.datasetVersion],
      [first.datasetVersion, null],
    ]);
    expect(versions[0]).toMatchObject({ added: 1, changed: 1, removed: 1 });
    expect(changes.map(({ kind, id, change, fields }) => [kind, id, change, JSON.parse(fields)])).toEqual([
      ["events", next.events[0]!.id, "changed", ["summary", "title"]],
      ["events", removed.id, "removed", []],
      ["places", "tehran", "added", []],
    ]);
    expect(changes.find((c) => c.change === "removed")!.title).toBe(removed.title);
    // Unchanged records keep the time they last changed; changed and new ones take this build's.
    expect(hashes.get(`events/${next.events[0]!.id}`)!.changed_at).toBe(second.builtAt);
    expect(hashes.get("places/tehran")!.changed_at).toBe(second.builtAt);
    expect(hashes.get("places/oman")!.changed_at).toBe(first.builtAt);
  });

  it("keeps its place in the log when the same record is rebuilt", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    await build(validRecords(), target);
    const changed = validRecords();
    changed.actors[0]!.description = "A state, described anew.";
    await build(changed, target);
    const before = read(target);
    await build(changed, target);
    expect(read(target).versions).toEqual(before.versions);
    expect(read(target).changes).toEqual(before.changes);
  });

  it(`keeps the last ${HISTORY_VERSIONS} versions`, async () => {
    const target = join(scratch(), "snapshot.sqlite");
    for (let i = 0; i <= HISTORY_VERSIONS + 1; i++) {
      const records = validRecords();
      records.events[0]!.summary = `Indirect talks, take ${i}.`;
      await build(records, target);
    }
    const { versions } = read(target);
    expect(versions).toHaveLength(HISTORY_VERSIONS);
    expect(versions.every((v) => v.changed === 1)).toBe(true);
  }, 60_000);

  it("carries history from a snapshot built elsewhere (copied into place), and ignores a file that is not a snapshot", async () => {
    const dir = scratch();
    await build(validRecords(), join(dir, "elsewhere.sqlite"));
    copyFileSync(join(dir, "elsewhere.sqlite"), join(dir, "snapshot.sqlite"));
    const changed = validRecords();
    changed.places[0]!.name = "Sultanate of Oman";
    await build(changed, join(dir, "snapshot.sqlite"));
    expect(read(join(dir, "snapshot.sqlite")).changes.map((c) => [c.id, c.title, JSON.parse(c.fields)])).toEqual([["oman", "Sultanate of Oman", ["name"]]]);
    writeFileSync(join(dir, "junk.sqlite"), "not a database");
    await build(validRecords(), join(dir, "junk.sqlite"));
    expect(read(join(dir, "junk.sqlite")).versions[0]!.replaces).toBeNull();
  });
});

describe("fields and hashes", () => {
  it("names exactly the top-level fields whose values differ", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.jsonValue()), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.jsonValue()), (a, b) => {
        const fields = changedFields(JSON.stringify(a), JSON.stringify(b));
        for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
          const same = JSON.stringify(a[key]) === JSON.stringify(b[key]);
          expect(fields.includes(key)).toBe(!same);
        }
        expect(changedFields(JSON.stringify(a), JSON.stringify(a))).toEqual([]);
      }),
    );
  });

  it("hashes content: equal documents, equal hashes; one character apart, different", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 1 }), (doc, extra) => {
        expect(contentHash(doc)).toBe(contentHash(`${doc}`));
        expect(contentHash(doc + extra)).not.toBe(contentHash(doc));
      }),
    );
  });
});
