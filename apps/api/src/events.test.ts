import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EVENT_SORTS, EVENT_TYPES, foldedText, isDescending, sortKeyOf, sourcingOf, spanBounds, type Event, type EventSort } from "@backchannel/schema";
import { unwrap } from "./client.js";
import { encodeCursor } from "./store/cursor.js";
import { apiOver, curatedApi } from "../test/harness.js";

const { client, get, dataset } = curatedApi();

async function events(query: Record<string, string | string[]>) {
  return unwrap(client.api.v1.events.$get({ query: { limit: "500", ...query } }));
}

describe("GET /events", () => {
  it("lists every event by date, with participants' names and kinds inline", async () => {
    const body = await events({});
    expect(body.page).toEqual({ next: null, offset: 0, offsetExact: true, total: dataset.events.length, totalExact: true });
    const starts = body.data.map((event) => event.date.start);
    expect(starts).toEqual([...starts].sort());
    const visit = body.data.find((event) => event.id === "2026-02-10-larijani-visits-oman");
    expect(visit?.participants[0]).toMatchObject({ actor: "ali-larijani", name: "Ali Larijani", kind: "person" });
  });

  it("says how well each event is sourced: sources, outlets and independent lines of reporting", async () => {
    const body = await events({});
    const sources = new Map(dataset.sources.map((source) => [source.id, source]));
    for (const event of body.data) {
      const record = dataset.events.find((e) => e.id === event.id)!;
      expect(event.sourcing, event.id).toEqual(sourcingOf(record.citations, (id) => sources.get(id)));
    }
    // Larijani's visit: two articles, two outlets; IRNA's paragraphs count once across them.
    const visit = body.data.find((event) => event.id === "2026-02-10-larijani-visits-oman")!;
    expect(visit.sourcing).toMatchObject({ sources: 2, outlets: 2 });
    expect(body.data.filter((event) => event.sourcing.sources === 1).length).toBeGreaterThan(body.data.length / 2);
  });

  it("keeps corroborated events only with minSources, in lists, counts and timelines alike", async () => {
    const distinct = (event: (typeof dataset.events)[number]) => new Set(event.citations.map((c) => c.source)).size;
    const expected = dataset.events.filter((event) => distinct(event) >= 2).map((event) => event.id).sort();
    const body = await events({ minSources: "2" });
    expect(body.data.map((event) => event.id).sort()).toEqual(expected);
    expect(body.page.total).toBe(expected.length);
    expect((await events({ minSources: "1" })).page.total).toBe(dataset.events.length);
    const timeline = await unwrap(client.api.v1.timeline.$get({ query: { minSources: "2" } }));
    expect(timeline.data.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(expected.length);
    for (const bad of ["0", "101", "two"]) {
      const response = await get(`/api/v1/events?minSources=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(JSON.stringify(await response.json()), bad).toContain("minSources");
    }
  });

  it("filters by actor, any of several", async () => {
    const larijani = await events({ actor: "ali-larijani" });
    const expected = dataset.events.filter((event) => event.participants.some((p) => p.actor === "ali-larijani")).map((event) => event.id).sort();
    expect(larijani.data.map((event) => event.id).sort()).toEqual(expected);
    const both = await events({ actor: ["ali-larijani", "ali-akbar-ahmadian"] });
    expect(both.page.total).toBeGreaterThan(larijani.page.total);
    for (const event of both.data) expect(event.participants.some((p) => ["ali-larijani", "ali-akbar-ahmadian"].includes(p.actor))).toBe(true);
  });

  it("filters by type, status, topic, source, place and country", async () => {
    const visits = await events({ type: "visit" });
    expect(visits.data.length).toBe(dataset.events.filter((event) => event.type === "visit").length);
    const scheduled = await events({ status: "scheduled" });
    expect(scheduled.data.length).toBe(dataset.events.filter((event) => event.status === "scheduled").length);
    const gaza = await events({ topic: "gaza" });
    expect(gaza.data.length).toBe(dataset.events.filter((event) => event.topics.includes("gaza")).length);
    const source = await events({ source: "2026-02-12-larijani-meets-sultan" });
    expect(source.data.length).toBe(dataset.events.filter((event) => event.citations.some((c) => c.source === "2026-02-12-larijani-meets-sultan")).length);
    const muscat = await events({ place: "muscat" });
    expect(muscat.data.map((event) => event.id)).toContain("2026-02-06-us-iran-talks-in-muscat");
    const qatar = await events({ country: "QA" });
    expect(qatar.data.map((event) => event.id)).toEqual(expect.arrayContaining(["2024-10-02-pezeshkian-visits-qatar", "2017-gulf-states-cut-ties-with-qatar"]));
  });

  it("matches dates by overlap at their precision: June 2025 overlaps 15 June", async () => {
    const day = await events({ from: "2025-06-15", to: "2025-06-15" });
    expect(day.data.map((event) => event.id)).toEqual(expect.arrayContaining(["2025-06-twelve-day-iran-israel-war", "2025-06-us-military-drawn-into-iran-israel-war"]));
    const year = await events({ from: "2018", to: "2018" });
    expect(year.data.map((event) => event.id).sort()).toEqual(["2018-netanyahu-visits-oman", "2018-us-withdraws-from-jcpoa"]);
  });

  it("sorts newest first on request", async () => {
    const body = await events({ sort: "-date" });
    const starts = body.data.map((event) => event.date.start);
    expect(starts).toEqual([...starts].sort().reverse());
  });

  it("finds events by a participant's name in any spelling", async () => {
    const body = await events({ q: "Araqchi" });
    expect(body.data.length).toBeGreaterThan(0);
    for (const event of body.data) expect(event.participants.some((p) => p.actor === "abbas-araghchi")).toBe(true);
  });

  it("treats full-text input as text, never as FTS syntax or SQL", async () => {
    for (const q of ['"', "NEAR(", "a OR b", "'; DROP TABLE events; --", "*", "title:x", "^", "(((", "🙂"]) {
      const response = await get(`/api/v1/events?q=${encodeURIComponent(q)}`);
      expect(response.status, q).toBe(200);
    }
  });
});

describe("pagination", () => {
  it.each([["date"], ["-date"]])("walks every row exactly once, sorted by %s", async (sort) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const body = await events({ sort, limit: "7", ...(cursor ? { cursor } : {}) });
      expect(body.data.length).toBeLessThanOrEqual(7);
      // The position is counted by the server: the rows already walked.
      expect(body.page).toMatchObject({ offset: seen.length, offsetExact: true, total: dataset.events.length });
      seen.push(...body.data.map((event) => event.id));
      cursor = body.page.next ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(dataset.events.length / 7));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(dataset.events.map((event) => event.id).sort());
  });

  it("keeps the filter across pages", async () => {
    const first = await events({ topic: "us-iran-talks", limit: "2" });
    const second = await events({ topic: "us-iran-talks", limit: "2", cursor: first.page.next! });
    expect(second.data.map((event) => event.id)).not.toContain(first.data[0]!.id);
    expect(first.page.total).toBe(dataset.events.filter((event) => event.topics.includes("us-iran-talks")).length);
  });
});

describe("sorting", () => {
  /** The order a sort promises, from the records themselves: its key, then date (first day, then id). */
  const expectedOrder = (records: Event[], sort: EventSort) => {
    const key = sortKeyOf(sort);
    const text = (event: Event) => (key === "type" ? foldedText(EVENT_TYPES[event.type].label) : key === "title" ? foldedText(event.title) : "");
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const ordered = [...records].sort((a, b) => compare(text(a), text(b)) || compare(spanBounds(a.date).first, spanBounds(b.date).first) || compare(a.id, b.id));
    return (isDescending(sort) ? ordered.reverse() : ordered).map((event) => event.id);
  };
  const filters = fc.record(
    {
      actor: fc.constantFrom("oman", "iran", "ali-larijani", "abbas-araghchi"),
      topic: fc.constantFrom("us-iran-talks", "nuclear-programme"),
      from: fc.constantFrom("2013", "2019", "2025-06"),
    },
    { requiredKeys: [] },
  );

  it("pages through any sort with cursors: every filtered event once, in the sort's order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EVENT_SORTS), filters, fc.integer({ min: 1, max: 9 }), async (sort, filter, limit) => {
        const matching = (await events({ ...filter })).data.map((event) => event.id);
        const records = dataset.events.filter((event) => matching.includes(event.id));
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const body = await events({ ...filter, sort, limit: String(limit), ...(cursor ? { cursor } : {}) });
          expect(body.page).toMatchObject({ offset: seen.length, total: records.length });
          seen.push(...body.data.map((event) => event.id));
          cursor = body.page.next ?? undefined;
        } while (cursor);
        expect(seen).toEqual(expectedOrder(records, sort));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("refuses a cursor of one sort on another", async () => {
    const byTitle = await events({ sort: "title", limit: "2" });
    const response = await get(`/api/v1/events?sort=type&limit=2&cursor=${byTitle.page.next}`);
    expect(response.status).toBe(400);
  });
});

describe("cursors are bound to their query", () => {
  const problemOf = async (path: string) => {
    const response = await get(path);
    return { status: response.status, body: (await response.json()) as { detail: string; issues?: { path: string; message: string }[] } };
  };

  it("refuses a cursor minted for other filters, with a problem that says so", async () => {
    const oman = await events({ actor: "oman", limit: "3" });
    const { status, body } = await problemOf(`/api/v1/events?actor=iran&limit=3&cursor=${oman.page.next}`);
    expect(status).toBe(400);
    expect(body.detail).toBe("cursor from another query");
    expect(body.issues?.[0]).toMatchObject({ path: "cursor", message: expect.stringContaining("other filters") });
  });

  it("accepts the same query spelled another way, and a changed page size", async () => {
    const first = await events({ actor: ["oman", "iran"], limit: "3" });
    const second = await get(`/api/v1/events?limit=5&actor=iran&actor=oman&actorMode=any&cursor=${first.page.next}`);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { page: { offset: number } }).page.offset).toBe(3);
  });

  it("refuses a cursor of an earlier dataset version", async () => {
    const stale = encodeCursor({ list: "events:date", version: "0000000000000000", query: { sort: "date" } }, [5]);
    const { status, body } = await problemOf(`/api/v1/events?cursor=${stale}`);
    expect(status).toBe(400);
    expect(body.detail).toBe("stale cursor");
  });

  it("never reads the total or the position from the cursor: a hand-made one is refused", async () => {
    const forged = Buffer.from(JSON.stringify(["events:date", 0, 99999, 1])).toString("base64url");
    expect((await problemOf(`/api/v1/events?cursor=${forged}`)).status).toBe(400);
  });

  it("counts total and position on every page, for random filters and page sizes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("oman", "iran", "ali-larijani", "abbas-araghchi"), fc.integer({ min: 1, max: 9 }), fc.constantFrom("date", "-date"), async (actor, limit, sort) => {
        const all = await events({ actor, sort });
        let cursor: string | undefined;
        let walked = 0;
        do {
          const body = await events({ actor, sort, limit: String(limit), ...(cursor ? { cursor } : {}) });
          expect(body.page).toMatchObject({ offset: walked, total: all.page.total });
          expect(body.data.map((event) => event.id)).toEqual(all.data.slice(walked, walked + limit).map((event) => event.id));
          walked += body.data.length;
          cursor = body.page.next ?? undefined;
        } while (cursor);
        expect(walked).toBe(all.page.total);
      }),
      { numRuns: 20 },
    );
  }, 60_000);
});

describe("GET /events/{id}", () => {
  it("expands places, citations with source metadata and credited agency, and related events both ways", async () => {
    const event = await unwrap(client.api.v1.events[":id"].$get({ param: { id: "2026-02-10-larijani-visits-oman" }, query: {} }));
    expect(event.placeDetails.map((place) => place.id)).toEqual(["muscat"]);
    const irna = event.citations.find((citation) => citation.agency === "irna");
    expect(irna).toMatchObject({ agencyName: "Islamic Republic News Agency", sourceInfo: { outlet: { id: "kurdistan24", name: "Kurdistan24", basis: "stated" } } });
    // every citation carries the words that support it
    expect(event.citations.every((citation) => citation.quote.length > 0)).toBe(true);
    // no source ties the October 2025 invitation to this visit, so the record does not either
    expect(event.related.some((related) => related.type === "invitation-for")).toBe(false);
    expect(event.related).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "follows", direction: "outgoing", event: expect.objectContaining({ id: "2026-02-06-us-iran-talks-in-muscat" }) }),
        expect.objectContaining({ type: "part-of", direction: "incoming", event: expect.objectContaining({ id: "2026-02-larijani-to-meet-badr-albusaidi" }) }),
        expect.objectContaining({ type: "part-of", direction: "incoming", event: expect.objectContaining({ id: "2026-02-10-larijani-meets-sultan-haitham" }) }),
      ]),
    );
    expect(event.coding).toMatchObject({ cameo: "042", goldstein: 1.9, quadClass: 1 });
    expect(event.precision).toBe("day");
  });

  it("never lists an event among its own relatives, even when the record relates it to itself", async () => {
    const id = "2026-02-10-larijani-visits-oman";
    const selfRelated = {
      ...dataset,
      events: dataset.events.map((event) => (event.id === id ? { ...event, relations: [...event.relations, { type: "follows" as const, event: id }] } : event)),
    };
    const served = apiOver(selfRelated);
    const event = await unwrap(served.client.api.v1.events[":id"].$get({ param: { id }, query: {} }));
    served.snapshot.close();
    expect(event.related.length).toBeGreaterThan(0);
    expect(event.related.map((related) => related.event.id)).not.toContain(id);
  });

  it("answers an unknown id with a 404 problem", async () => {
    const response = await get("/api/v1/events/2026-01-01-nothing");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, title: "Not Found", detail: 'no event with id "2026-01-01-nothing"' });
  });
});
