import { createRoute } from "@hono/zod-openapi";
import {
  IdParamSchema,
  NoQuerySchema,
  PlaceDetailSchema,
  PlacePageSchema,
  PlacesQuerySchema,
  SourceDetailSchema,
  SourcePageSchema,
  SourcesQuerySchema,
} from "@backchannel/schema";
import { exportRows, join, negotiate, type Column } from "../http/formats.js";
import { json } from "../http/json-text.js";
import { createRouter, errorResponses } from "../http/router.js";
import type { Snapshot } from "../store/snapshot.js";
import { allPages } from "./paging.js";

const listSources = createRoute({
  method: "get",
  path: "/sources",
  operationId: "listSources",
  tags: ["sources"],
  summary: "The articles the record is built from, by publication date",
  request: { query: SourcesQuerySchema },
  responses: { 200: { description: "a page of sources, or every matching source", content: { "application/json": { schema: SourcePageSchema } } }, 400: errorResponses[400] },
});
const getSource = createRoute({
  method: "get",
  path: "/sources/{id}",
  operationId: "getSource",
  tags: ["sources"],
  summary: "One source with the agencies it credits, what each of its paragraphs supports, and the events it supports",
  request: { params: IdParamSchema, query: NoQuerySchema },
  responses: { 200: { description: "the source", content: { "application/json": { schema: SourceDetailSchema } } }, ...errorResponses },
});
const listPlaces = createRoute({
  method: "get",
  path: "/places",
  operationId: "listPlaces",
  tags: ["places"],
  summary: "Places by name, with coordinates and event counts",
  request: { query: PlacesQuerySchema },
  responses: { 200: { description: "a page of places, or every matching place", content: { "application/json": { schema: PlacePageSchema } } }, 400: errorResponses[400] },
});
const getPlace = createRoute({
  method: "get",
  path: "/places/{id}",
  operationId: "getPlace",
  tags: ["places"],
  summary: "One place with the events there (and at places within it)",
  request: { params: IdParamSchema, query: NoQuerySchema },
  responses: { 200: { description: "the place", content: { "application/json": { schema: PlaceDetailSchema } } }, ...errorResponses },
});

type SourceRow = ReturnType<Snapshot["listSources"]>["data"][number];
const SOURCE_COLUMNS: Column<SourceRow>[] = [
  { name: "id", value: (s) => s.id },
  { name: "title", value: (s) => s.title },
  { name: "description", value: (s) => s.description },
  { name: "kind", value: (s) => s.kind },
  { name: "url", value: (s) => s.url },
  { name: "outlet", value: (s) => s.outlet.actor ?? "unknown" },
  { name: "outlet_basis", value: (s) => s.outlet.basis },
  { name: "published", value: (s) => s.published.date },
  { name: "published_basis", value: (s) => s.published.basis },
  { name: "byline", value: (s) => s.byline },
  { name: "paragraphs", value: (s) => s.paragraphs },
  { name: "credits", value: (s) => join(s.credits.map((credit) => `${credit.actor} (${credit.role})`)) },
  { name: "event_count", value: (s) => s.eventCount },
];

type PlaceRow = ReturnType<Snapshot["listPlaces"]>["data"][number];
const PLACE_COLUMNS: Column<PlaceRow>[] = [
  { name: "id", value: (p) => p.id },
  { name: "name", value: (p) => p.name },
  { name: "kind", value: (p) => p.kind },
  { name: "country", value: (p) => p.country },
  { name: "within", value: (p) => p.within },
  { name: "latitude", value: (p) => p.latitude },
  { name: "longitude", value: (p) => p.longitude },
  { name: "aliases", value: (p) => join(p.aliases) },
  { name: "event_count", value: (p) => p.eventCount },
];

export function sourceAndPlaceRoutes(snapshot: Snapshot) {
  return createRouter()
    .openapi(listSources, (c) => {
      const query = c.req.valid("query");
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return json(c, snapshot.listSources(query));
      const rows = allPages((cursor) => snapshot.listSources({ ...query, limit: 500, cursor }));
      return exportRows(c, format, rows, SOURCE_COLUMNS, "sources", query);
    })
    .openapi(getSource, (c) => json(c, snapshot.getSource(c.req.valid("param").id)))
    .openapi(listPlaces, (c) => {
      const query = c.req.valid("query");
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return json(c, snapshot.listPlaces(query));
      const rows = allPages((cursor) => snapshot.listPlaces({ ...query, limit: 500, cursor }));
      return exportRows(c, format, rows, PLACE_COLUMNS, "places", query);
    })
    .openapi(getPlace, (c) => json(c, snapshot.getPlace(c.req.valid("param").id)));
}
