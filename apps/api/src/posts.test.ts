import fc from "fast-check";
import { earliestDay, latestDay } from "@backchannel/schema";
import { describe, expect, it } from "vitest";
import { unwrap } from "./client.js";
import { tenureOn } from "./store/snapshot.js";
import { curatedApi } from "../test/harness.js";

const { client, get, dataset } = curatedApi();
const posts = client.api.v1.posts;
const SNSC = "secretary-of-iran-supreme-national-security-council";

describe("GET /posts", () => {
  it("lists every office by title with its organisation and tenures", async () => {
    const body = await unwrap(posts.$get({ query: { limit: "100" } }));
    expect(body.data.map((post) => post.id).sort()).toEqual(dataset.posts.map((post) => post.id).sort());
    const titles = body.data.map((post) => post.title);
    expect(titles).toEqual([...titles].sort());
    for (const post of body.data) {
      const tenures = dataset.actors.flatMap((actor) => actor.positions.filter((position) => position.post === post.id).map(() => actor.id));
      expect(post.tenureCount, post.id).toBe(tenures.length);
      expect(post.holders.map((holder) => holder.actor).sort()).toEqual(tenures.sort());
    }
    expect(body.data.find((post) => post.id === SNSC)!.organisationName).toBe("Supreme National Security Council");
  });

  it("answers who held an office on a day: the SNSC secretary on 1 May 2024 was Ahmadian", async () => {
    const body = await unwrap(posts.$get({ query: { on: "2024-05-01", q: "Supreme National Security" } }));
    expect(body.data.map((post) => post.id)).toEqual([SNSC]);
    expect(body.data[0]!.holders.map((holder) => [holder.actor, holder.certain])).toEqual([["ali-akbar-ahmadian", true]]);
    const detail = await unwrap(posts[":id"].$get({ param: { id: SNSC }, query: { on: "2024-05-01" } }));
    expect(detail.on).toBe("2024-05-01");
    expect(detail.holders).toHaveLength(1);
    expect(detail.holders[0]).toMatchObject({ actor: "ali-akbar-ahmadian", name: "Ali Akbar Ahmadian", start: "2023-05", end: "2025-08" });
    expect(detail.holders[0]!.citations[0]).toMatchObject({ source: "2025-05-28-pezeshkian-in-oman", sourceInfo: { id: "2025-05-28-pezeshkian-in-oman" } });
    // In August 2025 the post changed hands: both tenures may cover the day, neither surely.
    const handover = await unwrap(posts[":id"].$get({ param: { id: SNSC }, query: { on: "2025-08-15" } }));
    expect(handover.holders.map((holder) => [holder.actor, holder.certain])).toEqual([
      ["ali-larijani", false],
      ["ali-akbar-ahmadian", false],
    ]);
  });

  it("shows every tenure of an office, the latest first, with citations", async () => {
    const detail = await unwrap(posts[":id"].$get({ param: { id: SNSC }, query: {} }));
    expect(detail.holders.map((holder) => holder.actor)).toEqual(["ali-larijani", "ali-akbar-ahmadian"]);
    expect(detail.holders.every((holder) => holder.citations.length > 0 && holder.certain === undefined)).toBe(true);
  });

  it("refuses a day that is not one, and answers an unknown office with 404", async () => {
    for (const on of ["2024-05", "2024-02-30", "yesterday"]) {
      const response = await get(`/api/v1/posts?on=${on}`);
      expect(response.status, on).toBe(400);
      expect(JSON.stringify(await response.json())).toContain("on");
    }
    expect((await get("/api/v1/posts/no-such-office")).status).toBe(404);
    expect((await get("/api/v1/posts?limit=501")).status).toBe(400);
  });

  it("is in the OpenAPI document", async () => {
    const document = (await (await get("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/v1/posts", "/api/v1/posts/{id}"]));
  });
});

describe("tenureOn", () => {
  const partial = fc.oneof(
    fc.date({ min: new Date("2000-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    fc.integer({ min: 2000, max: 2030 }).map(String),
    fc.tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, "0")}`),
  );
  const day = fc.date({ min: new Date("2000-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

  it("is sure only inside the narrowest reading of the dates, and excludes days outside the widest", () => {
    fc.assert(
      fc.property(fc.option(partial, { nil: undefined }), fc.option(partial, { nil: undefined }), day, (start, end, on) => {
        const held = tenureOn({ start, end }, on);
        const possible = (!!start || !!end) && (!start || earliestDay(start) <= on) && (!end || latestDay(end) >= on);
        expect(held !== null).toBe(possible);
        if (held) expect(!!start && latestDay(start) <= on && (!end || earliestDay(end) >= on)).toBe(true);
      }),
    );
  });
});
