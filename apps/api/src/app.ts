import { OpenAPIHono } from "@hono/zod-openapi";
import { SCHEMA_VERSION } from "@backchannel/schema";
import { cors } from "hono/cors";
import { datasetCaching } from "./http/caching.js";
import { docsRoutes } from "./http/docs.js";
import { withAlternateFormats } from "./http/formats.js";
import { problem } from "./http/problem.js";
import { actorRoutes } from "./routes/actors.js";
import { eventRoutes } from "./routes/events.js";
import { insightRoutes } from "./routes/insight.js";
import { postRoutes } from "./routes/posts.js";
import { sourceAndPlaceRoutes } from "./routes/sources.js";
import { BadRequestError, NotFoundError } from "./store/errors.js";
import type { Snapshot } from "./store/snapshot.js";

export const API_BASE = "/api/v1";
export const OPENAPI_PATH = `${API_BASE}/openapi.json`;

function apiRoutes(snapshot: Snapshot) {
  return new OpenAPIHono()
    .route("/", eventRoutes(snapshot))
    .route("/", actorRoutes(snapshot))
    .route("/", sourceAndPlaceRoutes(snapshot))
    .route("/", postRoutes(snapshot))
    .route("/", insightRoutes(snapshot));
}

/** The whole API over one snapshot, without a port: `app.fetch` serves tests, the TUI and `serve()`. */
export function createApp(snapshot: Snapshot) {
  const app = new OpenAPIHono();
  app.use(`${API_BASE}/*`, cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["ETag", "Content-Disposition"] }));
  app.use(`${API_BASE}/*`, datasetCaching(snapshot.meta.datasetVersion));
  const routes = app.route(API_BASE, apiRoutes(snapshot));
  // Built on first request: generating it costs about 100 ms that start-up need not pay.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  const openApiDocument = () =>
    (document ??= withAlternateFormats(
    app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Backchannel API",
        version: SCHEMA_VERSION,
        description: `A curated, source-linked record of Gulf diplomacy. Dataset ${snapshot.meta.datasetVersion}, built ${snapshot.meta.builtAt}.`,
      },
      servers: [{ url: "/" }],
    }),
  ));
  app.get(OPENAPI_PATH, (c) => c.json(openApiDocument()));
  app.route("/api/docs", docsRoutes(OPENAPI_PATH));
  app.get("/", (c) => c.redirect("/api/docs"));
  app.notFound((c) => problem(c, 404, `no route ${c.req.method} ${c.req.path}; see ${OPENAPI_PATH}`));
  app.onError((error, c) => {
    if (error instanceof NotFoundError) return problem(c, 404, error.message);
    if (error instanceof BadRequestError) return problem(c, 400, error.message, error.issues);
    console.error(`${c.req.method} ${c.req.url}:`, error);
    return problem(c, 500, "the server failed to answer this request; it has been logged");
  });
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
