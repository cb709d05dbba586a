import { describe, expect, it } from "vitest";
import { cachedFetch } from "./response-cache.js";

function countingApp() {
  const calls: string[] = [];
  const fetch = (request: Request) => {
    calls.push(`${request.url} ${request.headers.get("Accept") ?? ""}`);
    const csv = request.headers.get("Accept") === "text/csv";
    return new Response(csv ? "a,b\r\n" : JSON.stringify({ n: calls.length }), {
      headers: { "content-type": csv ? "text/csv" : "application/json", etag: '"v1"' },
    });
  };
  return { calls, fetch: cachedFetch(fetch) };
}

describe("cachedFetch", () => {
  it("answers a repeated JSON request from memory with the same bytes and headers", async () => {
    const { calls, fetch } = countingApp();
    const first = await fetch(new Request("http://x/api/v1/events?limit=1"));
    const second = await fetch(new Request("http://x/api/v1/events?limit=1"));
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("etag")).toBe('"v1"');
    expect(calls).toHaveLength(1);
  });

  it("keeps representations apart and never caches exports or conditional requests", async () => {
    const { calls, fetch } = countingApp();
    await fetch(new Request("http://x/a", { headers: { Accept: "text/csv" } }));
    await fetch(new Request("http://x/a", { headers: { Accept: "text/csv" } }));
    await fetch(new Request("http://x/a"));
    await fetch(new Request("http://x/a", { headers: { "If-None-Match": '"v1"' } }));
    expect(calls).toHaveLength(4);
  });

  it("counts each URL's key and overhead against the cap, so many distinct small answers evict the oldest", async () => {
    const calls: string[] = [];
    const cap = 1024 * 1024;
    const fetch = cachedFetch((request) => {
      calls.push(request.url);
      return new Response("{}", { headers: { "content-type": "application/json" } });
    }, cap);
    // Each key is about 8 KB in memory for a 2-byte body: 1,000 of them are far beyond 1 MB.
    const url = (i: number) => `http://x/api/v1/healthz?x=${String(i).padStart(4096, "0")}`;
    for (let i = 0; i < 1000; i++) await fetch(new Request(url(i)));
    await fetch(new Request(url(0)));
    expect(calls).toHaveLength(1001);
    await fetch(new Request(url(999)));
    expect(calls).toHaveLength(1001);
  });
});
