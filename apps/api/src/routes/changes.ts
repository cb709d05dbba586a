import { createRoute } from "@hono/zod-openapi";
import { ChangesQuerySchema, ChangesSchema } from "@backchannel/schema";
import { json } from "../http/json-text.js";
import { createRouter, errorResponses } from "../http/router.js";
import { listChanges } from "../store/changes.js";
import type { Snapshot } from "../store/snapshot.js";

const listChangesRoute = createRoute({
  method: "get",
  path: "/changes",
  operationId: "listChanges",
  tags: ["changes"],
  summary: "Records added, changed (which fields) and removed since a version, newest version first",
  request: { query: ChangesQuerySchema },
  responses: {
    200: { description: "the versions after `since` (or the latest) with their changes", content: { "application/json": { schema: ChangesSchema } } },
    400: errorResponses[400],
  },
});

export function changeRoutes(snapshot: Snapshot) {
  return createRouter().openapi(listChangesRoute, (c) => json(c, listChanges(snapshot.db, snapshot.meta.datasetVersion, c.req.valid("query"))));
}
