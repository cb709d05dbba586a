import { brotliDecompressSync, gunzipSync } from "node:zlib";
import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { curatedApi } from "../../test/harness.js";
import { negotiateCoding } from "./compression.js";
import { jsonText } from "./json-text.js";
import { cachedFetch } from "./response-cache.js";
import { representations } from "./representation.js";

const { app, get, snapshot } = curatedApi();
const version = snapshot.meta.datasetVersion;
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

describe("one ETag per representation", () => {
  const PATHS = ["/api/v1/events?topic=us-iran-talks", "/api/v1/actors", "/api/v1/timeline?bucket=year"];
  const FORMATS = ["json", "csv", "ndjson"];
  const CODINGS = ["identity", "gzip", "br"];
  const request = (path: string, format: string, coding: string, headers: Record<string, string> = {}) =>
    get(`${path}${path.includes("?") ? "&" : "?"}format=${format}`, { "Accept-Encoding": coding, ...headers });

  it("gives JSON and CSV of one URL different ETags, so the JSON's tag never validates the CSV", async () => {
    const json = await get("/api/v1/events?topic=us-iran-talks");
    const csv = await get("/api/v1/events?topic=us-iran-talks", { Accept: "text/csv" });
    expect(json.headers.get("etag")).not.toBe(csv.headers.get("etag"));
    const conditional = await get("/api/v1/events?topic=us-iran-talks", { Accept: "text/csv", "If-None-Match": json.headers.get("etag")! });
    expect(conditional.status).toBe(200);
    expect(await conditional.text()).toMatch(/^id,title,/);
    const own = await get("/api/v1/events?topic=us-iran-talks", { Accept: "text/csv", "If-None-Match": csv.headers.get("etag")! });
    expect(own.status).toBe(304);
  });

  it("answers 304 exactly when If-None-Match names this representation of the URL (format and coding)", async () => {
    // An ETag validates within one URL (RFC 9110 §8.8.3): the same tag on two URLs is no conflict.
    const representation = fc.record({ format: fc.constantFrom(...FORMATS), coding: fc.constantFrom(...CODINGS) });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), representation, representation, async (path, held, asked) => {
        const heldAnswer = await request(path, held.format, held.coding);
        const heldTag = heldAnswer.headers.get("etag")!;
        const heldCoding = heldAnswer.headers.get("content-encoding") ?? "identity";
        await heldAnswer.arrayBuffer();
        expect(heldTag).toBe(`"${version}-${held.format}${heldCoding === "identity" ? "" : `-${heldCoding}`}"`);
        const unconditional = await request(path, asked.format, asked.coding);
        const askedCoding = unconditional.headers.get("content-encoding") ?? "identity";
        await unconditional.arrayBuffer();
        const answer = await request(path, asked.format, asked.coding, { "If-None-Match": heldTag });
        // The same bytes would be sent: same format, same coding chosen (a small body is never coded).
        expect(answer.status).toBe(held.format === asked.format && askedCoding === heldCoding ? 304 : 200);
        await answer.arrayBuffer();
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe("the health check", () => {
  it("is never stored nor validated: no-store, no ETag, and 200 even to If-None-Match", async () => {
    const first = await get("/api/v1/healthz");
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("etag")).toBeNull();
    for (const tag of ["*", `"${version}"`, `"${version}-json"`]) {
      const again = await get("/api/v1/healthz", { "If-None-Match": tag });
      expect(again.status, tag).toBe(200);
      expect(await again.json()).toEqual({ status: "ok" });
    }
  });
});

describe("compression", () => {
  it("negotiates brotli and gzip, and the decoded bytes are the identity bytes", async () => {
    const path = "/api/v1/events?limit=50";
    const identity = await get(path, { "Accept-Encoding": "identity" });
    expect(identity.headers.get("content-encoding")).toBeNull();
    const plain = await bytesOf(identity);
    expect(plain.byteLength).toBeGreaterThan(1024);
    const br = await get(path, { "Accept-Encoding": "gzip, deflate, br" });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("vary")).toMatch(/Accept-Encoding/);
    const brBytes = await bytesOf(br);
    expect(brBytes.byteLength).toBeLessThan(plain.byteLength / 3);
    expect(new Uint8Array(brotliDecompressSync(brBytes))).toEqual(plain);
    const gzip = await get(path, { "Accept-Encoding": "gzip" });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    expect(new Uint8Array(gunzipSync(await bytesOf(gzip)))).toEqual(plain);
    expect(new Set([identity, br, gzip].map((r) => r.headers.get("etag"))).size).toBe(3);
  }, 30_000);

  it("sends bodies under 1 KB as they are", async () => {
    const small = await get("/api/v1/meta", { "Accept-Encoding": "br, gzip" });
    const body = await bytesOf(small);
    expect(body.byteLength).toBeLessThan(1024);
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(JSON.parse(new TextDecoder().decode(body)).datasetVersion).toBe(version);
  });

  it("compresses a streamed export as it flows", async () => {
    const identity = await (await get("/api/v1/events?format=csv", { "Accept-Encoding": "identity" })).text();
    const gzip = await get("/api/v1/events?format=csv", { "Accept-Encoding": "gzip" });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    expect(gzip.headers.get("content-disposition")).toContain("events.csv");
    expect(gunzipSync(await bytesOf(gzip)).toString("utf8")).toBe(identity);
  });

  it("chooses by q-values, prefers brotli on a tie, and refuses a coding at q=0", () => {
    expect(negotiateCoding(undefined)).toBe("identity");
    expect(negotiateCoding("gzip, br")).toBe("br");
    expect(negotiateCoding("br;q=0.5, gzip")).toBe("gzip");
    expect(negotiateCoding("br;q=0, gzip;q=0")).toBe("identity");
    expect(negotiateCoding("*")).toBe("br");
    expect(negotiateCoding("*;q=0.1, br;q=0")).toBe("gzip");
    expect(negotiateCoding("deflate")).toBe("identity");
  });

  it("keeps the response cache's copies apart per coding", async () => {
    const fetch = cachedFetch(app.fetch);
    const at = (coding: string) => fetch(new Request("http://backchannel.test/api/v1/events?limit=20", { headers: { "Accept-Encoding": coding } }));
    const br = await at("br");
    await br.arrayBuffer();
    const again = await at("identity");
    expect(again.headers.get("content-encoding")).toBeNull();
    expect(JSON.parse(await again.text()).data).toHaveLength(20);
  });
});

describe("the compressed answers kept in memory", () => {
  function countingApp(maxCachedBytes: number) {
    let calls = 0;
    const { middleware, cache } = representations("v1", { maxCachedBytes });
    const app = new Hono().use("*", middleware).get("/n/:n", (c) => {
      calls += 1;
      return c.json({ n: c.req.param("n"), filler: "x".repeat(4000 + Number(c.req.param("n"))) });
    });
    const request = (n: number) => app.fetch(new Request(`http://x/n/${n}`, { headers: { "Accept-Encoding": "br" } }));
    return { cache, request, calls: () => calls };
  }

  it("are compressed once: a repeat is answered from memory without the route", async () => {
    const { request, calls } = countingApp(1024 * 1024);
    const first = await bytesOf(await request(1));
    const second = await bytesOf(await request(1));
    expect(second).toEqual(first);
    expect(calls()).toBe(1);
  });

  it("stay within their byte bound, keys and headers included, however many URLs are asked", async () => {
    const bound = 8 * 1024;
    const { cache, request, calls } = countingApp(bound);
    for (let n = 0; n < 200; n++) await (await request(n)).arrayBuffer();
    expect(cache.calculatedSize).toBeLessThanOrEqual(bound);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThan(200);
    const entry = [...cache.entries()][0]!;
    expect(cache.calculatedSize).toBeGreaterThan(entry[1].body.byteLength);
    // Evicted answers are computed again, not lost.
    await (await request(0)).arrayBuffer();
    expect(calls()).toBe(201);
  });
});

describe("answers jsonText made", () => {
  // Their headers are prepared once; any other answer's are read from it: both must give the same representation.
  const { middleware } = representations("v1", { headers: { "access-control-allow-origin": "*" } });
  // `size` + 13 bytes, in two-byte characters as far as they go (the length in bytes is not the length in characters).
  const text = (size: number) => JSON.stringify({ filler: "é".repeat(Math.floor(size / 2)) + "a".repeat(size % 2) });
  const app = new Hono()
    .use("*", middleware)
    .get("/made/:kind/:size", (c) => {
      const body = text(Number(c.req.param("size")));
      return jsonText(c, c.req.param("kind") === "bytes" ? Buffer.from(body) : body);
    })
    .get("/read/:kind/:size", (c) => c.body(text(Number(c.req.param("size"))), 200, { "content-type": "application/json" }));
  const answer = async (response: Response) => ({ status: response.status, headers: Object.fromEntries(response.headers), body: await bytesOf(response) });

  it("carry the status, headers and bytes of the same body read from its Response, whatever is asked", async () => {
    const tags = ['"v1-json"', '"v1-json-br"', 'W/"v1-json-gzip"', '"v1-csv"', "*", '"other", "v1-json"'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("text", "bytes"),
        // 1011 makes a body of exactly 1 KB: the bound of compression.
        fc.oneof(fc.constantFrom(1010, 1011), fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 0, max: 3000 })),
        fc.constantFrom("GET", "HEAD"),
        fc.option(fc.constantFrom("br", "gzip", "gzip, br", "br;q=0, gzip;q=0.5", "identity", "*", "deflate"), { nil: undefined }),
        fc.option(fc.constantFrom(...tags), { nil: undefined }),
        async (kind, size, method, acceptEncoding, ifNoneMatch) => {
          const headers: Record<string, string> = {};
          if (acceptEncoding) headers["Accept-Encoding"] = acceptEncoding;
          if (ifNoneMatch) headers["If-None-Match"] = ifNoneMatch;
          // Twice each: the second may be answered from the compressed answers kept.
          for (let round = 0; round < 2; round++) {
            const made = await answer(await app.fetch(new Request(`http://x/made/${kind}/${size}`, { method, headers })));
            const read = await answer(await app.fetch(new Request(`http://x/read/${kind}/${size}`, { method, headers })));
            expect(made, `${kind} ${size} ${method} ${acceptEncoding} ${ifNoneMatch}`).toEqual(read);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
