import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validRecords, writeDataset } from "../../test/fixture-dataset.js";
import { main } from "../cli.js";
import { buildSnapshot } from "./build.js";
import { checksumPath, snapshotDamage, snapshotDamageAsync, whyRebuild } from "./verify.js";

const scratch = () => mkdtempSync(join(tmpdir(), "backchannel-verify-"));

async function built() {
  const data = writeDataset(validRecords());
  const snapshot = join(scratch(), "snapshot.sqlite");
  expect((await buildSnapshot(data, snapshot)).ok).toBe(true);
  return { data, snapshot };
}

/** Overwrites `bytes` in the middle of a file, as a failing disk or a stray write would. */
function corruptMiddle(file: string, bytes: number) {
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(bytes, 0x5a), 0, bytes, Math.floor(statSync(file).size / 2 - bytes / 2));
  closeSync(fd);
}

describe("a snapshot is verified", { timeout: 60_000 }, () => {
  it("whole as built: its checksum is written beside it, in sha256sum format", async () => {
    const { snapshot } = await built();
    expect(readFileSync(checksumPath(snapshot), "utf8")).toMatch(/^[0-9a-f]{64} {2}snapshot\.sqlite\n$/);
    expect(snapshotDamage(snapshot)).toBeUndefined();
  });

  it("damaged in the middle, truncated, or without its checksum: refused with the reason", async () => {
    const { snapshot } = await built();
    const original = readFileSync(snapshot);
    corruptMiddle(snapshot, 4096);
    expect(snapshotDamage(snapshot)).toMatch(/is damaged: its SHA-256 is [0-9a-f]{12}…, not the [0-9a-f]{12}… recorded when it was built/);
    writeFileSync(snapshot, original);
    truncateSync(snapshot, original.length / 2);
    expect(snapshotDamage(snapshot)).toMatch(/is damaged/);
    writeFileSync(snapshot, original);
    expect(snapshotDamage(snapshot)).toBeUndefined();
    rmSync(checksumPath(snapshot));
    expect(snapshotDamage(snapshot)).toMatch(/has no checksum file \(snapshot\.sqlite\.sha256\) beside it/);
  });

  it("without blocking (as a running server checks a new one): the same verdict as the blocking check", async () => {
    const { snapshot } = await built();
    expect(await snapshotDamageAsync(snapshot)).toBeUndefined();
    corruptMiddle(snapshot, 4096);
    expect(await snapshotDamageAsync(snapshot)).toBe(snapshotDamage(snapshot));
    expect(await snapshotDamageAsync(snapshot)).toMatch(/is damaged: its SHA-256/);
    rmSync(checksumPath(snapshot));
    expect(await snapshotDamageAsync(snapshot)).toMatch(/has no checksum file/);
  });
});

describe("freshness is judged by content, not by modification time", { timeout: 60_000 }, () => {
  it("a snapshot is current until the data's content changes, however old its file", async () => {
    const { data, snapshot } = await built();
    expect(whyRebuild(snapshot, data)).toBeUndefined();
    const oman = join(data, "places", "oman.yaml");
    // Touched data (an editor's save, a checkout) is not changed data; an old snapshot is not a stale one.
    utimesSync(oman, new Date(), new Date(Date.now() + 60_000));
    utimesSync(snapshot, new Date(0), new Date(0));
    expect(whyRebuild(snapshot, data)).toBeUndefined();
    writeFileSync(oman, readFileSync(oman, "utf8").replace("Oman", "Sultanate of Oman"));
    expect(whyRebuild(snapshot, data)).toMatch(/has changed since .* was built/);
  });

  it("a damaged snapshot newer than the data is rebuilt by `snapshot --if-stale`", async () => {
    const { data, snapshot } = await built();
    truncateSync(snapshot, statSync(snapshot).size - 4096); // a half-written file, newer than everything
    const out: string[] = [];
    expect(await main(["snapshot", data, snapshot, "--if-stale"], (line) => out.push(line), (line) => out.push(line))).toBe(0);
    expect(out[0]).toMatch(/^rebuilding the snapshot: .* is damaged/);
    expect(snapshotDamage(snapshot)).toBeUndefined();
    const again: string[] = [];
    await main(["snapshot", data, snapshot, "--if-stale"], (line) => again.push(line));
    expect(again).toEqual([`snapshot ${snapshot} is up to date`]);
  });
});

describe("temporary files", { timeout: 60_000 }, () => {
  it("left by a build that was killed outright are removed by the next build; a running build's are kept", async () => {
    const dir = scratch();
    const snapshot = join(dir, "snapshot.sqlite");
    // A process id that has certainly ended: a child that has already exited.
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    const stale = [`snapshot.sqlite.${gone}.tmp`, `snapshot.sqlite.${gone}.tmp-journal`, `snapshot.sqlite.${gone}.tmp.sha256`];
    const running = `snapshot.sqlite.${process.ppid}.tmp`;
    for (const name of [...stale, running]) writeFileSync(join(dir, name), "half a snapshot");
    expect((await buildSnapshot(writeDataset(validRecords()), snapshot)).ok).toBe(true);
    expect(stale.filter((name) => existsSync(join(dir, name)))).toEqual([]);
    expect(existsSync(join(dir, running))).toBe(true);
  });
});
