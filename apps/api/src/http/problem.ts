import type { ProblemDetails } from "@backchannel/schema";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

const TITLES: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable" };

/** RFC 9457 problem details: what went wrong, where, and every issue found. */
export function problem(c: Context, status: ContentfulStatusCode, detail: string, issues?: ProblemDetails["issues"]): Response {
  const body: ProblemDetails = {
    type: "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    detail,
    instance: c.req.path,
    ...(issues && issues.length ? { issues } : {}),
  };
  return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json; charset=utf-8" });
}

/** zod issues as `{ path, message }`, naming unknown parameters one by one. */
export function issuesOf(error: z.ZodError): NonNullable<ProblemDetails["issues"]> {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...issue.path, key].join("."), message: "unknown parameter" }))
      : [{ path: issue.path.join(".") || "(query)", message: issue.message }],
  );
}
