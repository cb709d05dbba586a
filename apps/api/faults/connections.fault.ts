// 2. Idle connections: bounded in number and in time, and they lock no one out.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDLE_SOCKET_TIMEOUT_MS } from "../src/main.js";
import { curatedSnapshot, sleep, startApi, stop, type Started } from "./harness.js";

let snapshot: string;
beforeAll(async () => {
  snapshot = await curatedSnapshot();
});

/** Opens `count` TCP connections that send nothing (a batch at a time, as a client's file limit allows). */
async function openIdle(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let opened = 0; opened < count; opened += 500) {
    const batch = Array.from({ length: Math.min(500, count - opened) }, () => {
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => {});
      sockets.push(socket);
      return new Promise<void>((connected) => {
        socket.once("connect", () => connected());
        socket.once("close", () => connected());
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

const openCount = (sockets: Socket[]) => sockets.filter((socket) => !socket.destroyed && socket.readyState === "open").length;

async function timedGet(url: string) {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

describe("idle connections", () => {
  let api: Started;
  afterAll(() => api && stop(api));

  it("with 5,000 idle sockets open, a normal request is answered within 1 s; the idle ones are closed after the idle timeout", async () => {
    api = await startApi(snapshot);
    const sockets = await openIdle(api.port, 5_000);
    expect(openCount(sockets)).toBe(5_000);
    const answer = await timedGet(`${api.base}/api/v1/events?limit=50`);
    console.log(`with 5,000 idle sockets: /events?limit=50 answered ${answer.status} in ${answer.ms.toFixed(0)} ms`);
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(1_000);
    // The server, not the client, ends them once they have been idle long enough (plus slack for a busy machine).
    await sleep(IDLE_SOCKET_TIMEOUT_MS + 3_000);
    expect(openCount(sockets)).toBe(0);
    sockets.forEach((socket) => socket.destroy());
    await stop(api);
  });

  it("beyond BACKCHANNEL_MAX_CONNECTIONS, new connections are closed on arrival", async () => {
    api = await startApi(snapshot, { BACKCHANNEL_MAX_CONNECTIONS: "200" });
    const sockets = await openIdle(api.port, 300);
    await sleep(500);
    const open = openCount(sockets);
    console.log(`BACKCHANNEL_MAX_CONNECTIONS=200, 300 idle sockets opened: ${open} kept open`);
    expect(open).toBe(200);
    sockets.forEach((socket) => socket.destroy());
    await sleep(200);
    expect((await timedGet(`${api.base}/api/v1/healthz`)).status).toBe(200);
    await stop(api);
  });
});
