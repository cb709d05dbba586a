import { spawn, type ChildProcess } from "node:child_process";
import { get, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticApi } from "../test/harness.js";
import { waitFor } from "../test/load.js";
import { API_MAIN, freePort } from "./serve/cluster.js";

/**
 * SIGTERM (a rolling restart, `serve:cluster` stopping): the API stops taking connections, lets the
 * requests in flight finish, and exits; one that outlasts BACKCHANNEL_SHUTDOWN_TIMEOUT_MS is cut off.
 * A streamed export read by nobody is the request in flight: it cannot finish while its client is
 * not reading it, being far larger (about 9 MB) than the sockets' buffers can hold (Linux: 4 MB
 * to send, by default).
 */
const EVENTS = 10_000;
let snapshotPath: string;

beforeAll(async () => {
  const { snapshot } = await syntheticApi({ events: EVENTS, actors: 500, sources: 100, places: 50 });
  snapshotPath = snapshot.path;
  snapshot.close();
}, 120_000);

interface Api {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function startApi(shutdownMs: number): Promise<Api> {
  const port = await freePort();
  const child = spawn(process.execPath, [API_MAIN], {
    env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshotPath, PORT: String(port), HOST: "127.0.0.1", BACKCHANNEL_SHUTDOWN_TIMEOUT_MS: String(shutdownMs) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await waitFor("the API to listen", () => output.includes("Backchannel API on"), 30);
  return { child, port, output: () => output, exited };
}

/** An NDJSON export of every event, its response paused as soon as its headers arrive: in flight until resumed. */
function pausedExport(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path: "/api/v1/events?format=ndjson", agent: false }, (response) => {
      response.pause();
      resolve(response);
    }).on("error", reject);
  });
}

function readAll(response: IncomingMessage): Promise<{ text: string; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    const done = () => resolve({ text: Buffer.concat(chunks).toString("utf8"), complete: response.complete });
    response.on("end", done);
    response.on("error", done);
    response.on("aborted", done);
    response.resume();
  });
}

const running: Api[] = [];
afterAll(() => {
  for (const api of running) api.child.kill("SIGKILL");
});

describe("the API under SIGTERM", { timeout: 60_000 }, () => {
  it("stops taking connections, finishes the export in flight to its last event, then exits 0", async () => {
    const api = await startApi(20_000);
    running.push(api);
    const response = await pausedExport(api.port);
    expect(response.statusCode).toBe(200);
    api.child.kill("SIGTERM");
    await waitFor("the shutdown to begin", () => api.output().includes("SIGTERM, finishing the 1 requests in flight"), 10);
    // Still there while its export is unread, and no longer taking connections.
    await new Promise((wait) => setTimeout(wait, 300));
    expect(api.child.exitCode).toBeNull();
    await expect(fetch(`http://127.0.0.1:${api.port}/api/v1/meta`)).rejects.toThrow();
    const { text, complete } = await readAll(response);
    expect(complete).toBe(true);
    expect(text.trimEnd().split("\n")).toHaveLength(EVENTS);
    expect(await api.exited).toBe(0);
    expect(api.output()).toContain("the 1 requests in flight at SIGTERM all finished");
  });

  it("cuts off a request still in flight at the deadline, says so, and exits", async () => {
    const api = await startApi(500);
    running.push(api);
    const response = await pausedExport(api.port);
    api.child.kill("SIGTERM");
    // It exits at all only by cutting the export off: nothing reads it until after.
    expect(await api.exited).toBe(0);
    expect(api.output()).toContain("1 requests still in flight at the shutdown deadline were cut off");
    const { text, complete } = await readAll(response);
    expect(complete).toBe(false);
    expect(text.trimEnd().split("\n").length).toBeLessThan(EVENTS);
  });
});
