import fc from "fast-check";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { describe, expect, it } from "vitest";
import { API_BASE, CORS_OPTIONS } from "../app.js";
import { curatedApi } from "../../test/harness.js";

const { app } = curatedApi();

/** hono/cors itself, in front of a handler that answers with the status the API gave. */
function reference(status: number) {
  const plain = new Hono();
  plain.use("*", cors(CORS_OPTIONS));
  plain.all("*", (c) => c.body(null, status as 200));
  return plain;
}

const corsHeaders = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-") || name === "vary" && /origin/i.test(response.headers.get("vary") ?? "")));

describe("CORS", () => {
  it("gives every answer, error and preflight the headers hono/cors gives", async () => {
    const paths = ["/events?limit=2", "/events/nope", "/events?limit=0", "/search?q=oman", "/actors?format=csv", "/nowhere", "/meta", "/healthz"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom("GET", "HEAD", "OPTIONS", "POST", "DELETE"),
        fc.option(fc.constantFrom("https://example.org", "http://localhost:5173"), { nil: undefined }),
        fc.option(fc.constantFrom("content-type", "x-custom, accept"), { nil: undefined }),
        async (path, method, origin, requestHeaders) => {
          const headers: Record<string, string> = {};
          if (origin) headers.Origin = origin;
          if (requestHeaders && method === "OPTIONS") headers["Access-Control-Request-Headers"] = requestHeaders;
          const request = () => new Request(`http://backchannel.test${API_BASE}${path}`, { method, headers });
          const answer = await app.fetch(request());
          const expected = await reference(answer.status).fetch(request());
          expect(corsHeaders(answer), `${method} ${path}`).toEqual(corsHeaders(expected));
          expect(answer.headers.get("access-control-allow-origin")).toBe("*");
        },
      ),
      { numRuns: 60 },
    );
  });
});
