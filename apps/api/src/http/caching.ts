import type { MiddlewareHandler } from "hono";
import type { OpenApiDocument } from "./formats.js";

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

const header = (description: string) => ({ description, schema: { type: "string" } });

/** Declares in the OpenAPI document what `datasetCaching` does: the validators on every answer, If-None-Match and 304. */
export function withCachingContract<T extends OpenApiDocument>(document: T): T {
  const components = (document.components ??= {});
  components.headers = {
    ...components.headers,
    ETag: header("the dataset version: every answer of the API changes with it and only with it"),
    "Cache-Control": header("how long a cache may keep the answer"),
    Vary: header("the request headers the answer depends on"),
  };
  const validators = { ETag: { $ref: "#/components/headers/ETag" }, "Cache-Control": { $ref: "#/components/headers/Cache-Control" }, Vary: { $ref: "#/components/headers/Vary" } };
  for (const operations of Object.values(document.paths ?? {})) {
    const get = operations.get;
    if (!get) continue;
    get.parameters = [
      ...(get.parameters ?? []),
      { name: "If-None-Match", in: "header", required: false, description: "an ETag of an earlier answer: 304 without a body while it is current", schema: { type: "string" } },
    ];
    for (const [status, response] of Object.entries(get.responses ?? {}) as [string, { headers?: object }][]) {
      if (Number(status) < 400) response.headers = { ...validators, ...response.headers };
    }
    get.responses["304"] = { description: "Not Modified: the ETag given in If-None-Match is current", headers: validators };
  }
  return document;
}
