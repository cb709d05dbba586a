// The dashboard's `/api` pass-through against the real API in-process, over the curated data.
import { join } from "node:path";
import { createApp, openSnapshot } from "@backchannel/api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildSnapshot, root } from "../scripts/stack.mjs";
import { handle } from "./hooks.server";

let snapshot: ReturnType<typeof openSnapshot>;

beforeAll(() => {
  snapshot = openSnapshot(buildSnapshot(join(root, "data")));
  const app = createApp(snapshot);
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => app.fetch(new Request(input, init)));
});
afterAll(() => {
  vi.unstubAllGlobals();
  snapshot.close();
});

/** A request as Kit hands it to `handle`; `/api` never reaches the pages. */
function pass(method: string, path: string): Promise<Response> {
  const url = new URL(path, "http://dashboard.test");
  const request = new Request(url, { method, body: method === "GET" || method === "HEAD" || method === "DELETE" ? null : "{}" });
  const resolve = () => {
    throw new Error("an /api request must not render a page");
  };
  return Promise.resolve(handle({ event: { url, request } as never, resolve }));
}

describe("the /api pass-through", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE"])("answers %s on an API route as the API does: 405 problem+json, Allow: GET, HEAD", async (method) => {
    const response = await pass(method, "/api/v1/events");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 405, title: "Method Not Allowed" });
  });

  it("keeps an unknown path a 404, whatever the method", async () => {
    expect((await pass("POST", "/api/v1/nowhere")).status).toBe(404);
    expect((await pass("GET", "/api/v1/nowhere")).status).toBe(404);
  });

  it("passes a GET through", async () => {
    const response = await pass("GET", "/api/v1/events?limit=1");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
  });
});
