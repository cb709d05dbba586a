import type { ProblemDetails } from "@backchannel/schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { curatedApi } from "../test/harness.js";

const { get, dataset } = curatedApi();

/** Every route that takes the event filters, in each of its forms. */
const FILTERED_ROUTES = ["/api/v1/events", "/api/v1/events?format=csv", "/api/v1/events?format=geojson", "/api/v1/facets", "/api/v1/timeline", "/api/v1/network", "/api/v1/network?format=csv"];
const KNOWN = {
  actor: new Set(dataset.actors.map((actor) => actor.id)),
  place: new Set(dataset.places.map((place) => place.id)),
  source: new Set(dataset.sources.map((source) => source.id)),
};
const slug = fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}$/);

async function problemOf(path: string) {
  const response = await get(path);
  expect(response.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
  return { status: response.status, body: (await response.json()) as ProblemDetails };
}

const withQuery = (route: string, query: string) => `${route}${route.includes("?") ? "&" : "?"}${query}`;

describe("an unknown id in a filter", () => {
  it("is a 400 naming the parameter and the value on every filtered route, never an empty 200", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FILTERED_ROUTES), fc.constantFrom("actor", "place", "source" as const), slug, async (route, parameter, id) => {
        fc.pre(!KNOWN[parameter].has(id));
        const { status, body } = await problemOf(withQuery(route, `${parameter}=${id}`));
        expect(status).toBe(400);
        expect(body.issues).toEqual([{ path: parameter, message: expect.stringContaining(`"${id}"`) }]);
      }),
      { numRuns: 60 },
    );
  });

  it("names each unknown id of a list, and only those", async () => {
    const { status, body } = await problemOf("/api/v1/events?actor=ali-larijani&actor=nobody&place=muskat&source=no-such-source");
    expect(status).toBe(400);
    expect(body.issues?.map((issue) => issue.path)).toEqual(["actor", "place", "source"]);
    expect(body.issues?.[0]?.message).toContain('"nobody"');
    expect(body.detail).toContain("`actor`");
  });

  it("suggests the closest known ids: misspelt, transliterated, or a word of the name", async () => {
    const suggestion = async (query: string) => (await problemOf(`/api/v1/events?${query}`)).body.issues?.[0]?.message ?? "";
    expect(await suggestion("actor=ali-larijany")).toMatch(/did you mean .*ali-larijani/);
    expect(await suggestion("actor=araqchi")).toMatch(/did you mean .*abbas-araghchi/);
    expect(await suggestion("place=muskat")).toMatch(/did you mean .*muscat/);
    expect(await suggestion("actor=zzzz")).toContain("see /api/v1/actors");
  });

  it("leaves known ids alone", async () => {
    const response = await get("/api/v1/network?actor=ali-larijani");
    expect(response.status).toBe(200);
  });
});
