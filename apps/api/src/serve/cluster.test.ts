import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadUntilStopped, waitFor } from "../../test/load.js";
import { fromOneVersion, twoVersions, versionOfEtag } from "../../test/versions.js";
import { findHaproxy, freePort, serverStates, startCluster, type Cluster } from "./cluster.js";

/**
 * `npm run serve:cluster` needs HAProxy from Debian. CI installs it (.ci/run); elsewhere, without
 * it, this test says loudly that it was skipped, and under CI its absence is a failure.
 */
const haproxy = findHaproxy();
if (!haproxy) console.warn("\n⚠ HAProxy is not installed: the cluster test (kill a process under load, it rejoins) was SKIPPED (apt-get install haproxy to run it)\n");

if (!haproxy && process.env.CI) {
  it("HAProxy is installed, as CI needs (.ci/run installs it)", () => expect(haproxy, "no haproxy on PATH or in /usr/sbin").toBeDefined());
}

const clusters: Cluster[] = [];
afterAll(() => Promise.all(clusters.map((cluster) => cluster.stop())));

describe.skipIf(!haproxy)("the API behind HAProxy", { timeout: 240_000 }, () => {
  it("under load: one process killed is routed around, started again it rejoins, a rebuilt snapshot reaches all; under 0.1 % failed", async () => {
    const data = twoVersions();
    data.build("a");
    const output: string[] = [];
    const cluster = await startCluster({ processes: 2, snapshot: data.path, port: await freePort(), runDir: mkdtempSync(join(tmpdir(), "backchannel-cluster-")), haproxy: haproxy!, log: (line) => output.push(line) });
    clusters.push(cluster);
    const [victim, survivor] = cluster.apis as [NonNullable<Cluster["apis"][0]>, NonNullable<Cluster["apis"][0]>];
    const states = () => serverStates(cluster.statsUrl);
    const requestsTo = async (name: string) => (await states()).get(name)!.requests;
    const paths = ["/api/v1/meta", `/api/v1/events/${data.eventId}`, "/api/v1/events?limit=100", "/api/v1/actors?limit=5", "/api/v1/healthz"];
    const check = fromOneVersion(data.versions, data.eventId);
    const load = loadUntilStopped(cluster.url, paths, { check: (path, status, body, headers) => (path.endsWith("/healthz") ? (status === 200 ? undefined : `status ${status}`) : check(path, status, body, headers)) });
    const answeredAfter = async (count: number) => {
      const before = load.answered();
      await waitFor(`${count} more answers`, () => load.answered() >= before + count);
    };
    try {
      await answeredAfter(300);
      expect(await requestsTo(victim.name)).toBeGreaterThan(0); // both take traffic

      // Killed outright, mid-load: the balancer takes it out and the survivor answers everything.
      victim.kill("SIGKILL");
      await victim.exited;
      await waitFor(`${victim.name} DOWN at the balancer`, async () => (await states()).get(victim.name)!.status.startsWith("DOWN"));
      const survivorBefore = await requestsTo(survivor.name);
      await answeredAfter(500);
      expect(await requestsTo(survivor.name)).toBeGreaterThanOrEqual(survivorBefore + 500);

      // Started again on its port: back UP, and sent requests again.
      await victim.start();
      await waitFor(`${victim.name} UP again`, async () => (await states()).get(victim.name)!.status === "UP");
      const victimBefore = await requestsTo(victim.name);
      await waitFor(`requests sent to ${victim.name} again`, async () => (await requestsTo(victim.name)) >= victimBefore + 100);

      // A rebuilt snapshot: every process switches to it while the load goes on.
      const b = data.build("b");
      for (const api of cluster.apis) {
        await waitFor(`${api.name} on the new version`, async () => versionOfEtag((await fetch(`http://127.0.0.1:${api.port}/api/v1/meta`)).headers.get("etag")) === b.datasetVersion);
      }
      await answeredAfter(300);
    } finally {
      const totals = await load.stop();
      console.log(`cluster under load: ${totals.detail}; stats ${JSON.stringify(Object.fromEntries(await states()))}`);
      expect(totals.problems).toEqual([]);
      expect(totals.failed / totals.answered).toBeLessThan(0.001);
    }
  });

  it("as serve:cluster runs it, a process that dies is started again and rejoins", async () => {
    const data = twoVersions();
    data.build("a");
    const output: string[] = [];
    const cluster = await startCluster({ processes: 1, snapshot: data.path, port: await freePort(), runDir: mkdtempSync(join(tmpdir(), "backchannel-cluster-")), haproxy: haproxy!, restart: true, log: (line) => output.push(line) });
    clusters.push(cluster);
    const [api] = cluster.apis as [NonNullable<Cluster["apis"][0]>];
    const firstPid = api.child!.pid;
    api.kill("SIGKILL");
    await waitFor("the process started again", () => api.running && api.child!.pid !== firstPid);
    await waitFor("it UP at the balancer", async () => (await serverStates(cluster.statsUrl)).get(api.name)!.status === "UP");
    expect((await fetch(`${cluster.url}/api/v1/meta`)).status).toBe(200);
    expect(output.join("\n")).toMatch(/\[cluster\] api1 exited \(SIGKILL\); starting it again in 1 s/);
  });
});
