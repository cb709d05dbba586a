import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSnapshot } from "@backchannel/dataset";
import { generateSynthetic } from "../src/bench/generate.js";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
export const apiMain = join(root, "apps/api/dist/main.js");
export const webMain = join(root, "apps/web/build/index.js");
export const datasetCli = join(root, "packages/dataset/dist/cli.js");
const work = join(root, ".faults");

/** Events in the synthetic dataset: enough that a CSV export of it runs for seconds here. */
export const SYNTHETIC = { events: 50_000, actors: 2_000, sources: 1_000, places: 500 };

export const scratch = () => mkdtempSync(join(tmpdir(), "backchannel-faults-"));

/** A fresh snapshot of the curated data. */
export async function curatedSnapshot(): Promise<string> {
  const file = join(scratch(), "curated.sqlite");
  const built = await buildSnapshot(join(root, "data"), file);
  if (!built.ok) throw new Error("the curated data does not build");
  return file;
}

/** The synthetic NDJSON data (kept in .faults/ between runs) and a snapshot of it. */
export async function syntheticSnapshot(): Promise<{ data: string; snapshot: string }> {
  const data = join(work, `synthetic-${SYNTHETIC.events}`);
  if (!existsSync(join(data, "events.ndjson"))) await generateSynthetic(data, SYNTHETIC);
  mkdirSync(work, { recursive: true });
  const snapshot = join(work, `synthetic-${SYNTHETIC.events}.sqlite`);
  if (!existsSync(snapshot)) {
    const built = await buildSnapshot(data, snapshot);
    if (!built.ok) throw new Error("the synthetic data does not build");
  }
  return { data, snapshot };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

export interface Started {
  child: ChildProcess;
  port: number;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  rssMb: () => number;
}

/** Starts a Node server and waits until `ready` appears in its output (or it exits). */
export async function startServer(main: string, env: Record<string, string>, ready: RegExp, port?: number): Promise<Started> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: String(chosen), WEB_PORT: String(chosen), WEB_HOST: "127.0.0.1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      text += chunk.toString();
      if (ready.test(text)) resolve();
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    void exited.then(({ code }) => reject(new Error(`${main} exited with ${code} before it was ready:\n${text}`)));
  });
  return {
    child,
    port: chosen,
    base: `http://127.0.0.1:${chosen}`,
    output: () => text,
    exited,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024,
  };
}

export const startApi = (snapshot: string, env: Record<string, string> = {}) =>
  startServer(apiMain, { BACKCHANNEL_SNAPSHOT: snapshot, ...env }, /Backchannel API on/);

export const startWeb = (apiUrl: string, env: Record<string, string> = {}) =>
  startServer(webMain, { BACKCHANNEL_API_URL: apiUrl, ...env }, /Listening on/);

export function stop(started: Started): Promise<unknown> {
  if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill("SIGKILL");
  return started.exited;
}

export const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
