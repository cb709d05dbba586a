import fc from "fast-check";
import { spanBounds } from "@backchannel/schema";
import { describe, expect, it } from "vitest";
import { unwrap } from "./client.js";
import { curatedApi } from "../test/harness.js";

const { client, dataset } = curatedApi();

type Query = Record<string, string | string[]>;
const facetNames = ["type", "status", "year", "topic", "country", "actor", "place", "source"] as const;

/** The total a list reports, checked against the rows it lists: the totals come from counts built with the snapshot where they can, the rows from the indexes. */
async function total(query: Query) {
  const { data, page } = await unwrap(client.api.v1.events.$get({ query: { ...query, limit: "200" } }));
  expect(page.totalExact && page.next === null, "the curated record fits one page of 200").toBe(true);
  expect(page.total, `the total of ${JSON.stringify(query)} against its rows`).toBe(data.length);
  return page.total;
}

async function facets(query: Query) {
  return unwrap(client.api.v1.facets.$get({ query: { ...query, size: "100" } }));
}

/**
 * The list a click on `value` of `facet` opens, as the dashboard's links make it: a year sets
 * from/to; an unchosen value is added to those chosen in its facet (OR; under `all`, one more
 * actor, AND); a chosen value shows its own events (the value alone in its facet).
 */
function clicked(query: Query, facet: (typeof facetNames)[number], value: string): Query {
  const next = { ...query };
  if (facet === "year") return { ...next, from: value, to: value };
  const chosen = [query[facet] ?? []].flat();
  if (chosen.length > 0 && !chosen.includes(value)) return { ...next, [facet]: [...chosen, value] };
  if (facet === "actor" && query.actorMode === "all") return { ...next, actor: [...new Set([...chosen, value])] };
  return { ...next, [facet]: value };
}

const pick = <T>(values: T[]) => fc.subarray(values, { maxLength: 2 });
const distinct = <T>(values: T[]) => [...new Set(values)];

/** Filter sets drawn from the curated record's own values, so most of them select something. */
const filterSets = fc
  .record(
    {
      actor: pick(dataset.actors.map((actor) => actor.id).slice(0, 30)),
      actorMode: fc.constantFrom("any", "all"),
      type: pick(distinct(dataset.events.map((event) => event.type))),
      topic: pick(distinct(dataset.events.flatMap((event) => event.topics))),
      country: pick(["IR", "OM", "US", "QA", "SA"]),
      place: pick(dataset.places.map((place) => place.id)),
      status: pick(distinct(dataset.events.map((event) => event.status))),
      year: fc.option(fc.constantFrom("2015", "2018", "2023", "2024", "2025", "2026"), { nil: undefined }),
    },
  )
  // Up to three filters at once: more, and almost every set selects nothing.
  .chain((all) => fc.subarray(Object.keys(all) as (keyof typeof all)[], { maxLength: 3 }).map((keys) => ({ all, keys })))
  .map(({ all, keys }) => {
    const query: Query = {};
    for (const key of keys) {
      const value = all[key];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      if (key === "year") Object.assign(query, { from: value, to: value });
      else query[key] = value;
    }
    return query;
  });

describe("facets count what their click lists", () => {
  it("for every facet and value, over random filter sets, the count equals the total after the click", async () => {
    let clicks = 0;
    await fc.assert(
      fc.asyncProperty(filterSets, async (query) => {
        const body = await facets(query);
        expect(body.total).toBe(await total(query));
        for (const name of facetNames) {
          for (const item of body.facets[name]) {
            expect(await total(clicked(query, name, item.value)), `${name}=${item.value} under ${JSON.stringify(query)}`).toBe(item.count);
            clicks++;
          }
        }
      }),
      { numRuns: 20 },
    );
    expect(clicks, "the generated filter sets leave values to click").toBeGreaterThan(200);
    // Hundreds of requests: a generous bound, for a machine shared with other jobs.
  }, 400_000);

  it("with Larijani chosen, Al Busaidi counts the events of either (what adding him lists); Larijani counts his own", async () => {
    const body = await facets({ actor: "ali-larijani" });
    const albusaidi = body.facets.actor.find((item) => item.value === "hamoud-bin-faisal-albusaidi");
    const either = dataset.events.filter((event) => event.participants.some((p) => ["ali-larijani", "hamoud-bin-faisal-albusaidi"].includes(p.actor)));
    expect(albusaidi?.count).toBe(either.length);
    expect(await total({ actor: ["ali-larijani", "hamoud-bin-faisal-albusaidi"] })).toBe(either.length);
    const his = dataset.events.filter((event) => event.participants.some((p) => p.actor === "ali-larijani"));
    expect(body.facets.actor.find((item) => item.value === "ali-larijani")?.count).toBe(his.length);
  });

  it("actorMode=all lists the events where every chosen actor took part, and its facet counts narrow", async () => {
    const pair = ["ali-larijani", "hamoud-bin-faisal-albusaidi"];
    const together = dataset.events.filter((event) => pair.every((id) => event.participants.some((p) => p.actor === id)));
    const page = await unwrap(client.api.v1.events.$get({ query: { actor: pair, actorMode: "all", limit: "500" } }));
    expect(page.data.map((event) => event.id).sort()).toEqual(together.map((event) => event.id).sort());
    expect(page.page.total).toBe(together.length);
    const body = await facets({ actor: "ali-larijani", actorMode: "all" });
    expect(body.facets.actor.find((item) => item.value === "hamoud-bin-faisal-albusaidi")?.count).toBe(together.length);
  });

  it("counts an event in every year its span overlaps, as from/to select it", async () => {
    const body = await facets({});
    for (const item of body.facets.year) {
      const year = Number(item.value);
      const overlapping = dataset.events.filter((event) => {
        const { first, last } = spanBounds(event.date);
        return Number(first.slice(0, 4)) <= year && last >= `${year}-01-01`;
      });
      expect(item.count, item.value).toBe(overlapping.length);
    }
    const multiYear = dataset.events.find((event) => spanBounds(event.date).first.slice(0, 4) < spanBounds(event.date).last.slice(0, 4) && !spanBounds(event.date).last.startsWith("9999"));
    expect(multiYear, "the curated record has an event spanning years").toBeDefined();
  });
});
