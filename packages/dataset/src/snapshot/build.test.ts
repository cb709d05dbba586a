import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { validRecords, writeDataset } from "../../test/fixture-dataset.js";
import { formatProblem } from "../problems.js";
import { buildSnapshot } from "./build.js";
import { nameKeys } from "./name-keys.js";

const scratch = () => mkdtempSync(join(tmpdir(), "backchannel-snapshot-"));

function writeNdjson(records: ReturnType<typeof validRecords>): string {
  const dir = scratch();
  for (const [kind, list] of Object.entries(records)) {
    writeFileSync(join(dir, `${kind}.ndjson`), list.map((record) => JSON.stringify(record)).join("\n") + "\n");
  }
  return dir;
}

describe("snapshot build", () => {
  it("writes every record with its indexes and metadata", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    const result = await buildSnapshot(writeDataset(validRecords()), target);
    expect(result.ok && result.meta.counts).toEqual({ events: 2, actors: 5, sources: 1, places: 2, posts: 1 });
    const db = new Database(target, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM participants").get()).toEqual({ n: 4 });
    expect(db.prepare("SELECT event_count FROM actors WHERE id = 'oman'").get()).toEqual({ event_count: 2 });
    expect(db.prepare("SELECT count(*) AS n FROM search WHERE search MATCH 'muscat'").get()).toEqual({ n: 3 });
    db.close();
  });

  it("keeps no STAT4 samples of the full-text index's own tables, and keeps the other tables'", async () => {
    // With samples of search_idx, SQLite re-plans FTS5's term lookup on every query.
    const target = join(scratch(), "snapshot.sqlite");
    await buildSnapshot(writeDataset(validRecords()), target);
    const db = new Database(target, { readonly: true });
    const sampled = db.prepare("SELECT DISTINCT tbl FROM sqlite_stat4").pluck().all() as string[];
    db.close();
    expect(sampled.filter((table) => table.startsWith("search"))).toEqual([]);
    expect(sampled).toEqual(expect.arrayContaining(["events", "participants"]));
  });

  it("versions the snapshot by content: the same data gives the same version, changed data another", async () => {
    const dir = scratch();
    const first = await buildSnapshot(writeDataset(validRecords()), join(dir, "a.sqlite"));
    const second = await buildSnapshot(writeDataset(validRecords()), join(dir, "b.sqlite"));
    const changed = validRecords();
    changed.events[0]!.title = "Talks in Muscat, again";
    const third = await buildSnapshot(writeDataset(changed), join(dir, "c.sqlite"));
    expect(first.ok && second.ok && third.ok).toBe(true);
    if (!first.ok || !second.ok || !third.ok) return;
    expect(second.meta.datasetVersion).toBe(first.meta.datasetVersion);
    expect(third.meta.datasetVersion).not.toBe(first.meta.datasetVersion);
  });

  it("leaves the previous snapshot untouched, and no temporary file, when a build fails", async () => {
    const dir = scratch();
    const target = join(dir, "snapshot.sqlite");
    expect((await buildSnapshot(writeDataset(validRecords()), target)).ok).toBe(true);
    const before = readFileSync(target);
    const broken = validRecords();
    broken.events[1]!.participants = [{ actor: "nobody", role: "visitor" }];
    const result = await buildSnapshot(writeDataset(broken), target);
    expect(result.ok).toBe(false);
    expect(readFileSync(target).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["snapshot.sqlite", "snapshot.sqlite.sha256", "snapshot.sqlite.verified"]);
  });
});

describe("bulk NDJSON", () => {
  it("builds the same records from one JSON record a line", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    const result = await buildSnapshot(writeNdjson(validRecords()), target);
    expect(result.ok && result.meta.counts.events).toBe(2);
  });

  it("reports each bad line with its file, line and field, and writes nothing", async () => {
    const records = validRecords();
    records.events[0]!.status = "rumoured";
    const dir = writeNdjson(records);
    writeFileSync(join(dir, "places.ndjson"), readFileSync(join(dir, "places.ndjson"), "utf8") + "{not json\n");
    const target = join(scratch(), "snapshot.sqlite");
    const result = await buildSnapshot(dir, target);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => formatProblem(problem).replace(`${dir}/`, ""))).toEqual([
      `places.ndjson:3:1 (file) — not JSON: ${(() => { try { JSON.parse("{not json"); } catch (error) { return (error as Error).message; } })()}`,
      'events.ndjson:1:1 status — Invalid option: expected one of "occurred"|"scheduled"|"expected"|"reported-planned"|"cancelled"',
    ]);
    expect(readdirSync(join(target, ".."))).toEqual([]);
  });

  it("checks references between records", async () => {
    const records = validRecords();
    records.events[1]!.relations = [{ type: "follows", event: "2026-01-01-nowhere" }];
    records.events[0]!.places = ["atlantis"];
    const dir = writeNdjson(records);
    const result = await buildSnapshot(dir, join(scratch(), "s.sqlite"));
    expect(!result.ok && result.problems.map((problem) => formatProblem(problem).replace(`${dir}/`, ""))).toEqual([
      'events.ndjson:1:1 places[0] — unknown place "atlantis"',
      'events.ndjson:2:1 relations[0].event — unknown event "2026-01-01-nowhere"',
    ]);
  });
});

describe("name keys", () => {
  const keys = (name: string) => new Set(nameKeys(name).map((entry) => entry.key));
  const share = (a: string, b: string) => [...keys(a)].some((key) => key.startsWith("p:") && keys(b).has(key));

  it("give transliterations of one name a common sound key", () => {
    expect(share("Araqchi", "Araghchi")).toBe(true);
    expect(share("Tarik", "Tariq")).toBe(true);
    expect(share("Zarif", "Zareef")).toBe(true);
    expect(share("Larijani", "Pezeshkian")).toBe(false);
  });

  it("join the al particle so Al Busaidi, al-Busaidi and Albusaidi meet, and keep Busaidi alone", () => {
    for (const spelling of ["Al Busaidi", "al-Busaidi", "Albusaidi"]) expect(keys(spelling).has("t:albusaidi"), spelling).toBe(true);
    expect(keys("Badr bin Hamad Al Busaidi").has("t:busaidi")).toBe(true);
  });

  it("fold diacritics and keep native script exactly", () => {
    expect(keys("Türkiye").has("t:turkiye")).toBe(true);
    expect(keys("عباس عراقچی").has("t:عراقچی")).toBe(true);
  });
});
