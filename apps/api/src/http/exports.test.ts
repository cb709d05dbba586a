import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { curatedApi } from "../../test/harness.js";
import { DEFAULT_MAX_EXPORTS, EXPORT_RETRY_AFTER_SECONDS, exportGate } from "./exports.js";
import { csvResponse, EXPORT_CHUNK_CHARS, ndjsonResponse } from "./formats.js";

function* rows(count: number, failAt = Infinity) {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error("the snapshot went away");
    yield { n: i, text: `row ${i}` };
  }
}

const columns = [
  { name: "n", value: (row: { n: number }) => row.n },
  { name: "text", value: (row: { text: string }) => row.text },
];

function exportsApp(limit: number, failAt = Infinity) {
  return new Hono()
    .use("*", exportGate(limit))
    .get("/csv", (c) => csvResponse(c, rows(100_000, failAt), columns, "rows"))
    .get("/ndjson", (c) => ndjsonResponse(c, rows(100_000, failAt), "rows"))
    .get("/json", (c) => c.json({ ok: true }));
}

afterEach(() => vi.restoreAllMocks());

describe("exportGate", { timeout: 60_000 }, () => {
  it("refuses an export beyond the bound with 429 and Retry-After, and admits one again when a slot frees", async () => {
    const app = exportsApp(2);
    const running = [await app.request("/csv"), await app.request("/ndjson")];
    expect(running.map((response) => response.status)).toEqual([200, 200]);

    const refused = await app.request("/csv");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(EXPORT_RETRY_AFTER_SECONDS));
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get("content-disposition")).toBeNull();
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/2 exports are already running/);
    // JSON answers are not exports: never refused.
    expect((await app.request("/json")).status).toBe(200);

    await running[0]!.body!.cancel(); // a client that hangs up frees its slot
    const finished = await running[1]!.text(); // so does one that reads to the end
    expect(finished.split("\n").filter(Boolean)).toHaveLength(100_000);
    expect((await app.request("/csv")).status).toBe(200);
    expect((await app.request("/csv")).status).toBe(200);
  });

  it("breaks the transfer, and logs, when an export fails after its status was sent", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const server = serve({ fetch: exportsApp(4, 5_000).fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((ready) => server.once("listening", ready));
    try {
      const { port } = server.address() as AddressInfo;
      for (const format of ["csv", "ndjson"]) {
        const response = await fetch(`http://127.0.0.1:${port}/${format}`);
        expect(response.status).toBe(200);
        // A complete-looking body would resolve; a broken chunked transfer rejects.
        await expect(response.text()).rejects.toThrow();
      }
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/GET .*\/csv: the export failed after it began/), expect.any(Error));
    } finally {
      server.close();
    }
  });
});

describe("a streamed export's memory", { timeout: 60_000 }, () => {
  /** A million rows of about 100 characters, counting how many were taken and whether the source was closed. */
  function source() {
    const state = { taken: 0, closed: false };
    function* rows() {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          state.taken++;
          yield { n: i, text: `row ${i} ${"x".repeat(80)}` };
        }
      } finally {
        state.closed = true;
      }
    }
    return { state, rows: rows() };
  }
  /** A row's characters in each format, the shortest (the first) and the longest (the last). */
  const line = { ndjson: (n: number) => `${JSON.stringify({ n, text: `row ${n} ${"x".repeat(80)}` })}\n`, csv: (n: number) => `${n},row ${n} ${"x".repeat(80)}\r\n` };

  for (const format of ["ndjson", "csv"] as const) {
    it(`(${format}) takes rows only as the reader reads: bounded chunks, a bounded lead, and a hang-up closes the source`, async () => {
      const { state, rows } = source();
      const app = new Hono().use("*", exportGate(4)).get("/export", (c) => (format === "csv" ? csvResponse(c, rows, columns, "rows") : ndjsonResponse(c, rows, "rows")));
      const [shortest, longest] = [line[format](0).length, line[format](999_999).length];
      /** Rows in one chunk at most: up to the bound, and the row that crosses it. */
      const perChunk = Math.ceil(EXPORT_CHUNK_CHARS / shortest) + 1;
      const reader = (await app.request("/export")).body!.getReader();
      for (let chunk = 1; chunk <= 20; chunk++) {
        const { value } = await reader.read();
        expect(value!.byteLength).toBeLessThanOrEqual(EXPORT_CHUNK_CHARS + longest);
        // What has been read, and at most one chunk ahead (the gate's own queue): never the whole million.
        expect(state.taken).toBeLessThanOrEqual((chunk + 1) * perChunk);
      }
      await reader.cancel();
      expect(state.closed).toBe(true);
      expect(state.taken).toBeLessThan(1_000_000);
    });
  }
});

describe("HEAD on an export", () => {
  it("answers the headers GET would, and frees its slot: more HEADs than the bound leave exports admitted", async () => {
    const { app } = curatedApi();
    const url = "http://backchannel.test/api/v1/actors?format=csv";
    for (const coding of ["identity", "br"]) {
      const get = await app.fetch(new Request(url, { headers: { "Accept-Encoding": coding } }));
      await get.arrayBuffer();
      for (let i = 0; i < DEFAULT_MAX_EXPORTS + 2; i++) {
        const head = await app.fetch(new Request(url, { method: "HEAD", headers: { "Accept-Encoding": coding } }));
        expect(head.status).toBe(200);
        expect(Object.fromEntries(head.headers)).toEqual(Object.fromEntries(get.headers));
        expect(await head.text()).toBe("");
      }
    }
    const after = await app.fetch(new Request(url));
    expect(after.status).toBe(200);
    expect(await after.text()).toMatch(/^id,/);
  });
});
