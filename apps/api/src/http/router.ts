import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ProblemSchema } from "@backchannel/schema";
import { issuesOf, problem } from "./problem.js";

/** Every router answers a failed validation the same way: 400, problem+json, every issue. */
export function createRouter() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return problem(c, 400, "the request's parameters are invalid", issuesOf(result.error as z.ZodError));
      return undefined;
    },
  });
}

const problemContent = { "application/problem+json": { schema: ProblemSchema } };
export const errorResponses = {
  400: { description: "invalid parameters: unknown, malformed, or a bad cursor", content: problemContent },
  404: { description: "no record with that id", content: problemContent },
} as const;
