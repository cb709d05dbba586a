// 1. The response cache's cap holds against a stream of distinct URLs.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curatedSnapshot, sleep, startApi, stop, type Started } from "./harness.js";

const CAP_MB = 64;
/**
 * Distinct URLs sent. 25,000 with 6 KB queries hold about 300 MB of keys if nothing bounds them
 * (the 100,000 shorter ones about the same): FAULTS_URLS=100000 runs the full count.
 */
const URLS = Number(process.env.FAULTS_URLS ?? 25_000);
const QUERY_BYTES = 6000;
let api: Started;

beforeAll(async () => {
  api = await startApi(await curatedSnapshot());
});
afterAll(() => stop(api));

describe(`the response cache under ${URLS.toLocaleString("en")} distinct URLs`, () => {
  it("keeps the process within the cache's cap plus 100 MB", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: "127.0.0.1", port: api.port, path, agent }, (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode!));
        }).on("error", reject);
      });
    for (let i = 0; i < 200; i++) await get(`/api/v1/events?limit=50`);
    const before = api.rssMb();
    // Health checks with long random queries and searches that match nothing: small answers, long keys.
    const padding = "x".repeat(QUERY_BYTES);
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < URLS) {
          const i = next++;
          const path = i % 4 ? `/api/v1/healthz?x=${i},${padding}` : `/api/v1/search?q=zq${i}${padding.slice(0, 180)}`;
          const status = await get(path);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    await sleep(500);
    const after = api.rssMb();
    agent.destroy();
    console.log(`RSS before ${before.toFixed(0)} MB, after ${URLS} distinct URLs ${after.toFixed(0)} MB (growth ${(after - before).toFixed(0)} MB; bound ${CAP_MB + 100} MB)`);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    expect(after - before).toBeLessThan(CAP_MB + 100);
  });
});
