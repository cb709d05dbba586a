import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { getRequestListener } from "@hono/node-server";
import fc from "fast-check";
import { EVENT_SORTS } from "@backchannel/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curatedApi } from "../../test/harness.js";
import { fastLane } from "./fast-lane.js";

const { app, snapshot, dataset } = curatedApi();
let server: Server;
let base = "";
/** Requests the app itself answered: those the fast lane handed on. */
let handedOn = 0;

beforeAll(async () => {
  const listener = getRequestListener(app.fetch);
  const counted: RequestListener = (request, response) => {
    handedOn++;
    return listener(request, response);
  };
  server = createServer(fastLane(snapshot, counted));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const HEADERS = ["content-type", "content-encoding", "etag", "vary", "cache-control", "access-control-allow-origin", "access-control-expose-headers"];

/** The same request through the fast lane (over HTTP) and through the app alone: status, headers and body. */
async function both(path: string, headers: Record<string, string> = {}) {
  const lane = await fetch(`${base}${path}`, { headers });
  const direct = await app.fetch(new Request(`http://backchannel.test${path}`, { headers }));
  const view = async (response: Response, decoded: boolean) => {
    const bytes = Buffer.from(await response.arrayBuffer());
    const coding = response.headers.get("content-encoding");
    // fetch over HTTP decodes the body itself; the app's own Response is still coded.
    const body = decoded || !coding ? bytes : coding === "br" ? brotliDecompressSync(bytes) : gunzipSync(bytes);
    return { status: response.status, headers: Object.fromEntries(HEADERS.map((name) => [name, response.headers.get(name)])), body: body.toString("utf8") };
  };
  return { lane: await view(lane, true), direct: await view(direct, false) };
}

describe("the fast lane", () => {
  const actors = [...new Set(dataset.events.flatMap((event) => event.participants.map((p) => p.actor)))];
  const path = fc.oneof(
    fc
      .record(
        {
          actor: fc.constantFrom(...actors, "nobody-at-all"),
          type: fc.constantFrom("visit", "meeting", "coup"),
          from: fc.constantFrom("2019", "2025-13", "2026-02"),
          q: fc.constantFrom("Oman", "Araqchi talks", ""),
          sort: fc.constantFrom(...EVENT_SORTS, "place"),
          limit: fc.constantFrom("1", "10", "500", "501"),
          colour: fc.constant("red"),
        },
        { requiredKeys: [] },
      )
      .map((query) => `/api/v1/events?${new URLSearchParams(query as Record<string, string>)}`),
    fc.constantFrom(...dataset.events.map((event) => event.id), "no-such-event").map((id) => `/api/v1/events/${id}`),
    fc.constantFrom("Larijani", "Badr Albusaidi", "a", "").map((q) => `/api/v1/search?q=${encodeURIComponent(q)}`),
  );
  // fetch asks for gzip unless told otherwise: "identity" stands for a client that takes no coding.
  const codings = fc.constantFrom<Record<string, string>>({ "accept-encoding": "identity" }, { "accept-encoding": "gzip" }, { "accept-encoding": "br, gzip" }, { accept: "text/csv", "accept-encoding": "identity" });

  it("answers exactly as the app does: status, headers and bytes, for valid and invalid requests alike", async () => {
    await fc.assert(
      fc.asyncProperty(path, codings, async (url, headers) => {
        const { lane, direct } = await both(url, headers);
        expect(lane, url).toEqual(direct);
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  it("serves the hot JSON routes itself and hands every other request to the app", async () => {
    const served = async (path: string, headers: Record<string, string> = {}) => {
      const before = handedOn;
      await (await fetch(`${base}${path}`, { headers })).arrayBuffer();
      return handedOn === before;
    };
    expect(await served("/api/v1/events?type=visit&limit=5")).toBe(true);
    expect(await served(`/api/v1/events/${dataset.events[0]!.id}`)).toBe(true);
    expect(await served("/api/v1/search?q=Oman")).toBe(true);
    expect(await served("/api/v1/events?format=csv")).toBe(false);
    expect(await served("/api/v1/events", { "if-none-match": '"x"' })).toBe(false);
    expect(await served("/api/v1/events?limit=0")).toBe(false);
    expect(await served("/api/v1/events/no-such-event")).toBe(false);
    expect(await served("/api/v1/actors")).toBe(false);
  });
});
