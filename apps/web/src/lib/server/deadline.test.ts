// The dashboard's deadline on the API, against a server that accepts connections and never answers.
import { createServer, type Server, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { AddressInfo } from "node:net";
import { isHttpError } from "@sveltejs/kit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handle } from "../../hooks.server";
import { load as loadEvents } from "../../routes/events/+page.server";
import { api, read } from "./api";

// The environment as the process has it now (Kit's module is filled once, before the stalled server listens).
vi.mock("$env/dynamic/private", () => ({ env: process.env }));

const TIMEOUT_MS = 400;
let stalled: Server;
const sockets = new Set<Socket>();

beforeAll(async () => {
  stalled = createServer((socket) => {
    sockets.add(socket); // read nothing, answer nothing
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((listening) => stalled.listen(0, "127.0.0.1", listening));
  process.env.BACKCHANNEL_API_URL = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
  process.env.BACKCHANNEL_API_TIMEOUT_MS = String(TIMEOUT_MS);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((closed) => stalled.close(closed));
  delete process.env.BACKCHANNEL_API_URL;
  delete process.env.BACKCHANNEL_API_TIMEOUT_MS;
});

// A full collection on demand: what a busy server does on its own sooner or later.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** Runs `work` while the garbage collector runs full collections, as it does in a busy server. */
async function underGarbageCollection<T>(work: Promise<T>): Promise<T> {
  let settled = false;
  const churn = (async () => {
    while (!settled) {
      collectGarbage();
      await new Promise((wake) => setTimeout(wake, 20));
    }
  })();
  try {
    return await work;
  } finally {
    settled = true;
    await churn;
  }
}

/** Resolves to what `pending` settled with, or "no answer" if it had not settled by `ms` (without the fix: some 300 s). */
const within = <T>(pending: Promise<T>, ms: number) =>
  Promise.race([pending.then((value) => ({ value }), (error: unknown) => ({ error })), new Promise<"no answer">((late) => setTimeout(() => late("no answer"), ms).unref())]);

/** Kit's server-side fetch, as far as a signal goes: it makes a Request of the input and init, then fetches it. */
const kitFetch: typeof fetch = (input, init) => fetch(new Request(input, init));

describe("when the API accepts and never answers", { timeout: 30_000 }, () => {
  it("a page gives up at the deadline with a 504 that says so", async () => {
    const event = { fetch: kitFetch, url: new URL("http://dashboard.test/events"), params: {}, locals: { theme: "system" }, parent: async () => ({}) };
    const outcome = await underGarbageCollection(within(loadEvents(event as never), 10_000));
    expect(outcome).not.toBe("no answer");
    const error = (outcome as { error: unknown }).error;
    expect(isHttpError(error) && error.status).toBe(504);
    expect(isHttpError(error) && error.body.message).toMatch(/did not answer within 0\.4 s/);
  });

  it("the typed client's read gives up at the deadline", async () => {
    const outcome = await underGarbageCollection(within(read(api(kitFetch).api.v1.meta.$get({ query: {} })), 10_000));
    expect(outcome).not.toBe("no answer");
    const error = (outcome as { error: unknown }).error;
    expect(isHttpError(error) && error.status).toBe(504);
  });

  it("the /api pass-through answers a 504 problem at the deadline", async () => {
    const request = new Request("http://dashboard.test/api/v1/events?limit=5");
    const event = { request, url: new URL(request.url), cookies: { get: () => undefined }, locals: {} };
    const outcome = await underGarbageCollection(within(handle({ event, resolve: () => new Response("not passed through") } as never) as Promise<Response>, 10_000));
    expect(outcome).not.toBe("no answer");
    const response = (outcome as { value: Response }).value;
    expect(response.status).toBe(504);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 504, title: "API timeout", detail: expect.stringMatching(/did not answer within 0\.4 s/) });
  });
});
