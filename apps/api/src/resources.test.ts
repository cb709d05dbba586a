import { describe, expect, it } from "vitest";
import { codeEventType } from "@backchannel/schema";
import { unwrap } from "./client.js";
import { apiOver, curatedApi } from "../test/harness.js";
import { PARAGRAPH_INDEX_CAP } from "./store/snapshot.js";

const { client, get, dataset } = curatedApi();

describe("actors", () => {
  it("lists actors by name with aliases and event counts, filtered by kind and country", async () => {
    const body = await unwrap(client.api.v1.actors.$get({ query: { kind: "person", country: "OM", limit: "100" } }));
    const expected = dataset.actors.filter((actor) => actor.kind === "person" && actor.country === "OM");
    expect(body.data.map((actor) => actor.id).sort()).toEqual(expected.map((actor) => actor.id).sort());
    const names = body.data.map((actor) => actor.name);
    expect(names).toEqual([...names].sort());
    const badr = body.data.find((actor) => actor.id === "badr-albusaidi")!;
    expect(badr.eventCount).toBe(dataset.events.filter((event) => event.participants.some((p) => p.actor === "badr-albusaidi")).length);
    expect(badr.aliases).toContain("Badr al-Busaidi");
  });

  it("finds actors by any spelling", async () => {
    const body = await unwrap(client.api.v1.actors.$get({ query: { q: "Araqchi" } }));
    expect(body.data.map((actor) => actor.id)).toEqual(["abbas-araghchi"]);
  });

  it("shows an actor's positions over time, events and counterparts", async () => {
    const actor = await unwrap(client.api.v1.actors[":id"].$get({ param: { id: "ali-larijani" }, query: { limit: "3" } }));
    expect(actor.positions.map((position) => position.postTitle)).toContain("Secretary of the Supreme National Security Council of Iran");
    const expectedEvents = dataset.events.filter((event) => event.participants.some((p) => p.actor === "ali-larijani"));
    expect(actor.eventCount).toBe(expectedEvents.length);
    expect(actor.events.data).toHaveLength(3);
    expect(actor.events.page).toMatchObject({ total: expectedEvents.length, totalExact: true });
    expect(actor.events.page.next).not.toBeNull();
    const haitham = actor.counterparts.find((other) => other.id === "haitham-bin-tariq");
    const shared = expectedEvents.filter((event) => event.participants.some((p) => p.actor === "haitham-bin-tariq")).length;
    expect(haitham?.sharedEvents).toBe(shared);
  });

  it("answers an unknown actor with 404", async () => {
    expect((await get("/api/v1/actors/no-one")).status).toBe(404);
  });
});

describe("sources and places", () => {
  it("shows a source with what it credits and the events it supports", async () => {
    const source = await unwrap(client.api.v1.sources[":id"].$get({ param: { id: "2026-02-12-larijani-meets-sultan" }, query: {} }));
    expect(source.outletName).toBe("Press Media of India");
    expect(source.credited.map((credit) => credit.name)).toEqual(expect.arrayContaining(["Oman News Agency", "Islamic Republic News Agency", "Tohid Asadi"]));
    const supported = dataset.events.filter((event) => event.citations.some((c) => c.source === source.id));
    expect(source.events.map((event) => event.id).sort()).toEqual(supported.map((event) => event.id).sort());
    expect(source.eventCount).toBe(supported.length);
  });

  it("lists paragraphs 1…N of a source with every record that cites each: events and tenures", async () => {
    for (const source of dataset.sources) {
      const detail = await unwrap(client.api.v1.sources[":id"].$get({ param: { id: source.id }, query: {} }));
      expect(detail.paragraphIndex.map((entry) => entry.paragraph)).toEqual(Array.from({ length: source.paragraphs }, (_, i) => i + 1));
      for (const entry of detail.paragraphIndex) {
        const cites = (citations: { source: string; paragraphs: number[] }[]) => citations.some((c) => c.source === source.id && c.paragraphs.includes(entry.paragraph));
        const events = dataset.events.filter((event) => cites(event.citations)).map((event) => event.id);
        const tenures = dataset.actors.flatMap((actor) => actor.positions.filter((position) => cites(position.citations)).map((position) => `${actor.id}@${position.post}`));
        expect(entry.anchor).toBe(`p${entry.paragraph}`);
        expect(entry.citedBy.filter((c) => c.kind === "event").map((c) => c.id).sort(), `${source.id} ¶${entry.paragraph}`).toEqual(events.sort());
        expect(entry.citedBy.filter((c) => c.kind === "tenure").map((c) => `${c.id}@${c.post!.id}`).sort()).toEqual(tenures.sort());
        expect(entry.citedByTotal).toBe(events.length + tenures.length);
      }
    }
    const larijani = await unwrap(client.api.v1.sources[":id"].$get({ param: { id: "2026-02-10-larijani-visits-oman" }, query: {} }));
    expect(larijani.paragraphIndex[2]!.citedBy).toContainEqual(
      expect.objectContaining({ kind: "tenure", id: "ali-larijani", label: "Ali Larijani", post: { id: "secretary-of-iran-supreme-national-security-council", title: "Secretary of the Supreme National Security Council of Iran" } }),
    );
  });

  it("gives a source's web address when one is known, and bounds the paragraphs it lists", async () => {
    const [first, ...rest] = dataset.sources;
    const served = apiOver({ ...dataset, sources: [{ ...first!, url: "https://example.org/article", paragraphs: 5_000 }, ...rest] });
    const known = await unwrap(served.client.api.v1.sources[":id"].$get({ param: { id: first!.id }, query: {} }));
    const unknown = await unwrap(served.client.api.v1.sources[":id"].$get({ param: { id: rest[0]!.id }, query: {} }));
    served.snapshot.close();
    expect(known.url).toBe("https://example.org/article");
    expect(unknown).not.toHaveProperty("url");
    expect(known.paragraphIndex).toHaveLength(PARAGRAPH_INDEX_CAP);
  });

  it("lists sources by publication date", async () => {
    const body = await unwrap(client.api.v1.sources.$get({ query: {} }));
    const dates = body.data.map((source) => source.published.date);
    expect(dates).toEqual([...dates].sort());
    expect(body.data).toHaveLength(5);
  });

  it("gives an undated article's publication as the window its text allows", async () => {
    const source = await unwrap(client.api.v1.sources[":id"].$get({ param: { id: "2024-10-02-pezeshkian-heads-for-qatar" }, query: {} }));
    expect(source.published).toMatchObject({ date: "2024-10-01", end: "2024-10-02", basis: "inferred" });
  });

  it("shows a place with the events there and at places within it", async () => {
    const muscat = await unwrap(client.api.v1.places[":id"].$get({ param: { id: "muscat" }, query: {} }));
    expect(muscat.events.map((event) => event.id)).toContain("2025-05-27-sultan-haitham-receives-pezeshkian-at-al-alam-palace");
    expect(muscat.latitude).toBeCloseTo(23.588);
    const places = await unwrap(client.api.v1.places.$get({ query: { kind: "palace" } }));
    expect(places.data.map((place) => place.id)).toEqual(["al-alam-palace"]);
  });
});

describe("search", () => {
  const ids = async (q: string, kind?: "actor" | "event" | "source" | "place") => {
    const body = await unwrap(client.api.v1.search.$get({ query: { q, ...(kind ? { kind } : {}) } }));
    return body.data.map((hit) => `${hit.kind}:${hit.id}`);
  };

  it("is transliteration-tolerant: Araqchi finds Abbas Araghchi first", async () => {
    expect((await ids("Araqchi"))[0]).toBe("actor:abbas-araghchi");
    expect((await ids("Araghchi"))[0]).toBe("actor:abbas-araghchi");
  });

  it("finds both Omani ministers named Al Busaidi, in any spelling of the particle", async () => {
    for (const q of ["Busaidi", "Al Busaidi", "al-Busaidi", "Albusaidi"]) {
      expect((await ids(q, "actor")).slice(0, 2).sort(), q).toEqual(["actor:badr-albusaidi", "actor:hamoud-bin-faisal-albusaidi"]);
    }
  });

  it("hears Tarik as Tariq and finds native-script aliases", async () => {
    expect(await ids("Tarik", "actor")).toEqual(expect.arrayContaining(["actor:haitham-bin-tariq", "actor:shihab-bin-tariq"]));
    expect((await ids("عراقچی"))[0]).toBe("actor:abbas-araghchi");
    expect((await ids("هيثم"))[0]).toBe("actor:haitham-bin-tariq");
  });

  it("still finds an actor with one letter wrong", async () => {
    expect((await ids("Larijanu"))[0]).toBe("actor:ali-larijani");
    expect((await ids("Baghaej"))[0]).toBe("actor:esmaeil-baghaei");
  });

  it("ranks across kinds: events, sources and places come after the actors that match", async () => {
    const hits = await ids("Muscat");
    expect(hits).toEqual(expect.arrayContaining(["place:muscat", "event:2026-02-06-us-iran-talks-in-muscat"]));
  });

  it("requires a query", async () => {
    expect((await get("/api/v1/search")).status).toBe(400);
  });

  it("counts an actor's events in the singular and the plural", async () => {
    const counts = new Map<string, number>();
    for (const event of dataset.events) for (const p of new Set(event.participants.map((p) => p.actor))) counts.set(p, (counts.get(p) ?? 0) + 1);
    const once = dataset.actors.find((actor) => counts.get(actor.id) === 1)!;
    const often = dataset.actors.find((actor) => (counts.get(actor.id) ?? 0) > 1)!;
    for (const [actor, words] of [[once, "· 1 event"], [often, `· ${counts.get(often.id)} events`]] as const) {
      const body = await unwrap(client.api.v1.search.$get({ query: { q: actor.name, kind: "actor" } }));
      expect(body.data.find((hit) => hit.id === actor.id)?.detail, actor.id).toMatch(new RegExp(`${words}$`));
    }
  });
});

describe("timeline and network", () => {
  it("counts events per month and quad class, with the mean Goldstein score", async () => {
    const body = await unwrap(client.api.v1.timeline.$get({ query: { bucket: "month" } }));
    expect(body.data.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(dataset.events.length);
    const may = body.data.find((bucket) => bucket.bucket === "2025-05")!;
    const inMay = dataset.events.filter((event) => event.date.start.startsWith("2025-05"));
    expect(may.count).toBe(inMay.length);
    const scores = inMay.map((event) => codeEventType(event.type).goldstein).filter((score): score is number => score !== null);
    expect(may.meanGoldstein).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 2);
    expect(may.byQuadClass["4"]).toBe(inMay.filter((event) => codeEventType(event.type).quadClass === 4).length);
  });

  it("keeps events dated only to the year out of January, in both paths (filtered and not)", async () => {
    const yearOnly = dataset.events.filter((event) => event.date.start.length === 4);
    expect(yearOnly.length).toBeGreaterThan(0);
    for (const query of [{ bucket: "month" as const }, { bucket: "month" as const, q: "a" }]) {
      const body = await unwrap(client.api.v1.timeline.$get({ query }));
      const matching = query.q ? (await unwrap(client.api.v1.events.$get({ query: { q: "a", limit: "500" } }))).data : dataset.events;
      for (const year of new Set(yearOnly.map((event) => event.date.start))) {
        const january = body.data.find((bucket) => bucket.bucket === `${year}-01`)?.count ?? 0;
        expect(january).toBe(matching.filter((event) => event.date.start.startsWith(`${year}-01`)).length);
        expect(body.data.find((bucket) => bucket.bucket === year)?.count ?? 0).toBe(matching.filter((event) => event.date.start === year).length);
      }
    }
  });

  it("follows the event filters", async () => {
    const body = await unwrap(client.api.v1.timeline.$get({ query: { bucket: "year", actor: "masoud-pezeshkian" } }));
    const expected = dataset.events.filter((event) => event.participants.some((p) => p.actor === "masoud-pezeshkian"));
    expect(body.data.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(expected.length);
  });

  it("weighs each edge by the events two actors share", async () => {
    const body = await unwrap(client.api.v1.network.$get({ query: {} }));
    expect(body).toMatchObject({ counted: dataset.events.length, exact: true });
    const edge = body.edges.find((e) => [e.source, e.target].sort().join() === ["haitham-bin-tariq", "masoud-pezeshkian"].join())!;
    const shared = dataset.events.filter((event) => ["haitham-bin-tariq", "masoud-pezeshkian"].every((id) => event.participants.some((p) => p.actor === id)));
    expect(edge.weight).toBe(shared.length);
    const nodeIds = new Set(body.nodes.map((node) => node.id));
    for (const e of body.edges) expect(nodeIds.has(e.source) && nodeIds.has(e.target)).toBe(true);
  });
});

describe("facets", () => {
  it("counts, for the matching events, each value of each filter, most frequent first", async () => {
    const body = await unwrap(client.api.v1.facets.$get({ query: { topic: "us-iran-talks" } }));
    const matching = dataset.events.filter((event) => event.topics.includes("us-iran-talks"));
    expect(body).toMatchObject({ total: matching.length, totalExact: true, counted: matching.length, exact: true });
    const types = new Map<string, number>();
    for (const event of matching) types.set(event.type, (types.get(event.type) ?? 0) + 1);
    expect(Object.fromEntries(body.facets.type.map((facet) => [facet.value, facet.count]))).toEqual(Object.fromEntries(types));
    const counts = body.facets.actor.map((facet) => facet.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const oman = body.facets.actor.find((facet) => facet.value === "oman");
    expect(oman).toEqual({ value: "oman", label: "Oman", count: matching.filter((event) => event.participants.some((p) => p.actor === "oman")).length });
    expect(body.facets.topic.find((facet) => facet.value === "us-iran-talks")?.count).toBe(matching.length);
  });
});

describe("meta and health", () => {
  it("reports the dataset version, counts and schema version", async () => {
    const meta = await unwrap(client.api.v1.meta.$get({ query: {} }));
    expect(meta.counts).toEqual({ events: 64, actors: 56, sources: 5, places: 21, posts: 20 });
    expect(meta.datasetVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(await unwrap(client.api.v1.healthz.$get({ query: {} }))).toEqual({ status: "ok" });
  });
});
