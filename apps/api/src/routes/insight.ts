import { createRoute, z } from "@hono/zod-openapi";
import {
  FacetsQuerySchema,
  FacetsSchema,
  MetaSchema,
  NetworkQuerySchema,
  NetworkSchema,
  NoQuerySchema,
  ProblemSchema,
  SearchQuerySchema,
  SearchResultSchema,
  TimelineQuerySchema,
  TimelineSchema,
} from "@backchannel/schema";
import { exportRows, negotiate, type Column } from "../http/formats.js";
import { json } from "../http/json-text.js";
import { problem } from "../http/problem.js";
import { createRouter, errorResponses } from "../http/router.js";
import type { Snapshot } from "../store/snapshot.js";

const search = createRoute({
  method: "get",
  path: "/search",
  operationId: "search",
  tags: ["search"],
  summary: "One ranked list across actors, events, sources and places; tolerant of transliteration and one-letter typos",
  request: { query: SearchQuerySchema },
  responses: { 200: { description: "ranked hits", content: { "application/json": { schema: SearchResultSchema } } }, 400: errorResponses[400] },
});
const timeline = createRoute({
  method: "get",
  path: "/timeline",
  operationId: "getTimeline",
  tags: ["analysis"],
  summary: "Event counts per month or year and per quad class, with the mean Goldstein score",
  request: { query: TimelineQuerySchema },
  responses: { 200: { description: "buckets in date order", content: { "application/json": { schema: TimelineSchema } } }, 400: errorResponses[400] },
});
const network = createRoute({
  method: "get",
  path: "/network",
  operationId: "getNetwork",
  tags: ["analysis"],
  summary: "Actors as nodes, shared events as weighted edges",
  request: { query: NetworkQuerySchema },
  responses: {
    200: { description: "JSON: the strongest edges and their nodes; CSV and NDJSON: the edges only (source, target, weight)", content: { "application/json": { schema: NetworkSchema } } },
    400: errorResponses[400],
  },
});
const facets = createRoute({
  method: "get",
  path: "/facets",
  operationId: "getFacets",
  tags: ["analysis"],
  summary: "For the /events filters: how many matching events each value of each filter has",
  request: { query: FacetsQuerySchema },
  responses: { 200: { description: "counts per value, most frequent first", content: { "application/json": { schema: FacetsSchema } } }, 400: errorResponses[400] },
});
const meta = createRoute({
  method: "get",
  path: "/meta",
  operationId: "getMeta",
  tags: ["meta"],
  summary: "Dataset version, build time, counts and schema version",
  request: { query: NoQuerySchema },
  responses: { 200: { description: "about this dataset", content: { "application/json": { schema: MetaSchema } } }, 400: errorResponses[400] },
});
const health = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["meta"],
  summary: "Readiness: every table of the snapshot answers; never cached (Cache-Control: no-store, no ETag)",
  request: { query: NoQuerySchema },
  responses: {
    200: { description: "the API is up and every table of its snapshot can be read", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } },
    400: errorResponses[400],
    503: { description: "a table of the snapshot cannot be read", content: { "application/problem+json": { schema: ProblemSchema } } },
  },
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
      if (format === "json") return json(c, result);
      return exportRows(c, format, result.data, HIT_COLUMNS, "search", query);
    })
    .openapi(timeline, (c) => {
      const query = c.req.valid("query");
      const result = snapshot.timeline(query);
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return c.json(result, 200);
      return exportRows(c, format, result.data, BUCKET_COLUMNS, "timeline", query);
    })
    .openapi(network, (c) => {
      const query = c.req.valid("query");
      const result = snapshot.network(query);
      const format = negotiate(c, query.format, ["json", "csv", "ndjson"]);
      if (format === "json") return c.json(result, 200);
      return exportRows(c, format, result.edges, EDGE_COLUMNS, "network", query);
    })
    .openapi(facets, (c) => c.json(snapshot.facets(c.req.valid("query")), 200))
    .openapi(meta, (c) => c.json(snapshot.meta, 200))
    // A balancer must read the API's state now, never a cache's copy of it.
    .openapi(health, (c) => {
      const failures = snapshot.unreadableTables();
      if (failures.length > 0) return problem(c, 503, `the snapshot cannot be read: ${failures.join("; ")}`) as never;
      return c.json({ status: "ok" as const }, 200, { "Cache-Control": "no-store" });
    });
}
