// 7, 8 and 9. A damaged snapshot is refused; a build that is interrupted, killed or runs out of disk leaves nothing behind.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checksumPath } from "@backchannel/dataset";
import { apiMain, curatedSnapshot, datasetCli, freePort, root, scratch, sleep, syntheticSnapshot } from "./harness.js";

let curated: string;
let syntheticData: string;
beforeAll(async () => {
  curated = await curatedSnapshot();
  syntheticData = (await syntheticSnapshot()).data;
});

const leftovers = (target: string) => readdirSync(dirname(target)).filter((name) => name.startsWith(`${basename(target)}.`) && name.includes(".tmp"));

/** Starts a build of the synthetic data into `target`; resolves once its temporary file exists. */
async function buildUnderWay(target: string, shell = "") {
  const command = `${shell}exec "${process.execPath}" "${datasetCli}" snapshot "${syntheticData}" "${target}"`;
  const child = spawn("bash", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  for (let waited = 0; leftovers(target).length === 0 && child.exitCode === null && waited < 60_000; waited += 50) await sleep(50);
  return { child, exited, output: () => output };
}

describe("a corrupted snapshot", () => {
  it("with 64 KB overwritten in the middle, the API refuses to start, says why, and exits non-zero", async () => {
    const file = join(scratch(), "damaged.sqlite");
    copyFileSync(curated, file);
    copyFileSync(checksumPath(curated), checksumPath(file));
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, Math.max(0, Math.floor(statSync(file).size / 2) - 32 * 1024));
    closeSync(fd);
    const result = spawnSync(process.execPath, [apiMain], { env: { ...process.env, BACKCHANNEL_SNAPSHOT: file, PORT: String(await freePort()) }, encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/backchannel api: .*damaged\.sqlite is damaged: its SHA-256 .* Refusing to serve it: rebuild it/);
  });
});

describe("an interrupted build", () => {
  it("stopped by SIGTERM removes its temporary file and leaves the previous snapshot as it was", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    copyFileSync(curated, target);
    copyFileSync(checksumPath(curated), checksumPath(target));
    const before = readFileSync(target);
    const build = await buildUnderWay(target);
    expect(leftovers(target)).not.toEqual([]);
    build.child.kill("SIGTERM");
    expect((await build.exited).signal).toBe("SIGTERM");
    expect(leftovers(target)).toEqual([]);
    expect(readFileSync(target).equals(before)).toBe(true);
  });

  it("killed outright leaves a temporary file, which the next build removes", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    const build = await buildUnderWay(target);
    build.child.kill("SIGKILL");
    await build.exited;
    const left = leftovers(target);
    expect(left).not.toEqual([]);
    const next = spawnSync(process.execPath, [datasetCli, "snapshot", join(root, "data"), target], { encoding: "utf8" });
    expect(next.status).toBe(0);
    expect(leftovers(target)).toEqual([]);
    expect(existsSync(target)).toBe(true);
  });

  it("that runs out of disk fails with the reason, removes its temporary file and keeps the previous snapshot", async () => {
    const target = join(scratch(), "snapshot.sqlite");
    copyFileSync(curated, target);
    copyFileSync(checksumPath(curated), checksumPath(target));
    const before = readFileSync(target);
    // A file-size limit stands in for a full disk: writes past it fail as they would (EFBIG rather than ENOSPC).
    const build = await buildUnderWay(target, "ulimit -f 8192; ");
    const exit = await build.exited;
    console.log(`full disk: exit ${JSON.stringify(exit)}; ${build.output().trim().split("\n").at(-1)}`);
    expect(exit.code).toBe(1);
    expect(build.output()).toMatch(/backchannel-data snapshot: .*(disk is full|disk I\/O error|EFBIG|too large)/i);
    expect(leftovers(target)).toEqual([]);
    expect(readFileSync(target).equals(before)).toBe(true);
  });
});
