import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { contractChecker } from "../test/contract.js";
import { curatedApi } from "../test/harness.js";

// `get` checks every answer against the served document (see test/harness.ts): these tests
// make the answers the document must describe, and check that the checker itself bites.
const { app, get, dataset } = curatedApi();

const documentOf = async () => (await (await app.fetch(new Request("http://backchannel.test/api/v1/openapi.json"))).json()) as Record<string, any>;

describe("the OpenAPI document is the contract", () => {
  it("passes a standard OpenAPI linter's recommended rules (Redocly), with no error and no warning (info-license aside)", async () => {
    // One rule off, on purpose: the project has not chosen a licence, and the document must not invent one.
    const config = await createConfig({ extends: ["recommended"], rules: { "info-license": "off" } });
    const problems = await lintFromString({ source: JSON.stringify(await documentOf()), absoluteRef: "openapi.json", config });
    expect(problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? ""}`)).toEqual([]);
  }, 30_000);

  it("describes every record's detail answer: each event, actor, source and place", async () => {
    for (const [list, records] of [["events", dataset.events], ["actors", dataset.actors], ["sources", dataset.sources], ["places", dataset.places]] as const) {
      for (const record of records) expect((await get(`/api/v1/${list}/${record.id}`)).status, record.id).toBe(200);
    }
  }, 60_000);

  it("describes the exports, the not-modified answer and its headers", async () => {
    for (const format of ["csv", "ndjson", "geojson"]) expect((await get(`/api/v1/events?format=${format}`)).status).toBe(200);
    const first = await get("/api/v1/facets");
    expect((await get("/api/v1/facets", { "If-None-Match": first.headers.get("etag")! })).status).toBe(304);
    const document = await documentOf();
    expect(document.paths["/api/v1/events"].get.responses["200"].content["application/geo+json"].schema).toEqual({ $ref: "#/components/schemas/EventFeatureCollection" });
    expect(Object.keys(document.paths["/api/v1/events"].get.responses["200"].headers)).toEqual(expect.arrayContaining(["ETag", "Cache-Control", "Content-Disposition"]));
    const operationIds = Object.values(document.paths).map((operations: any) => operations.get.operationId);
    expect(new Set(operationIds).size).toBe(Object.keys(document.paths).length);
  });

  it("states the date rule the server applies: the pattern refuses 2025-13 and 2025-02-30", async () => {
    const pattern = new RegExp((await documentOf()).components.schemas.PartialDate.pattern);
    for (const date of ["2025-13", "2025-02-30", "2023-02-29", "2025-06-31"]) {
      expect(pattern.test(date), date).toBe(false);
      expect((await get(`/api/v1/events?from=${date}`)).status, date).toBe(400);
    }
    for (const date of ["2025", "2025-06", "2024-02-29", "2025-06-30"]) expect(pattern.test(date), date).toBe(true);
  });

  it("the checker refuses answers that break the document", async () => {
    const check = contractChecker(documentOf);
    const request = (path: string) => new Request(`http://backchannel.test${path}`);
    const json = (body: unknown, status = 200, type = "application/json") => new Response(JSON.stringify(body), { status, headers: { "content-type": type, "cache-control": "public" } });
    const meta = (await (await get("/api/v1/meta")).json()) as Record<string, unknown>;
    expect(await check(request("/api/v1/meta"), json(meta))).toEqual([]);
    expect((await check(request("/api/v1/meta"), json({ ...meta, counts: { events: "many" } }))).join()).toMatch(/body\/counts/);
    expect((await check(request("/api/v1/meta"), json(meta, 418))).join()).toMatch(/status 418 is not declared/);
    expect((await check(request("/api/v1/meta"), json(meta, 200, "text/html"))).join()).toMatch(/media type "text\/html" is not declared/);
    const event = (await (await get(`/api/v1/events/${dataset.events[0]!.id}`)).json()) as { id: string; citations: any[] };
    const broken = { ...event, citations: event.citations.map((citation: any) => ({ ...citation, sourceInfo: { ...citation.sourceInfo, outlet: { ...citation.sourceInfo.outlet, id: 7 } } })) };
    expect((await check(request(`/api/v1/events/${event.id}`), json(broken))).join()).toMatch(/outlet\/id/);
  });
});
