import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemSchema } from "@backchannel/schema";
import type { Context, Handler } from "hono";
import { issuesOf, problem } from "./problem.js";

/** A failed validation: 400, problem+json, every issue. */
const invalid = (c: Context, error: z.ZodError) => problem(c, 400, "the request's parameters are invalid", issuesOf(error));

/** The query as Hono's validator gives it to the schema: one value a name, an array for a repeated name. */
function queryOf(c: Context): Record<string, string | string[]> {
  const queries = c.req.queries();
  const query: Record<string, string | string[]> = {};
  for (const name of Object.keys(queries)) {
    const values = queries[name]!;
    const value = values.length === 1 ? values[0]! : values;
    // Defined, not assigned: a parameter named __proto__ is a parameter, not the object's prototype.
    if (name === "__proto__") Object.defineProperty(query, name, { value, enumerable: true, writable: true, configurable: true });
    else query[name] = value;
  }
  return query;
}

/**
 * Every router answers a failed validation the same way: 400, problem+json, every issue.
 *
 * Its `openapi()` documents a route as @hono/zod-openapi does, and validates the query and the
 * path parameters in one synchronous step before the handler (in that order, as the library's
 * validators would), instead of one asynchronous middleware per part with `safeParseAsync`: the
 * same results for schemas without asynchronous checks (ours have none), for a fraction of the
 * cost per request. A route with another part to validate (headers, cookies, a body) or a hook
 * of its own is left to the library.
 */
export function createRouter() {
  const router = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return invalid(c, result.error as z.ZodError);
      return undefined;
    },
  });
  const libraryOpenapi = router.openapi;
  router.openapi = ((config: Parameters<typeof libraryOpenapi>[0], handler: Handler, hook?: unknown) => {
    const { middleware, hide, ...route } = config;
    const { query, params, ...others } = route.request ?? {};
    if (hook !== undefined || Object.values(others).some((part) => part !== undefined)) return libraryOpenapi(config, handler as never, hook as never);
    if (!hide) router.openAPIRegistry.registerPath(route);
    const validated: Handler = (c, next) => {
      if (query) {
        const result = (query as z.ZodType).safeParse(queryOf(c));
        if (!result.success) return invalid(c, result.error);
        c.req.addValidatedData("query", result.data as Record<string, unknown>);
      }
      if (params) {
        const result = (params as z.ZodType).safeParse(c.req.param());
        if (!result.success) return invalid(c, result.error);
        c.req.addValidatedData("param", result.data as Record<string, unknown>);
      }
      return handler(c, next);
    };
    // Documented above: the library only routes it (no request parts left for it to validate).
    return libraryOpenapi({ ...route, request: undefined, hide: true, ...(middleware ? { middleware } : {}) } as never, validated as never);
  }) as typeof libraryOpenapi;
  return router;
}

const problemContent = { "application/problem+json": { schema: ProblemSchema } };
export const errorResponses = {
  400: { description: "invalid parameters: unknown, malformed, or a bad cursor", content: problemContent },
  404: { description: "no record with that id", content: problemContent },
} as const;
