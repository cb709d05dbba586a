// The built `backchannel` binary on the curated snapshot, for the record's commands a script uses.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildSnapshotFromDataset, loadDataset } from "@backchannel/dataset";
import { curatedSnapshot, dataDir } from "../test/harness.js";

const binary = join(dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");
const snapshot = curatedSnapshot();
const run = (...args: string[]) => spawnSync("node", [binary, ...args], { encoding: "utf8", env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot } });

describe("events --min-sources", () => {
  it("keeps the events citing at least that many sources", () => {
    const all = JSON.parse(run("events", "--format", "json").stdout) as { id: string; sourcing: { sources: number } }[];
    const kept = JSON.parse(run("events", "--min-sources", "2", "--format", "json").stdout) as { id: string }[];
    expect(kept.map((event) => event.id)).toEqual(all.filter((event) => event.sourcing.sources >= 2).map((event) => event.id));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
  });

  it("refuses a value that is not a count, naming the parameter", () => {
    const result = run("events", "--min-sources", "many");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/minSources/);
  });
});

describe("posts", () => {
  it("lists every office with its holders, and who held one on a day", () => {
    const all = run("posts", "--format", "json");
    expect(all.status).toBe(0);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(20);
    const table = run("posts", "--q", "Supreme National Security", "--on", "2024-05-01").stdout.trimEnd().split("\n");
    expect(table[0]).toMatch(/^id\s+office\s+held by$/);
    expect(table).toHaveLength(2);
    expect(table[1]).toContain("Ali Akbar Ahmadian (May 2023 – Aug 2025)");
    expect(table[1]).not.toContain("Larijani");
  });

  it("shows one office as JSON, and names a bad day", () => {
    const post = JSON.parse(run("show", "post", "secretary-of-iran-supreme-national-security-council").stdout) as { holders: { actor: string }[] };
    expect(post.holders.map((holder) => holder.actor)).toEqual(["ali-larijani", "ali-akbar-ahmadian"]);
    const bad = run("posts", "--on", "1 May 2024");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/on: .*YYYY-MM-DD|on:/);
  });
});

describe("vocabularies in tables", () => {
  it("the table shows labels, JSON keeps the ids", () => {
    const table = run("events", "--type", "mediated-talks", "--format", "table").stdout.trimEnd().split("\n").slice(1);
    expect(table.length).toBeGreaterThan(0);
    for (const row of table) expect(row).toMatch(/^\S+\s+Mediated talks\s/);
    const actors = run("actors", "--kind", "government-body").stdout;
    expect(actors).toContain("Government body");
    expect(actors).not.toMatch(/\sgovernment-body\s/);
    const json = JSON.parse(run("events", "--type", "mediated-talks", "--format", "json").stdout) as { type: string }[];
    expect(json.every((event) => event.type === "mediated-talks")).toBe(true);
  });
});

describe("changes", () => {
  // Two versions in one file: the record without its latest event and with one actor described
  // otherwise, then the record as curated. The second build carries the first's log.
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) throw new Error("the curated dataset does not load");
  const now = loaded.dataset;
  const earlier = structuredClone(now);
  const added = earlier.events.pop()!;
  earlier.actors[0] = { ...earlier.actors[0]!, description: "described otherwise" };
  const file = join(mkdtempSync(join(tmpdir(), "backchannel-changes-")), "snapshot.sqlite");
  buildSnapshotFromDataset(earlier, file);
  buildSnapshotFromDataset(now, file);
  const changes = (...args: string[]) => spawnSync("node", [binary, "changes", ...args], { encoding: "utf8", env: { ...process.env, BACKCHANNEL_SNAPSHOT: file } });

  it("lists what the latest version added and changed, with full ids and the fields that differ", () => {
    const result = changes();
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[1]).toMatch(/replacing [0-9a-f]+: 1 added, 1 changed, 0 removed$/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  Added\\s+Event\\s+${added.id}\\s`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  Changed\\s+Actor\\s+${now.actors[0]!.id}\\s.*\\(description\\)$`)));
  });

  it("as JSON is the API's change log; --since the oldest version reaches the first build", () => {
    const latest = JSON.parse(changes("--format", "json").stdout) as { oldest: { version: string }; versions: { replaces: string | null }[] };
    const all = JSON.parse(changes("--since", latest.oldest.version, "--format", "json").stdout) as { versions: { version: string }[] };
    expect(all.versions).toHaveLength(1);
    expect(latest.versions[0]!.replaces).toBe(latest.oldest.version);
  });

  it("names a version the log does not hold, and exits 1", () => {
    const result = changes("--since", "0123456789abcdef");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/0123456789abcdef is not in the change log/);
  });
});
