import type { MiddlewareHandler } from "hono";

/**
 * The dataset never changes under a running API, so its version is the validator of every
 * GET: `ETag`, `304` on a matching `If-None-Match`, and a cache lifetime.
 */
export function datasetCaching(version: string): MiddlewareHandler {
  const etag = `"${version}"`;
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const headers = { ETag: etag, "Cache-Control": "public, max-age=300", Vary: "Accept" };
    const match = c.req.header("If-None-Match");
    if (match && (match.trim() === "*" || match.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag))) {
      return c.body(null, 304, headers);
    }
    await next();
    if (c.res.status < 400) for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
