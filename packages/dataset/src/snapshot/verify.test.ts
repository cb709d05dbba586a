import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validRecords, writeDataset } from "../../test/fixture-dataset.js";
import { main } from "../cli.js";
import { buildSnapshot } from "./build.js";
import { checksumPath, snapshotDamage, snapshotDamageAsync, stampPath, verifySnapshot, whyRebuild } from "./verify.js";

const scratch = () => mkdtempSync(join(tmpdir(), "backchannel-verify-"));

async function built() {
  const data = writeDataset(validRecords());
  const snapshot = join(scratch(), "snapshot.sqlite");
  expect((await buildSnapshot(data, snapshot)).ok).toBe(true);
  return { data, snapshot };
}

/** Flips every bit of `bytes` in the middle of a file, as a failing disk or a stray write would: each byte surely changes. */
function corruptMiddle(file: string, bytes: number) {
  const fd = openSync(file, "r+");
  const at = Math.floor(statSync(file).size / 2 - bytes / 2);
  const buffer = Buffer.alloc(bytes);
  readSync(fd, buffer, 0, bytes, at);
  for (let i = 0; i < bytes; i++) buffer[i] = buffer[i]! ^ 0xff;
  writeSync(fd, buffer, 0, bytes, at);
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

/** A copy of a snapshot with its checksum and stamp, as `cp` or a deploy would make it: a new file. */
function copied(snapshot: string): string {
  const copy = join(scratch(), "copy.sqlite");
  copyFileSync(snapshot, copy);
  copyFileSync(checksumPath(snapshot), checksumPath(copy));
  copyFileSync(stampPath(snapshot), stampPath(copy));
  return copy;
}

describe("an open hashes a snapshot in full once per file, and trusts its stamp after", { timeout: 60_000 }, () => {
  it("a fresh build opens without hashing: the build's own verification is recorded", async () => {
    const { snapshot } = await built();
    expect(verifySnapshot(snapshot)).toEqual({ damage: undefined, by: "stamp" });
  });

  it("a touched or copied file is hashed again, once; then its stamp is honoured", async () => {
    const { snapshot } = await built();
    utimesSync(snapshot, new Date(), new Date(Date.now() - 60_000));
    expect(verifySnapshot(snapshot)).toEqual({ damage: undefined, by: "hash" });
    expect(verifySnapshot(snapshot)).toEqual({ damage: undefined, by: "stamp" });
    const copy = copied(snapshot);
    expect(verifySnapshot(copy)).toEqual({ damage: undefined, by: "hash" });
    expect(verifySnapshot(copy)).toEqual({ damage: undefined, by: "stamp" });
  });

  it("a truncated file is refused by its header, without a hash", async () => {
    const { snapshot } = await built();
    const size = statSync(snapshot).size;
    truncateSync(snapshot, size - 4096);
    expect(verifySnapshot(snapshot)).toEqual({ damage: `${snapshot} is damaged: it is cut short, ${size - 4096} bytes of the ${size} its SQLite header describes`, by: "checks" });
    truncateSync(snapshot, 50);
    expect(verifySnapshot(snapshot).damage).toMatch(/is damaged: it is not a SQLite database/);
  });

  it("a flipped byte in a copy (a new file, its stamp copied with it) is refused by the full hash", async () => {
    const { snapshot } = await built();
    const copy = copied(snapshot);
    corruptMiddle(copy, 1);
    expect(verifySnapshot(copy).damage).toMatch(/is damaged: its SHA-256 is [0-9a-f]{12}…, not the [0-9a-f]{12}… recorded when it was built/);
    expect(verifySnapshot(copy).by).toBe("hash"); // hashed, and refused, at every open: a damaged file is never stamped
  });

  it("a stamp written for another file vouches for nothing", async () => {
    const { snapshot } = await built();
    const other = (await built()).snapshot;
    corruptMiddle(other, 4096);
    copyFileSync(stampPath(snapshot), stampPath(other));
    expect(verifySnapshot(other)).toEqual({ damage: expect.stringMatching(/is damaged: its SHA-256/), by: "hash" });
    // The other file's own stamp, once it is damaged in place, no longer matches it either.
    const third = (await built()).snapshot;
    corruptMiddle(third, 4096);
    expect(verifySnapshot(third)).toEqual({ damage: expect.stringMatching(/is damaged: its SHA-256/), by: "hash" });
  });

  it("a stamp no later than the file's last change (the same clock tick) is not trusted", async () => {
    const { snapshot } = await built();
    const before = new Date(statSync(snapshot).ctime.getTime() - 1000);
    utimesSync(stampPath(snapshot), before, before);
    expect(verifySnapshot(snapshot).by).toBe("hash");
  });

  it("a stamp for another checksum is not trusted: a rebuilt checksum means another file", async () => {
    const { snapshot } = await built();
    const stamp = JSON.parse(readFileSync(stampPath(snapshot), "utf8")) as { sha256: string };
    writeFileSync(stampPath(snapshot), JSON.stringify({ ...stamp, sha256: "0".repeat(64) }));
    expect(verifySnapshot(snapshot)).toEqual({ damage: undefined, by: "hash" });
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
