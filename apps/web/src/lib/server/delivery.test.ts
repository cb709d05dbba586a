import { brotliDecompressSync, gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnswerCache, deliverFresh } from "./delivery";

const page = (text: string) => new Response(text, { headers: { "content-type": "text/html; charset=utf-8" } });
const get = (headers: Record<string, string> = {}) => new Request("http://dashboard.test/x", { headers });

describe("the kept pages", () => {
  it("answer each coding from one rendering, with an ETag per coding and 304 on a repeat", async () => {
    const cache = new AnswerCache(1024 * 1024);
    const html = `<!doctype html><p>${"Muscat talks ".repeat(400)}</p>`;
    const entry = await cache.store("k", page(html));
    const br = cache.deliver(get({ "accept-encoding": "br" }), "k", entry);
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())).toString()).toBe(html);
    const gzip = cache.deliver(get({ "accept-encoding": "gzip" }), "k", entry);
    expect(gunzipSync(new Uint8Array(await gzip.arrayBuffer())).toString()).toBe(html);
    const identity = cache.deliver(get(), "k", entry);
    expect(await identity.text()).toBe(html);
    expect(new Set([br, gzip, identity].map((r) => r.headers.get("etag"))).size).toBe(3);
    expect(cache.deliver(get({ "accept-encoding": "br", "if-none-match": br.headers.get("etag")! }), "k", entry).status).toBe(304);
    expect(cache.deliver(get({ "accept-encoding": "gzip", "if-none-match": br.headers.get("etag")! }), "k", entry).status).toBe(200);
  });

  it("send a page under 1 KB as it is", async () => {
    const cache = new AnswerCache(1024 * 1024);
    const small = cache.deliver(get({ "accept-encoding": "br" }), "k", await cache.store("k", page("<p>short</p>")));
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(await small.text()).toBe("<p>short</p>");
  });

  it("stay within their byte bound (bodies, compressed copies, keys and headers), however many pages are asked", async () => {
    const bound = 64 * 1024;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ path: fc.string({ maxLength: 200 }), size: fc.integer({ min: 0, max: 20_000 }), coding: fc.constantFrom("br", "gzip", "identity") }), { minLength: 1, maxLength: 60 }), async (visits) => {
        const cache = new AnswerCache(bound);
        for (const [i, visit] of visits.entries()) {
          const key = `v1\u0000system\u0000/${i}/${visit.path}`;
          const entry = await cache.store(key, page("x".repeat(visit.size)));
          const answer = cache.deliver(get({ "accept-encoding": visit.coding }), key, entry);
          // Past the bound an answer is still given, only not kept.
          expect(answer.status).toBe(200);
          expect(cache.entries.calculatedSize).toBeLessThanOrEqual(bound);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("count the key as well as the body: many tiny pages under long keys still fill the bound", async () => {
    const cache = new AnswerCache(16 * 1024);
    for (let i = 0; i < 500; i++) await cache.store(`${"k".repeat(2000)}${i}`, page(""));
    expect(cache.entries.size).toBeLessThan(10);
  });
});

describe("answers passed through", () => {
  it("stream compressed, and their ETag names the coding", async () => {
    const csv = "id,title\r\n" + "a,Muscat talks\r\n".repeat(500);
    const answer = deliverFresh(get({ "accept-encoding": "gzip" }), new Response(csv, { headers: { "content-type": "text/csv", etag: '"v1-csv"' } }));
    expect(answer.headers.get("content-encoding")).toBe("gzip");
    expect(answer.headers.get("etag")).toBe('"v1-csv-gzip"');
    expect(gunzipSync(new Uint8Array(await answer.arrayBuffer())).toString()).toBe(csv);
    const repeat = deliverFresh(get({ "accept-encoding": "gzip", "if-none-match": '"v1-csv-gzip"' }), new Response(csv, { headers: { "content-type": "text/csv", etag: '"v1-csv"' } }));
    expect(repeat.status).toBe(304);
  });
});
