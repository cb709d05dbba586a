// A change to data/ is rebuilt into the snapshot; a change with a problem leaves the snapshot as it was.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { rebuildOnDataChange } from "./data-watch.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const stops = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

describe("rebuildOnDataChange", { timeout: 120_000 }, () => {
  it("rebuilds the snapshot when a record changes, and keeps it when the data has a problem", async () => {
    const work = mkdtempSync(join(tmpdir(), "backchannel-data-watch-"));
    const dataDir = join(work, "data");
    cpSync(join(root, "data"), dataDir, { recursive: true });
    const snapshot = join(work, "snapshot.sqlite");
    const checksum = () => readFileSync(`${snapshot}.sha256`, "utf8");
    expect(spawnSync(process.execPath, [join(root, "packages/dataset/dist/cli.js"), "snapshot", dataDir, snapshot]).status).toBe(0);
    const first = checksum();

    // Resolves at the next build that exits with `code` (a stray event may add an "up to date" build).
    const waiting = [];
    const buildExiting = (code) => new Promise((resolve) => waiting.push({ code, resolve }));
    const onBuilt = (code) => waiting.splice(0).forEach((waiter) => (waiter.code === code ? waiter.resolve() : waiting.push(waiter)));
    stops.push(rebuildOnDataChange({ root, dataDir, snapshot, stdio: "ignore", debounceMs: 100, onBuilt }));

    // An edited record, as the curator's review writes it.
    const record = join(dataDir, "events", readdirSync(join(dataDir, "events"))[0]);
    const rebuilt = buildExiting(0);
    writeFileSync(record, readFileSync(record, "utf8").replace(/^title: (.*)$/m, "title: $1 (edited)"));
    await rebuilt;
    const second = checksum();
    expect(second).not.toBe(first);

    // A record with a problem: the build refuses the data, the snapshot stays.
    const refused = buildExiting(1);
    writeFileSync(join(dataDir, "events", "zz-broken.yaml"), "id: zz-broken\n");
    await refused;
    expect(checksum()).toBe(second);
  });
});
