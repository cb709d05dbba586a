#!/usr/bin/env node
// `npm run serve:cluster`: N API processes behind HAProxy on one address (deploy/haproxy/haproxy.cfg).
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readEnv } from "../env.js";
import { findHaproxy, startCluster } from "./cluster.js";

const USAGE = "usage: serve:cluster [--processes N]   (the balancer listens on HOST:PORT, default 127.0.0.1:8787)";

async function main(): Promise<number> {
  let values: { processes?: string; help?: boolean };
  try {
    values = parseArgs({ options: { processes: { type: "string" }, help: { type: "boolean" } } }).values;
  } catch (error) {
    console.error(`serve:cluster: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const processes = values.processes === undefined ? availableParallelism() : Number(values.processes);
  if (!Number.isInteger(processes) || processes < 1 || processes > 64) {
    console.error(`serve:cluster: --processes must be a whole number from 1 to 64, not "${values.processes}"\n${USAGE}`);
    return 2;
  }
  const haproxy = findHaproxy();
  if (!haproxy) {
    console.error(`serve:cluster needs HAProxy: apt-get install haproxy${process.env.BACKCHANNEL_HAPROXY ? ` (BACKCHANNEL_HAPROXY=${process.env.BACKCHANNEL_HAPROXY} is not an executable)` : " (or set BACKCHANNEL_HAPROXY to its binary)"}`);
    return 1;
  }
  const env = readEnv();
  const runDir = mkdtempSync(join(tmpdir(), "backchannel-cluster-"));
  // Listening from the start: a stop signal while the processes start must not orphan them.
  let stopping = false;
  let stopCluster = () => {};
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stopCluster();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const cluster = await startCluster({
    processes,
    snapshot: env.BACKCHANNEL_SNAPSHOT,
    host: env.HOST,
    port: env.PORT,
    runDir,
    haproxy,
    restart: true,
  });
  stopCluster = () =>
    void cluster.stop().then(() => {
      rmSync(runDir, { recursive: true, force: true });
      process.exit(0);
    });
  if (stopping) stopCluster();
  else console.log(`Backchannel cluster: ${processes} API processes behind HAProxy on ${cluster.url}/api/v1 (balancer stats: ${cluster.statsUrl}); SIGHUP reloads the snapshot in each`);
  process.on("SIGHUP", () => cluster.reload());
  const { code, signal } = await cluster.balancerExited;
  if (stopping) return new Promise(() => {}); // stop() exits
  console.error(`serve:cluster: HAProxy exited (${signal ?? `code ${code}`}); stopping the API processes`);
  await cluster.stop();
  rmSync(runDir, { recursive: true, force: true });
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`serve:cluster: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
