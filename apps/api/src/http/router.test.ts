import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { EventsQuerySchema, IdParamSchema, NoQuerySchema } from "@backchannel/schema";
import fc from "fast-check";
import type { Context } from "hono";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { curatedApi } from "../../test/harness.js";
import { issuesOf, problem } from "./problem.js";
import { createRouter } from "./router.js";

const listRoute = createRoute({ method: "get", path: "/events", request: { query: EventsQuerySchema }, responses: { 200: { description: "the query as validated" } } });
const oneRoute = createRoute({
  method: "get",
  path: "/events/{id}",
  request: { params: IdParamSchema, query: NoQuerySchema },
  responses: { 200: { description: "the id as validated" } },
});

/** What a route's handler was given: the validated parts. */
const echo = (c: Context) => c.json({ query: c.req.valid("query" as never) ?? null, param: c.req.valid("param" as never) ?? null });

/** The same two routes through createRouter and through @hono/zod-openapi's own validators (with the hook createRouter had before). */
const ours = createRouter().openapi(listRoute, echo as never).openapi(oneRoute, echo as never);
const library = new OpenAPIHono({
  defaultHook: (result, c) => (result.success ? undefined : problem(c, 400, "the request's parameters are invalid", issuesOf(result.error as z.ZodError))),
})
  .openapi(listRoute, echo as never)
  .openapi(oneRoute, echo as never);

const names = [...Object.keys(EventsQuerySchema.shape), "unknown", "limit[]", "__proto__", "constructor"];
const values = fc.oneof(
  fc.constantFrom("", "0", "10", "200", "1000", "-1", "2019", "2019-05", "2019-05-12", "json", "csv", "-date", "title", "true", "us-iran-talks", "oman", "x".repeat(300)),
  fc.string({ maxLength: 12 }),
);
const queries = fc.array(fc.tuple(fc.constantFrom(...names), values), { maxLength: 6 });

describe("createRouter's validation", () => {
  it("answers every query and path exactly as @hono/zod-openapi's validators do (status, body)", async () => {
    await fc.assert(
      fc.asyncProperty(queries, fc.option(fc.oneof(fc.constantFrom("evt-2019-talks", "oman", "UPPER", "a_b"), fc.string({ maxLength: 8 })), { nil: undefined }), async (query, id) => {
        const path = id === undefined ? "/events" : `/events/${encodeURIComponent(id)}`;
        const url = `http://x${path}?${new URLSearchParams(query).toString()}`;
        const [mine, theirs] = await Promise.all([ours.fetch(new Request(url)), library.fetch(new Request(url))]);
        expect(mine.status, url).toBe(theirs.status);
        expect(await mine.text(), url).toBe(await theirs.text());
      }),
      { numRuns: 300 },
    );
  });

  it("documents its routes as @hono/zod-openapi does", () => {
    const config = { openapi: "3.1.0", info: { title: "t", version: "1" } };
    expect(ours.getOpenAPI31Document(config)).toEqual(library.getOpenAPI31Document(config));
  });
});

describe("the app's routes", () => {
  it("fit Hono's RegExpRouter, so the app does not fall back to the slower TrieRouter", () => {
    const { app } = curatedApi();
    const router = new RegExpRouter<unknown>();
    for (const route of app.routes) router.add(route.method, route.path, route.handler);
    expect(() => router.match("GET", "/api/v1/events")).not.toThrow();
  });
});
