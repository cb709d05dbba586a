import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { loadUntilStopped, waitFor } from "../../test/load.js";
import { fromOneVersion, twoVersions, versionOfEtag } from "../../test/versions.js";
import { ApiProcess, freePort } from "./cluster.js";

const started: ApiProcess[] = [];
afterEach(async () => {
  for (const api of started.splice(0)) {
    api.kill("SIGKILL");
    await api.exited;
  }
});

/** Files the process holds open or mapped that have been replaced or removed since it opened them. */
function deletedFilesHeld(pid: number, path: string): string[] {
  const open = readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return ""; // closed meanwhile
    }
  });
  const mapped = readFileSync(`/proc/${pid}/maps`, "utf8").split("\n");
  return [...open, ...mapped].filter((line) => line.includes(path) && line.includes("(deleted)"));
}

describe("the API process under load while its snapshot is rebuilt", { timeout: 180_000 }, () => {
  it("answers every request, each from exactly one version; refuses a damaged file; lets go of replaced files", async () => {
    const data = twoVersions();
    const a = data.build("a");
    const output: string[] = [];
    const api = new ApiProcess("api", await freePort(), { ...process.env, BACKCHANNEL_SNAPSHOT: data.path }, (line) => output.push(line));
    started.push(api);
    await api.start();
    const base = `http://127.0.0.1:${api.port}`;
    const paths = ["/api/v1/meta", `/api/v1/events/${data.eventId}`, "/api/v1/events?limit=100", "/api/v1/actors?limit=5"];
    const answers = new Map<string, number>();
    const check = fromOneVersion(data.versions, data.eventId);
    const load = loadUntilStopped(base, paths, {
      check: (path, status, body, headers) => {
        const version = versionOfEtag(String(headers.etag ?? ""));
        if (version) answers.set(version, (answers.get(version) ?? 0) + 1);
        return check(path, status, body, headers);
      },
    });
    const servedAfter = async (version: string, count: number) => {
      const before = answers.get(version) ?? 0;
      await waitFor(`${count} answers from ${version}`, () => (answers.get(version) ?? 0) >= before + count);
    };
    const servesNow = async (version: string) => versionOfEtag((await fetch(`${base}/api/v1/meta`)).headers.get("etag")) === version;

    await servedAfter(a.datasetVersion, 200);
    // A damaged file put in place: refused, and the old version keeps answering.
    data.installDamaged("b");
    await waitFor("the damaged file to be refused", () => output.some((line) => /refused the new snapshot .* is damaged/.test(line)));
    await servedAfter(a.datasetVersion, 200);
    // A good build: new requests move to it. Then back to the first data, as a reverted edit would.
    const b = data.build("b");
    await waitFor("the new version to be served", () => servesNow(b.datasetVersion));
    await servedAfter(b.datasetVersion, 200);
    data.build("a");
    await waitFor("the reverted version to be served", () => servesNow(a.datasetVersion));
    await servedAfter(a.datasetVersion, 200);
    const totals = await load.stop();
    console.log(`swap under load: ${totals.detail}; answers by version ${JSON.stringify(Object.fromEntries(answers))}`);

    expect(totals.problems).toEqual([]);
    expect(totals.failed).toBe(0);
    expect(output.filter((line) => /now serving dataset/.test(line))).toHaveLength(2);
    // Every replaced file is closed once its requests are done: none is still held open or mapped.
    await waitFor("the replaced files to be closed", () => deletedFilesHeld(api.child!.pid!, data.path).length === 0);
  });

  it("with watching off, SIGHUP reloads: the new version is served", async () => {
    const data = twoVersions();
    const a = data.build("a");
    const api = new ApiProcess("api", await freePort(), { ...process.env, BACKCHANNEL_SNAPSHOT: data.path, BACKCHANNEL_WATCH_SNAPSHOT: "off" }, () => {});
    started.push(api);
    await api.start();
    const served = async () => versionOfEtag((await fetch(`http://127.0.0.1:${api.port}/api/v1/meta`)).headers.get("etag"));
    const b = data.build("b");
    await new Promise((wake) => setTimeout(wake, 500));
    expect(await served()).toBe(a.datasetVersion);
    api.kill("SIGHUP");
    await waitFor("the new version after SIGHUP", async () => (await served()) === b.datasetVersion);
    expect(api.running).toBe(true);
  });
});
