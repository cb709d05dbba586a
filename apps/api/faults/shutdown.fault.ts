// 6. Graceful shutdown under load: SIGTERM stops accepting, finishes what started, and exits 0.
import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { curatedSnapshot, sleep, startApi, startWeb, stop, syntheticSnapshot, type Started } from "./harness.js";

/**
 * How a request ended: answered in full; cut off after its answer began (never acceptable); or
 * not answered at all (refused or reset), acceptable only for a request sent after the signal.
 */
type Outcome = "answered" | "truncated" | "refused" | "unanswered";

/** One GET over a fresh connection. */
function get(port: number, path: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent: false }, (response) => {
      response.on("data", () => {});
      response.on("end", () => resolve(response.complete && response.statusCode! < 500 ? "answered" : "truncated"));
      response.on("error", () => resolve("truncated"));
      response.on("aborted", () => resolve("truncated"));
    });
    // Refused: the server had stopped listening and never saw it. Reset: it had been accepted.
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED" ? "refused" : "unanswered"));
  });
}

/** Keeps `workers` loops of requests going until the server exits; sends SIGTERM after `after` ms. */
async function underLoad(server: Started, paths: string[], workers: number, after: number) {
  const counts = { answered: 0, truncated: 0, refused: 0, unansweredBeforeSignal: 0, unansweredAfterSignal: 0 };
  let signalledAt = Infinity;
  let done = false;
  void server.exited.then(() => (done = true));
  setTimeout(() => {
    signalledAt = performance.now();
    server.child.kill("SIGTERM");
  }, after);
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; !done; i++) {
        const sentAt = performance.now();
        const outcome = await get(server.port, paths[(worker + i) % paths.length]!);
        if (outcome === "refused") {
          counts.refused++;
          await sleep(20);
        } else if (outcome === "unanswered") {
          counts[sentAt < signalledAt ? "unansweredBeforeSignal" : "unansweredAfterSignal"]++;
          await sleep(20);
        } else counts[outcome]++;
      }
    }),
  );
  return counts;
}

let curated: string;
let synthetic: string;
beforeAll(async () => {
  curated = await curatedSnapshot();
  synthetic = (await syntheticSnapshot()).snapshot;
});

describe("SIGTERM under load", () => {
  it("the API finishes every request that had started, exports included, and exits 0", async () => {
    const api = await startApi(synthetic, { BACKCHANNEL_RESPONSE_CACHE: "off" });
    const paths = ["/api/v1/events?limit=50", "/api/v1/events?format=csv&type=visit", "/api/v1/actors?limit=20", "/api/v1/search?q=council", "/api/v1/timeline?bucket=year"];
    const counts = await underLoad(api, paths, 12, 1_500);
    const exit = await api.exited;
    console.log(`API: ${JSON.stringify(counts)}, exit ${JSON.stringify(exit)}\n${api.output()}`);
    expect(exit).toEqual({ code: 0, signal: null });
    // Every request the API had begun was finished: by its own count, and no answer was cut short.
    expect(api.output()).toMatch(/stopped; the \d+ requests in flight at SIGTERM all finished/);
    expect(api.output()).not.toMatch(/cut off/);
    expect(counts.truncated).toBe(0);
    // Connections still queued in the kernel, never accepted by the process, are reset when it stops
    // listening (unansweredBeforeSignal): reported in RELIABILITY.md, not a request the API had begun.
    expect(counts.answered).toBeGreaterThan(0);
  });

  it("the dashboard finishes every request that had started and exits 0", async () => {
    const api = await startApi(curated);
    const web = await startWeb(api.base);
    const paths = ["/", "/events", "/actors", "/api/v1/events?limit=5", "/search?q=Araqchi"];
    const counts = await underLoad(web, paths, 8, 2_000);
    const exit = await web.exited;
    console.log(`dashboard: ${JSON.stringify(counts)}, exit ${JSON.stringify(exit)}`);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(counts.truncated).toBe(0);
    expect(counts.answered).toBeGreaterThan(0);
    await stop(api);
  });
});
