// The built `backchannel` binary on the curated snapshot, for the record's commands a script uses.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { curatedSnapshot } from "../test/harness.js";

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
