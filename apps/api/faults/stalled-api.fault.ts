// 4. The built dashboard, with its API accepting connections and never answering.
import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWeb, stop, type Started } from "./harness.js";

const TIMEOUT_MS = 2_000;
const sockets = new Set<Socket>();
const stalled = createServer((socket) => {
  sockets.add(socket);
  socket.on("error", () => {});
});
let web: Started;

beforeAll(async () => {
  await new Promise<void>((listening) => stalled.listen(0, "127.0.0.1", listening));
  const { port } = stalled.address() as { port: number };
  web = await startWeb(`http://127.0.0.1:${port}`, { BACKCHANNEL_API_TIMEOUT_MS: String(TIMEOUT_MS) });
});
afterAll(async () => {
  await stop(web);
  sockets.forEach((socket) => socket.destroy());
  stalled.close();
});

async function timed(path: string) {
  const started = performance.now();
  const response = await fetch(`${web.base}${path}`, { signal: AbortSignal.timeout(60_000) });
  const body = await response.text();
  return { status: response.status, body, type: response.headers.get("content-type"), seconds: (performance.now() - started) / 1000 };
}

describe(`BACKCHANNEL_API_TIMEOUT_MS=${TIMEOUT_MS}`, () => {
  it("a page answers 504 with the API-unreachable page soon after the deadline", async () => {
    for (const path of ["/events", "/actors/ali-larijani"]) {
      const page = await timed(path);
      console.log(`${path}: ${page.status} after ${page.seconds.toFixed(1)} s`);
      expect(page.status).toBe(504);
      expect(page.body).toContain(`did not answer within ${TIMEOUT_MS / 1000} s`);
      // One deadline per call to the API; a page makes at most two in a row (its layout, then itself).
      expect(page.seconds).toBeLessThan((2 * TIMEOUT_MS) / 1000 + 3);
    }
  });

  it("the /api pass-through answers a 504 problem at the deadline", async () => {
    const answer = await timed("/api/v1/events?limit=5");
    console.log(`/api/v1/events: ${answer.status} after ${answer.seconds.toFixed(1)} s`);
    expect(answer.status).toBe(504);
    expect(answer.type).toBe("application/problem+json");
    expect(answer.seconds).toBeLessThan(TIMEOUT_MS / 1000 + 3);
  });
});
