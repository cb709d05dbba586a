import { createRoute } from "@hono/zod-openapi";
import { ActorDetailQuerySchema, ActorDetailSchema, ActorPageSchema, ActorsQuerySchema, IdParamSchema } from "@backchannel/schema";
import { exportRows, join, negotiate, type Column } from "../http/formats.js";
import { json } from "../http/json-text.js";
import { createRouter, errorResponses } from "../http/router.js";
import type { Snapshot } from "../store/snapshot.js";
import { allPages } from "./paging.js";

const listActors = createRoute({
  method: "get",
  path: "/actors",
  operationId: "listActors",
  tags: ["actors"],
  summary: "Actors by name, filtered by text (transliteration-tolerant), kind and country",
  request: { query: ActorsQuerySchema },
  responses: { 200: { description: "a page of actors, or every matching actor", content: { "application/json": { schema: ActorPageSchema } } }, 400: errorResponses[400] },
});

const getActor = createRoute({
  method: "get",
  path: "/actors/{id}",
  operationId: "getActor",
  tags: ["actors"],
  summary: "One actor with positions over time, its events (paged) and its counterparts",
  request: { params: IdParamSchema, query: ActorDetailQuerySchema },
  responses: { 200: { description: "the actor", content: { "application/json": { schema: ActorDetailSchema } } }, ...errorResponses },
});

type ActorRow = ReturnType<Snapshot["listActors"]>["data"][number];
const COLUMNS: Column<ActorRow>[] = [
  { name: "id", value: (a) => a.id },
  { name: "name", value: (a) => a.name },
  { name: "kind", value: (a) => a.kind },
  { name: "country", value: (a) => a.country },
  { name: "aliases", value: (a) => join(a.aliases) },
  { name: "event_count", value: (a) => a.eventCount },
  { name: "description", value: (a) => a.description },
];

export function actorRoutes(snapshot: Snapshot) {
  return createRouter()
    .openapi(listActors, (c) => {
      const query = c.req.valid("query");
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return json(c, snapshot.listActors(query));
      const rows = allPages((cursor) => snapshot.listActors({ ...query, limit: 500, cursor }));
      return exportRows(c, format, rows, COLUMNS, "actors", query);
    })
    .openapi(getActor, (c) => json(c, snapshot.getActor(c.req.valid("param").id, c.req.valid("query"))));
}
