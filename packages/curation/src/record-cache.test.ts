import { loadDataset } from "@backchannel/dataset";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadRecord, recordCacheFile } from "./record-cache.js";
import { scratchData } from "../test/record.js";

describe("the validated-record cache behind `backchannel draft`", () => {
  const saved = process.env.BACKCHANNEL_CACHE;
  beforeEach(() => {
    process.env.BACKCHANNEL_CACHE = mkdtempSync(join(tmpdir(), "backchannel-cache-test-"));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.BACKCHANNEL_CACHE;
    else process.env.BACKCHANNEL_CACHE = saved;
  });

  it("gives the record data:check loads, first from the YAML, then from the cache", async () => {
    const data = scratchData();
    const loaded = loadDataset(data);
    if (!loaded.ok) throw new Error("data/ does not load");
    const first = await loadRecord(data);
    expect(first).toMatchObject({ ok: true, cached: false });
    expect(existsSync(recordCacheFile(data))).toBe(true);
    const second = await loadRecord(data);
    expect(second).toMatchObject({ ok: true, cached: true });
    if (second.ok) expect(second.dataset).toEqual(JSON.parse(JSON.stringify(loaded.dataset)));
  }, 60_000);

  it("sees every edit of a record file: the cache is keyed by content", async () => {
    const data = scratchData();
    await loadRecord(data);
    const file = join(data, "actors", "abbas-araghchi.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^name: .*$/m, "name: Abbas Araghchi (edited)"));
    const after = await loadRecord(data);
    expect(after).toMatchObject({ ok: true, cached: false });
    if (after.ok) expect(after.dataset.actors.find((actor) => actor.id === "abbas-araghchi")?.name).toBe("Abbas Araghchi (edited)");
  }, 60_000);

  it("a record that fails data:check gives its problems, and is never cached", async () => {
    const data = scratchData();
    const file = join(data, "actors", "abbas-araghchi.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^kind: .*$/m, "kind: wizard"));
    const result = await loadRecord(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join("\n")).toMatch(/abbas-araghchi\.yaml:\d+:\d+ kind/);
    expect(existsSync(recordCacheFile(data))).toBe(false);
  }, 60_000);
});
