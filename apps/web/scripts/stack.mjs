// Starts the real product for browser tests and benchmarks: a snapshot, the built API and the
// built dashboard, each in its own process on a free port. Plain JS so `npm run bench` needs no build.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Debian's Chromium, or CHROMIUM_PATH; null when there is none. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

/** The flags our machines need: no sandbox in containers, and nothing fetched from the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Builds a snapshot of a data directory with the dataset CLI; throws with its problems. */
export function buildSnapshot(dataDir, out = join(mkdtempSync(join(tmpdir(), "backchannel-web-")), "snapshot.sqlite")) {
  const result = spawnSync("node", [join(root, "packages/dataset/dist/cli.js"), "snapshot", dataDir, out], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`snapshot of ${dataDir} failed:\n${result.stdout}${result.stderr}`);
  return out;
}

async function waitFor(url, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}):\n${output.join("")}`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within 30 s:\n${output.join("")}`);
}

function startProcess(script, env, readyUrl) {
  const output = [];
  const child = spawn("node", [join(root, script)], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk) => output.push(String(chunk)));
  child.stderr.on("data", (chunk) => output.push(String(chunk)));
  return { child, output, ready: waitFor(readyUrl, child, output) };
}

/**
 * The API over `snapshot` and the dashboard reading from it. With `apiUrl` instead, only the
 * dashboard starts, pointed there (e.g. at a port where nothing listens). `apiEnv`/`webEnv` add
 * to each process's environment (benchmarks turn caches off with them).
 */
export async function startStack({ snapshot, apiUrl, apiEnv = {}, webEnv = {} } = {}) {
  const processes = [];
  let api = apiUrl;
  if (!api) {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    processes.push(startProcess("apps/api/dist/main.js", { PORT: String(port), HOST: "127.0.0.1", BACKCHANNEL_SNAPSHOT: snapshot, ...apiEnv }, `${api}/api/v1/healthz`));
  }
  const webPort = await freePort();
  const web = `http://127.0.0.1:${webPort}`;
  processes.push(startProcess("apps/web/server.js", { WEB_PORT: String(webPort), WEB_HOST: "127.0.0.1", BACKCHANNEL_API_URL: api, ...webEnv }, `${web}/theme?set=system`));
  const stop = () => {
    for (const { child } of processes) if (child.exitCode === null) child.kill("SIGTERM");
  };
  try {
    await Promise.all(processes.map((p) => p.ready));
  } catch (error) {
    stop();
    throw error;
  }
  return { web, api, stop, logs: () => processes.map((p) => p.output.join("")).join("\n") };
}

/**
 * One page of each kind, named, for the benchmarks: the richest event (most citations among
 * those with a place), one of its actors, sources and places, and the list pages.
 */
export async function pagesOfEachKind(api, search = "Araqchi") {
  const events = await (await fetch(`${api}/api/v1/events?limit=100`)).json();
  const event = [...events.data].filter((e) => e.places.length).sort((a, b) => b.citations.length - a.citations.length)[0] ?? events.data[0];
  return [
    ["overview", "/"],
    ["events", "/events"],
    ["event", `/events/${event.id}`],
    ["actor", `/actors/${event.participants[0].actor}`],
    ["source", `/sources/${event.citations[0].source}`],
    ["place", `/places/${event.places[0]}`],
    ["map", "/map"],
    ["network", "/network"],
    ["search", `/search?q=${encodeURIComponent(search)}`],
  ];
}
