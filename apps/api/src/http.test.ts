import { Validator } from "@seriousme/openapi-schema-validator";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unwrap } from "./client.js";
import { curatedApi } from "../test/harness.js";

const { app, client, get, dataset, snapshot } = curatedApi();
const version = snapshot.meta.datasetVersion;

describe("formats", () => {
  it("CSV holds every matching row, RFC 4180, and parses back to the JSON rows", async () => {
    const response = await get("/api/v1/events?format=csv&topic=us-iran-talks&limit=1");
    expect(response.headers.get("content-type")).toContain("text/csv");
    const text = await response.text();
    expect(text.split("\r\n")[0]).toMatch(/^id,title,start,end,/);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const json = await unwrap(client.api.v1.events.$get({ query: { topic: "us-iran-talks", limit: "500" } }));
    expect(rows.map((row) => row.id)).toEqual(json.data.map((event) => event.id));
    const talks = rows.find((row) => row.id === "2026-02-06-us-iran-talks-in-muscat")!;
    expect(talks.summary).toBe(json.data.find((event) => event.id === talks.id)!.summary);
    expect(talks.participant_ids?.split("; ")).toContain("badr-albusaidi");
  });

  it("NDJSON streams every matching row, one JSON object a line, equal to the JSON rows", async () => {
    const response = await get("/api/v1/events?format=ndjson");
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = (await response.text()).trim().split("\n").map((line) => JSON.parse(line));
    const json = await unwrap(client.api.v1.events.$get({ query: { limit: "500" } }));
    expect(lines).toEqual(json.data);
  });

  it("answers the Accept header when no format is given", async () => {
    const csv = await get("/api/v1/actors", { Accept: "text/csv" });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(parse(await csv.text(), { columns: true })).toHaveLength(dataset.actors.length);
    const ndjson = await get("/api/v1/places", { Accept: "application/x-ndjson" });
    expect((await ndjson.text()).trim().split("\n")).toHaveLength(dataset.places.length);
  });

  type Collection = { type: string; features: { id: string; geometry: { type: string; coordinates: number[][] } | null }[] };

  it("GeoJSON has one feature for every event: a MultiPoint of all its places, or null geometry without one", async () => {
    const response = await get("/api/v1/events?format=geojson");
    expect(response.headers.get("content-type")).toContain("application/geo+json");
    const collection = (await response.json()) as Collection;
    expect(collection.type).toBe("FeatureCollection");
    expect(collection.features).toHaveLength(dataset.events.length);
    for (const event of dataset.events) {
      const feature = collection.features.find((f) => f.id === event.id)!;
      const places = event.places.map((id) => dataset.places.find((place) => place.id === id)!);
      if (places.length === 0) expect(feature.geometry, event.id).toBeNull();
      else expect(feature.geometry, event.id).toEqual({ type: "MultiPoint", coordinates: places.map((place) => [place.longitude, place.latitude]) });
    }
    expect(dataset.events.some((event) => event.places.length === 0) && dataset.events.some((event) => event.places.length > 1)).toBe(true);
  });

  it("GeoJSON holds exactly the events of the JSON list, for random filters", async () => {
    const values = <T>(list: T[]) => fc.subarray([...new Set(list)], { maxLength: 2 });
    const filters = fc.record(
      {
        actor: values(dataset.events.flatMap((event) => event.participants.map((p) => p.actor))),
        topic: values(dataset.events.flatMap((event) => event.topics)),
        place: values(dataset.places.map((place) => place.id)),
        status: values(dataset.events.map((event) => event.status)),
        from: fc.constantFrom("2015", "2024-06", "2025-05-27"),
        q: fc.constantFrom("talks", "Oman", "Araqchi"),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filters, async (chosen) => {
        const query = new URLSearchParams();
        for (const [key, value] of Object.entries(chosen)) for (const item of [value].flat()) query.append(key, item);
        const geojson = (await (await get(`/api/v1/events?format=geojson&${query}`)).json()) as Collection;
        const json = (await (await get(`/api/v1/events?limit=500&${query}`)).json()) as { data: { id: string }[] };
        expect(geojson.features.map((feature) => feature.id)).toEqual(json.data.map((event) => event.id));
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it("CSV starts with a UTF-8 byte order mark on ?bom=true only, and reads back the same", async () => {
    const plain = new Uint8Array(await (await get("/api/v1/actors?format=csv")).arrayBuffer());
    const marked = new Uint8Array(await (await get("/api/v1/actors?format=csv&bom=true")).arrayBuffer());
    expect([...marked.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...plain.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(parse(Buffer.from(marked), { columns: true, bom: true })).toEqual(parse(Buffer.from(plain), { columns: true }));
    for (const path of ["/api/v1/events", "/api/v1/sources", "/api/v1/places", "/api/v1/search?q=oman", "/api/v1/timeline", "/api/v1/network"]) {
      const body = new Uint8Array(await (await get(`${path}${path.includes("?") ? "&" : "?"}format=csv&bom=true`)).arrayBuffer());
      expect([...body.slice(0, 3)], path).toEqual([0xef, 0xbb, 0xbf]);
    }
  });

  it("exports the other lists too: sources, search, timeline and network", async () => {
    for (const path of ["/api/v1/sources?format=csv", "/api/v1/search?q=oman&format=csv", "/api/v1/timeline?format=csv", "/api/v1/network?format=csv"]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(parse(await response.text(), { columns: true }).length, path).toBeGreaterThan(0);
    }
  });
});

describe("caching and CORS", () => {
  it("sends the dataset version and format as ETag with Cache-Control, and 304 on If-None-Match", async () => {
    const first = await get("/api/v1/events?limit=1");
    expect(first.headers.get("etag")).toBe(`"${version}-json"`);
    expect(first.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    const again = await get("/api/v1/events?limit=1", { "If-None-Match": `"${version}-json"` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const stale = await get("/api/v1/events?limit=1", { "If-None-Match": '"0000000000000000"' });
    expect(stale.status).toBe(200);
  });
});

describe("errors", () => {
  const problemOf = async (path: string) => {
    const response = await get(path);
    expect(response.headers.get("content-type"), path).toContain("application/problem+json");
    return { status: response.status, body: (await response.json()) as { detail: string; issues?: { path: string; message: string }[] } };
  };

  it.each([
    ["/api/v1/events?colour=red", "colour", "unknown parameter"],
    ["/api/v1/events?limit=0", "limit", "Too small: expected number to be >=1"],
    ["/api/v1/events?limit=501", "limit", "Too big: expected number to be <=500"],
    ["/api/v1/events?limit=ten", "limit", "Invalid input: expected number, received NaN"],
    ["/api/v1/events?from=2025-13", "from", "not a date on the calendar"],
    ["/api/v1/events?type=coup", "type", "Invalid input"],
    ["/api/v1/events?sort=place", "sort", 'Invalid option: expected one of "date"|"-date"|"type"|"-type"|"title"|"-title"'],
    ["/api/v1/events?cursor=nonsense", "cursor", "not a cursor this list produced; use the page.next value of a previous page of the same query"],
    ["/api/v1/events?from=2026&to=2025", "to", "2025 is before 2026"],
    ["/api/v1/actors?kind=wizard", "kind", "Invalid input"],
    ["/api/v1/search?q=", "q", "Too small: expected string to have >=1 characters"],
  ])("%s → 400 naming %s", async (path, field, message) => {
    const { status, body } = await problemOf(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: "about:blank", title: "Bad Request", status: 400 });
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: field, message: expect.stringContaining(message) })]));
  });

  it("answers an unknown parameter on every route with a 400 naming it", async () => {
    const document = (await (await get("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    const ids: Record<string, string> = { events: dataset.events[0]!.id, actors: dataset.actors[0]!.id, sources: dataset.sources[0]!.id, places: dataset.places[0]!.id };
    const paths = [...Object.keys(document.paths), "/api/v1/openapi.json"].map((path) => path.replace(/\/(\w+)\/\{id\}/, (_, list: string) => `/${list}/${ids[list]}`));
    expect(paths).toContain("/api/v1/healthz");
    for (const path of paths) {
      const { status, body } = await problemOf(`${path}${path.endsWith("search") ? "?q=oman&" : "?"}junk=2`);
      expect(status, path).toBe(400);
      expect(body.issues, path).toEqual([{ path: "junk", message: "unknown parameter" }]);
    }
  });

  it("rejects a cursor from another ordering of the list", async () => {
    const page = await unwrap(client.api.v1.events.$get({ query: { limit: "1" } }));
    const { status } = await problemOf(`/api/v1/events?limit=1&sort=-date&cursor=${page.page.next}`);
    expect(status).toBe(400);
  });

  it.each(["/api/v1/actors/nobody", "/api/v1/sources/nothing", "/api/v1/places/atlantis", "/api/v1/nowhere"])("%s → 404", async (path) => {
    const { status, body } = await problemOf(path);
    expect(status).toBe(404);
    expect(body.detail).toBeTruthy();
  });

  it("answers any method but GET and HEAD on a served path with 405, Allow: GET, HEAD, as problem+json", async () => {
    const served = [...new Set(app.routes.filter((route) => route.method === "GET").map((route) => route.path.replace(/:\w+/g, "some-id").replace(/\*$/, "x")))];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...served), fc.constantFrom("POST", "PUT", "PATCH", "DELETE"), async (path, method) => {
        const response = await app.fetch(new Request(`http://backchannel.test${path}`, { method, body: method === "DELETE" ? null : "{}" }));
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get("allow")).toBe("GET, HEAD");
        expect(response.headers.get("content-type")).toContain("application/problem+json");
        expect(await response.json()).toMatchObject({ title: "Method Not Allowed", status: 405, detail: expect.stringContaining(method) });
      }),
    );
    const unknown = await app.fetch(new Request("http://backchannel.test/api/v1/nowhere", { method: "POST" }));
    expect(unknown.status).toBe(404);
  });

  it("never answers 5xx to any query string on any list endpoint", async () => {
    const lists = ["/api/v1/events", "/api/v1/actors", "/api/v1/sources", "/api/v1/places", "/api/v1/search", "/api/v1/timeline", "/api/v1/network", "/api/v1/facets"];
    const keys = ["q", "actor", "actorMode", "type", "country", "place", "topic", "source", "status", "from", "to", "sort", "limit", "cursor", "format", "bom", "kind", "bucket", "size", "x"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...lists),
        fc.array(fc.tuple(fc.constantFrom(...keys), fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.integer().map(String), fc.constantFrom("2025", "2025-06", "-date", "csv", "OM", "visit", "all", "true"))), { maxLength: 6 }),
        async (path, pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const response = await get(`${path}?${query}`);
          expect(response.status, `${path}?${query}`).toBeLessThan(500);
          await response.arrayBuffer();
        },
      ),
      { numRuns: 2000 },
    );
  }, 300_000); // each answer is also validated against the OpenAPI document
});

describe("OpenAPI", () => {
  it("is a valid OpenAPI 3.1 document that lists every route", async () => {
    const document = (await (await get("/api/v1/openapi.json")).json()) as any;
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
    const documented = Object.keys(document.paths).map((path) => path.replace(/\{(\w+)\}/g, ":$1"));
    const served = [...new Set(app.routes.filter((route) => route.method === "GET" && route.path.startsWith("/api/v1/") && route.path !== "/api/v1/openapi.json").map((route) => route.path))];
    expect(documented.sort()).toEqual(served.sort());
    expect(Object.keys(document.paths["/api/v1/events"].get.responses["200"].content)).toEqual(["application/json", "text/csv", "application/x-ndjson", "application/geo+json", "application/atom+xml"]);
    expect(document.components.schemas).toHaveProperty("EventListItem");
  }, 30_000); // generating and validating the whole document takes seconds on a busy machine

  it("serves the interactive docs without any network", async () => {
    const page = await get("/api/docs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/api/docs/assets/swagger-ui-bundle.js");
    const bundle = await get("/api/docs/assets/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it("answers 404, not 500, for an asset named like an object's inherited property", async () => {
    for (const name of [...Object.getOwnPropertyNames(Object.prototype), "__proto__", "missing.js"]) {
      const answer = await get(`/api/docs/assets/${encodeURIComponent(name)}`);
      expect(answer.status, name).toBe(404);
    }
  });

  it("gives the docs page a Content-Security-Policy: scripts from the API only, nothing else fetched", async () => {
    const csp = (await get("/api/docs")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });
});
