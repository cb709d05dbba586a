import { createRoute, z } from "@hono/zod-openapi";
import {
  FacetsQuerySchema,
  FacetsSchema,
  MetaSchema,
  NetworkQuerySchema,
  NetworkSchema,
  NoQuerySchema,
  SearchQuerySchema,
  SearchResultSchema,
  TimelineQuerySchema,
  TimelineSchema,
} from "@backchannel/schema";
import { exportRows, negotiate, type Column } from "../http/formats.js";
import { createRouter, errorResponses } from "../http/router.js";
import type { Snapshot } from "../store/snapshot.js";

const search = createRoute({
  method: "get",
  path: "/search",
  tags: ["search"],
  summary: "One ranked list across actors, events, sources and places; tolerant of transliteration and one-letter typos",
  request: { query: SearchQuerySchema },
  responses: { 200: { description: "ranked hits", content: { "application/json": { schema: SearchResultSchema } } }, 400: errorResponses[400] },
});
const timeline = createRoute({
  method: "get",
  path: "/timeline",
  tags: ["analysis"],
  summary: "Event counts per month or year and per quad class, with the mean Goldstein score",
  request: { query: TimelineQuerySchema },
  responses: { 200: { description: "buckets in date order", content: { "application/json": { schema: TimelineSchema } } }, 400: errorResponses[400] },
});
const network = createRoute({
  method: "get",
  path: "/network",
  tags: ["analysis"],
  summary: "Actors as nodes, shared events as weighted edges",
  request: { query: NetworkQuerySchema },
  responses: { 200: { description: "the strongest edges and their nodes", content: { "application/json": { schema: NetworkSchema } } }, 400: errorResponses[400] },
});
const facets = createRoute({
  method: "get",
  path: "/facets",
  tags: ["analysis"],
  summary: "For the /events filters: how many matching events each value of each filter has",
  request: { query: FacetsQuerySchema },
  responses: { 200: { description: "counts per value, most frequent first", content: { "application/json": { schema: FacetsSchema } } }, 400: errorResponses[400] },
});
const meta = createRoute({
  method: "get",
  path: "/meta",
  tags: ["meta"],
  summary: "Dataset version, build time, counts and schema version",
  request: { query: NoQuerySchema },
  responses: { 200: { description: "about this dataset", content: { "application/json": { schema: MetaSchema } } }, 400: errorResponses[400] },
});
const health = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["meta"],
  summary: "Liveness; never cached (Cache-Control: no-store, no ETag)",
  responses: { 200: { description: "the API is up", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } } },
});

type Hit = ReturnType<Snapshot["search"]>["data"][number];
const HIT_COLUMNS: Column<Hit>[] = ["kind", "id", "label", "detail", "matched", "score"].map((name) => ({ name, value: (hit: Hit) => hit[name as keyof Hit] }));
type Bucket = ReturnType<Snapshot["timeline"]>["data"][number];
const BUCKET_COLUMNS: Column<Bucket>[] = [
  { name: "bucket", value: (b) => b.bucket },
  { name: "count", value: (b) => b.count },
  { name: "verbal_cooperation", value: (b) => b.byQuadClass["1"] },
  { name: "material_cooperation", value: (b) => b.byQuadClass["2"] },
  { name: "verbal_conflict", value: (b) => b.byQuadClass["3"] },
  { name: "material_conflict", value: (b) => b.byQuadClass["4"] },
  { name: "uncoded", value: (b) => b.byQuadClass.uncoded },
  { name: "mean_goldstein", value: (b) => b.meanGoldstein },
];
type Edge = ReturnType<Snapshot["network"]>["edges"][number];
const EDGE_COLUMNS: Column<Edge>[] = ["source", "target", "weight"].map((name) => ({ name, value: (edge: Edge) => edge[name as keyof Edge] }));

export function insightRoutes(snapshot: Snapshot) {
  return createRouter()
    .openapi(search, (c) => {
      const query = c.req.valid("query");
      const result = snapshot.search(query);
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return c.json(result, 200);
      return exportRows(c, format, result.data, HIT_COLUMNS, "search");
    })
    .openapi(timeline, (c) => {
      const query = c.req.valid("query");
      const result = snapshot.timeline(query);
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return c.json(result, 200);
      return exportRows(c, format, result.data, BUCKET_COLUMNS, "timeline");
    })
    .openapi(network, (c) => {
      const query = c.req.valid("query");
      const result = snapshot.network(query);
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return c.json(result, 200);
      return exportRows(c, format, result.edges, EDGE_COLUMNS, "network");
    })
    .openapi(facets, (c) => c.json(snapshot.facets(c.req.valid("query")), 200))
    .openapi(meta, (c) => c.json(snapshot.meta, 200))
    // A balancer must read the API's state now, never a cache's copy of it.
    .openapi(health, (c) => c.json({ status: "ok" as const }, 200, { "Cache-Control": "no-store" }));
}
