import { OpenAPIHono } from "@hono/zod-openapi";
import { EventFeatureCollectionSchema, SCHEMA_VERSION } from "@backchannel/schema";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { TrieRouter } from "hono/router/trie-router";
import { withCachingContract } from "./http/caching.js";
import { docsRoutes } from "./http/docs.js";
import { DEFAULT_MAX_EXPORTS, exportAdmission } from "./http/exports.js";
import { withAlternateFormats, type OpenApiDocument } from "./http/formats.js";
import { z } from "zod";
import { problem } from "./http/problem.js";
import { representations } from "./http/representation.js";
import { actorRoutes } from "./routes/actors.js";
import { changeRoutes } from "./routes/changes.js";
import { eventRoutes } from "./routes/events.js";
import { insightRoutes } from "./routes/insight.js";
import { postRoutes } from "./routes/posts.js";
import { sourceAndPlaceRoutes } from "./routes/sources.js";
import { BadRequestError, NotFoundError } from "./store/errors.js";
import type { Snapshot } from "./store/snapshot.js";

export const API_BASE = "/api/v1";
export const OPENAPI_PATH = `${API_BASE}/openapi.json`;
/** The methods every route answers (the `Allow` of a 405). */
export const READ_METHODS = "GET, HEAD";

function apiRoutes(snapshot: Snapshot) {
  return new OpenAPIHono()
    .route("/", eventRoutes(snapshot))
    .route("/", actorRoutes(snapshot))
    .route("/", sourceAndPlaceRoutes(snapshot))
    .route("/", postRoutes(snapshot))
    .route("/", insightRoutes(snapshot))
    .route("/", changeRoutes(snapshot));
}

export interface AppOptions {
  /** Streamed exports running at once; beyond it, 429 with Retry-After. */
  maxExports?: number;
}

/** The whole API over one snapshot, without a port: `app.fetch` serves tests, the TUI and `serve()`. */
export function createApp(snapshot: Snapshot, { maxExports = DEFAULT_MAX_EXPORTS }: AppOptions = {}) {
  const app = new OpenAPIHono();
  // ETag per representation, compression, Cache-Control, CORS and the export gate, as one middleware: each layer costs every request.
  app.use(`${API_BASE}/*`, apiLayer(snapshot.meta.datasetVersion, maxExports));
  app.use("/api/docs/*", representations(snapshot.meta.datasetVersion).middleware);
  const routes = app.route(API_BASE, apiRoutes(snapshot));
  // Built on first request: generating it costs about 100 ms that start-up need not pay.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  const openApiDocument = () =>
    (document ??= withCachingContract(withAlternateFormats(withComponent(EventFeatureCollectionSchema, "EventFeatureCollection",
    app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Backchannel API",
        version: SCHEMA_VERSION,
        description: `A curated, source-linked record of Gulf diplomacy. Dataset ${snapshot.meta.datasetVersion}, built ${snapshot.meta.builtAt}.`,
      },
      servers: [{ url: "/" }],
      // Open data: no operation needs credentials (said explicitly, so clients and linters need not guess).
      security: [],
    }),
  ))));
  app.get(OPENAPI_PATH, (c) => {
    const unknown = Object.keys(c.req.queries());
    if (unknown.length) return problem(c, 400, "the request's parameters are invalid", unknown.map((path) => ({ path, message: "unknown parameter" })));
    return c.json(openApiDocument());
  });
  app.route("/api/docs", docsRoutes(OPENAPI_PATH));
  app.get("/", (c) => c.redirect("/api/docs"));
  // A path the API serves, asked with another method, is 405: the API is read-only.
  let readable: TrieRouter<true> | undefined;
  const servesGet = (path: string) => {
    if (!readable) {
      readable = new TrieRouter<true>();
      for (const route of app.routes) if (route.method === "GET") readable.add("GET", route.path, true);
    }
    return readable.match("GET", path)[0].length > 0;
  };
  app.notFound((c) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && servesGet(c.req.path)) {
      c.header("Allow", READ_METHODS);
      return problem(c, 405, `${c.req.method} is not allowed on ${c.req.path}: the API is read-only (${READ_METHODS})`);
    }
    return problem(c, 404, `no route ${c.req.method} ${c.req.path}; see ${OPENAPI_PATH}`);
  });
  app.onError((error, c) => {
    if (error instanceof NotFoundError) return problem(c, 404, error.message);
    if (error instanceof BadRequestError) return problem(c, 400, error.message, error.issues);
    console.error(`${c.req.method} ${c.req.url}:`, error);
    return problem(c, 500, "the server failed to answer this request; it has been logged");
  });
  return routes;
}

/** Who may read the API from a browser: anyone (open data), seeing the validators and an export's file name. */
export const CORS_OPTIONS = { origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["ETag", "Content-Disposition", "Retry-After"] };

/** The headers hono/cors gives every answer but a preflight, with CORS_OPTIONS. */
const CORS_HEADERS = { "access-control-allow-origin": CORS_OPTIONS.origin, "access-control-expose-headers": CORS_OPTIONS.exposeHeaders.join(",") };

/**
 * What every API request passes through. CORS as hono/cors answers it: preflights by hono/cors
 * itself; a GET or HEAD gets its headers from the representation layer, which builds each answer
 * once with them (hono/cors would set them on a placeholder response, and Hono then copies each
 * answer, body stream included, into a new Response); any other method (a 404 or 405) gets them
 * here. The export gate runs on each GET's answer before it is represented.
 */
function apiLayer(version: string, maxExports: number): MiddlewareHandler {
  const preflight = cors(CORS_OPTIONS);
  const represent = representations(version, { headers: CORS_HEADERS, beforeRepresenting: exportAdmission(maxExports) }).middleware;
  const withCorsHeaders: MiddlewareHandler = async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(CORS_HEADERS)) c.res.headers.set(name, value);
  };
  // Not async itself: it hands the request on, without one more promise.
  return (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return represent(c, next);
    if (method === "OPTIONS") return preflight(c, next);
    return withCorsHeaders(c, next);
  };
}

/**
 * Adds a schema no typed route returns (the GeoJSON export is streamed outside them) to the
 * document's components, its named parts referring to the components of the same name.
 */
function withComponent<T extends OpenApiDocument>(schema: z.ZodType, name: string, document: T): T {
  // A schema with an id comes back as a $ref to its own entry in $defs: that entry is the definition.
  const { $defs = {}, $schema: _dialect, ...root } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "output" }) as Record<string, any>;
  const parts = JSON.parse(JSON.stringify({ [name]: root, ...$defs }).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
  const schemas = ((document.components ??= {}).schemas ??= {});
  for (const [part, definition] of Object.entries(parts)) schemas[part] ??= definition;
  return document;
}

export type AppType = ReturnType<typeof createApp>;
