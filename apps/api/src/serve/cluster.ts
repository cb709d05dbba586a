import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository (from src/serve or dist/serve alike). */
const root = join(here, "../../../..");
/** The built API's entry point: the cluster runs what `npm run api` runs. */
export const API_MAIN = join(root, "apps/api/dist/main.js");
/** The balancer's configuration, less the backends: those are generated per run. */
export const HAPROXY_CONFIG = join(root, "deploy/haproxy/haproxy.cfg");

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** HAProxy's binary: BACKCHANNEL_HAPROXY if it names one, else `haproxy` on PATH or in Debian's /usr/sbin. */
export function findHaproxy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BACKCHANNEL_HAPROXY) return executable(env.BACKCHANNEL_HAPROXY) ? env.BACKCHANNEL_HAPROXY : undefined;
  const folders = [...(env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin"].filter(Boolean);
  return folders.map((folder) => join(folder, "haproxy")).find(executable);
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, host, listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** The `backend api` section for API processes on this host: the part of the balancer's config that changes with the ports. */
export function backendsConfig(servers: { name: string; port: number }[]): string {
  return ["# Generated for this run of the cluster: the API processes on this host.", "backend api", ...servers.map(({ name, port }) => `  server ${name} 127.0.0.1:${port}`), ""].join("\n");
}

export interface ServerState {
  /** HAProxy's word: UP, DOWN, "UP 1/2" while rising, MAINT… */
  status: string;
  /** Requests it has been sent since the balancer started. */
  requests: number;
}

/** Each API process's state as the balancer sees it, from its stats page in CSV. */
export async function serverStates(statsUrl: string): Promise<Map<string, ServerState>> {
  const text = await (await fetch(`${statsUrl};csv`, { signal: AbortSignal.timeout(5_000) })).text();
  const [header, ...rows] = text.trim().split("\n");
  const columns = header!.replace(/^# /, "").split(",");
  const at = (name: string) => columns.indexOf(name);
  const states = new Map<string, ServerState>();
  for (const row of rows) {
    const cells = row.split(",");
    if (cells[at("pxname")] !== "api" || ["FRONTEND", "BACKEND"].includes(cells[at("svname")]!)) continue;
    states.set(cells[at("svname")]!, { status: cells[at("status")]!, requests: Number(cells[at("stot")]) });
  }
  return states;
}

type Log = (line: string) => void;

/** Prefixes each line a child writes, so that the processes' output can be told apart. */
function relay(child: ChildProcess, prefix: string, log: Log, onText?: (text: string) => void) {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString();
      onText?.(text);
      const lines = text.split("\n");
      partial = lines.pop()!;
      for (const line of lines) if (line.trim()) log(`${prefix} ${line}`);
    });
  }
}

/** One API process on a loopback port: started, stopped and started again on the same port. */
export class ApiProcess {
  child: ChildProcess | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: 0, signal: null });

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string | undefined>,
    private readonly log: Log,
  ) {}

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts it and resolves once it listens; rejects if it exits first. */
  start(): Promise<void> {
    const child = spawn(process.execPath, [API_MAIN], { env: { ...this.env, PORT: String(this.port), HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    return new Promise((resolve, reject) => {
      relay(child, `[${this.name}]`, this.log, (text) => /Backchannel API on /.test(text) && resolve());
      void this.exited.then(({ code, signal }) => reject(new Error(`${this.name} exited (${signal ?? code}) before it listened`)));
    });
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child!.kill(signal);
  }
}

export interface ClusterOptions {
  processes: number;
  snapshot: string;
  /** The balancer's address. */
  host?: string;
  port: number;
  /** Where the generated backends file goes. */
  runDir: string;
  haproxy: string;
  /** Starts an API process again when it dies (the CLI does; a test that kills one on purpose does not). */
  restart?: boolean;
  /** The API processes' environment (BACKCHANNEL_* settings). */
  env?: NodeJS.ProcessEnv;
  log?: Log;
}

export interface Cluster {
  url: string;
  statsUrl: string;
  apis: ApiProcess[];
  /** Resolves when the balancer exits (it should not, until stop). */
  balancerExited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGHUP to every API process: each reloads the snapshot. */
  reload(): void;
  /** Stops the balancer, then the API processes (each finishes its requests in flight). */
  stop(): Promise<void>;
}

/**
 * N API processes on loopback ports over one snapshot, behind HAProxy: the balancer checks
 * /api/v1/healthz on each, keeps connections to them alive, routes around one that stops answering
 * and takes it back when it answers again. Resolves once every process is UP at the balancer.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? ((line) => console.log(line));
  const host = options.host ?? "127.0.0.1";
  const env = { ...(options.env ?? process.env), BACKCHANNEL_SNAPSHOT: options.snapshot };
  const ports = await Promise.all(Array.from({ length: options.processes }, () => freePort()));
  const apis = ports.map((port, index) => new ApiProcess(`api${index + 1}`, port, env, log));
  let stopping = false;
  try {
    await Promise.all(apis.map((api) => api.start()));
  } catch (error) {
    for (const api of apis) api.kill("SIGTERM");
    throw error;
  }
  if (options.restart) for (const api of apis) keepRunning(api, () => stopping, log);

  mkdirSync(options.runDir, { recursive: true });
  const backends = join(options.runDir, "backends.cfg");
  writeFileSync(backends, backendsConfig(apis));
  const statsPort = await freePort();
  const balancer = spawn(options.haproxy, ["-db", "-f", HAPROXY_CONFIG, "-f", backends], {
    env: { ...process.env, BACKCHANNEL_LB_BIND: `${host}:${options.port}`, BACKCHANNEL_LB_STATS_BIND: `127.0.0.1:${statsPort}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  relay(balancer, "[haproxy]", log);
  const balancerExited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => balancer.once("exit", (code, signal) => resolve({ code, signal })));
  let balancerGone = false;
  void balancerExited.then(() => (balancerGone = true));

  const stop = async () => {
    stopping = true;
    // A soft stop: no new connections, the requests in flight answered (hard-stop-after bounds it).
    if (!balancerGone) balancer.kill("SIGUSR1");
    await balancerExited;
    for (const api of apis) api.kill("SIGTERM");
    await Promise.all(apis.map((api) => api.exited));
  };
  const statsUrl = `http://127.0.0.1:${statsPort}/`;
  // Ready when the balancer sees every process UP (bounded: a broken config exits at once).
  for (let waited = 0; ; waited += 100) {
    const states = await serverStates(statsUrl).catch(() => undefined);
    if (states && apis.every((api) => states.get(api.name)?.status === "UP")) break;
    if (balancerGone || waited > 30_000) {
      await stop();
      throw new Error(balancerGone ? `HAProxy exited at start (see its output above; config ${HAPROXY_CONFIG})` : "the API processes were not all UP at the balancer after 30 s");
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return {
    url: `http://${host}:${options.port}`,
    statsUrl,
    apis,
    balancerExited,
    reload: () => apis.forEach((api) => api.kill("SIGHUP")),
    stop,
  };
}

/** Starts a process again each time it dies, after a pause that doubles while it keeps dying young (1 s up to 30 s). */
function keepRunning(api: ApiProcess, stopping: () => boolean, log: Log) {
  let pause = 1_000;
  let startedAt = Date.now();
  const watch = () =>
    void api.exited.then(async ({ code, signal }) => {
      if (stopping()) return;
      if (Date.now() - startedAt > 30_000) pause = 1_000;
      log(`[cluster] ${api.name} exited (${signal ?? `code ${code}`}); starting it again in ${pause / 1000} s`);
      await new Promise((wake) => setTimeout(wake, pause));
      pause = Math.min(pause * 2, 30_000);
      if (stopping()) return;
      startedAt = Date.now();
      await api.start().catch((error: Error) => log(`[cluster] ${error.message}`));
      watch();
    });
  watch();
}
