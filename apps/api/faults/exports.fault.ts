// 3 and 5. Concurrent exports are bounded, other requests keep moving, and every export that is admitted completes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, stop, SYNTHETIC, syntheticSnapshot, type Started } from "./harness.js";

let api: Started;
beforeAll(async () => {
  api = await startApi((await syntheticSnapshot()).snapshot, { BACKCHANNEL_MAX_EXPORTS: "4", BACKCHANNEL_RESPONSE_CACHE: "off" });
});
afterAll(() => stop(api));

describe(`exports of ${SYNTHETIC.events.toLocaleString("en")} events`, () => {
  it("a fifth concurrent export is refused with 429 and Retry-After; the four complete; pages are served meanwhile", async () => {
    const exports = await Promise.all(Array.from({ length: 4 }, () => fetch(`${api.base}/api/v1/events?format=csv`)));
    expect(exports.map((response) => response.status)).toEqual([200, 200, 200, 200]);

    const fifth = await fetch(`${api.base}/api/v1/events?format=ndjson`);
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get("retry-after"))).toBeGreaterThan(0);
    await fifth.arrayBuffer();

    let reading = true;
    const lines = Promise.all(
      exports.map(async (response) => {
        let count = 0;
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) for (const byte of chunk) if (byte === 10) count++;
        return count;
      }),
    ).finally(() => (reading = false));
    const pages: number[] = [];
    while (reading) {
      const started = performance.now();
      const page = await fetch(`${api.base}/api/v1/events?limit=50&type=visit`);
      expect(page.status).toBe(200);
      await page.arrayBuffer();
      pages.push(performance.now() - started);
    }
    const sorted = [...pages].sort((a, b) => a - b);
    console.log(`during 4 exports: ${pages.length} pages, p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(0)} ms`);
    // Every admitted export is whole: a header and one line an event.
    expect(await lines).toEqual([1, 1, 1, 1].map((header) => header + SYNTHETIC.events));
    expect(pages.length).toBeGreaterThan(0);
    // The slots are free again.
    const after = await fetch(`${api.base}/api/v1/events?format=csv&type=visit`);
    expect(after.status).toBe(200);
    await after.arrayBuffer();
  });
});
