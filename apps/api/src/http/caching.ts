import type { OpenApiDocument } from "./formats.js";

const header = (description: string) => ({ description, schema: { type: "string" } });

/** Declares in the OpenAPI document what `representations` (representation.ts) does: the validators on every answer, If-None-Match and 304 — except the health check, which is never cached. */
export function withCachingContract<T extends OpenApiDocument>(document: T): T {
  const components = (document.components ??= {});
  components.headers = {
    ...components.headers,
    ETag: header("names one representation: the dataset version, the format and the content coding"),
    "Cache-Control": header("how long a cache may keep the answer"),
    Vary: header("the request headers the answer depends on"),
  };
  const validators = { ETag: { $ref: "#/components/headers/ETag" }, "Cache-Control": { $ref: "#/components/headers/Cache-Control" }, Vary: { $ref: "#/components/headers/Vary" } };
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    const get = operations.get;
    if (!get || path.endsWith("/healthz")) continue;
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
