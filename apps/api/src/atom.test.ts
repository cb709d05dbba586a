import { parseFeed } from "@rowanmanning/feed-parser";
import fc from "fast-check";
import { loadDataset } from "@backchannel/dataset";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { unwrap } from "./client.js";
import { apiOver } from "../test/harness.js";

const loaded = loadDataset(join(dirname(fileURLToPath(import.meta.url)), "../../../data"));
if (!loaded.ok) throw new Error("the curated dataset does not load");
const now = loaded.dataset;

// Two versions: in the first, one event had another summary, so it changed in the second.
const first = structuredClone(now);
const retold = first.events.find((event) => event.participants.some((p) => p.actor === "ali-larijani"))!;
retold.summary = `${retold.summary} (as first told)`;
const { client, get, snapshot } = apiOver(now, { before: [first] });
const events = client.api.v1.events;

/** The feed at a path, parsed by a feed parser nobody here wrote, with its raw XML. */
async function feedAt(path: string, headers: Record<string, string> = {}) {
  const response = await get(path, headers);
  expect(response.status, path).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const xml = await response.text();
  return { xml, feed: parseFeed(xml) };
}

describe("GET /events?format=atom", () => {
  it("is an Atom feed (RFC 4287) of the view's newest events: id, title, updated, author and links on the feed and every entry", async () => {
    const { xml, feed } = await feedAt("/api/v1/events?format=atom");
    expect(feed.meta.type).toBe("atom");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/i);
    expect(feed.title).toMatch(/^Backchannel: events/);
    expect(feed.authors.map((author) => author.name)).toEqual(["Backchannel"]);
    expect(xml).toMatch(/<id>urn:backchannel:events<\/id>/);
    const newest = await unwrap(events.$get({ query: { sort: "-date", limit: "50" } }));
    expect(feed.items.map((item) => item.id)).toEqual(newest.data.map((event) => `urn:backchannel:event:${event.id}`));
    for (const [i, item] of feed.items.entries()) {
      const event = newest.data[i]!;
      expect(item.title).toBe(event.title);
      expect(item.description).toBe(event.summary);
      expect(item.url).toBe(`/events/${event.id}`);
      expect(item.updated).toBeInstanceOf(Date);
      expect(Number.isNaN(item.updated!.getTime())).toBe(false);
    }
  });

  it("dates each entry by when its event last changed in the record: the retold event now, the others when first built", async () => {
    const { feed } = await feedAt("/api/v1/events?format=atom&actor=ali-larijani&limit=500");
    const log = await unwrap(client.api.v1.changes.$get({ query: {} }));
    expect(log.versions[0]!.changes).toEqual([{ kind: "events", id: retold.id, title: retold.title, change: "changed", fields: ["summary"] }]);
    const firstBuilt = new Date((await unwrap(client.api.v1.changes.$get({ query: { since: log.oldest.version } }))).oldest.builtAt);
    for (const item of feed.items) {
      const expected = item.id === `urn:backchannel:event:${retold.id}` ? new Date(snapshot.meta.builtAt) : firstBuilt;
      expect(item.updated!.toISOString(), item.id!).toBe(expected.toISOString());
    }
    expect(feed.items.some((item) => item.id === `urn:backchannel:event:${retold.id}`)).toBe(true);
    expect(feed.updated?.toISOString()).toBe(new Date(snapshot.meta.builtAt).toISOString());
  });

  it("holds exactly the events of every filtered view, newest first, whatever the filters", async () => {
    const facets = await unwrap(client.api.v1.facets.$get({ query: { size: "50" } }));
    const values = (name: "type" | "actor" | "topic") => facets.facets[name].map((value) => value.value);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ type: fc.subarray(values("type"), { maxLength: 2 }), actor: fc.subarray(values("actor"), { maxLength: 2 }), topic: fc.subarray(values("topic"), { maxLength: 1 }) }),
        fc.integer({ min: 1, max: 60 }),
        async (filters, limit) => {
          const params = new URLSearchParams({ limit: String(limit), sort: "-date" });
          for (const [name, list] of Object.entries(filters)) for (const value of list) params.append(name, value);
          const list = (await (await get(`/api/v1/events?${params}`)).json()) as { data: { id: string }[] };
          const { feed } = await feedAt(`/api/v1/events?${params}&format=atom`);
          expect(feed.items.map((item) => item.id)).toEqual(list.data.map((event) => `urn:backchannel:event:${event.id}`));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("is chosen by the Accept header too, named by its view, and bounded by `limit`", async () => {
    const { feed, xml } = await feedAt("/api/v1/events?actor=ali-larijani&limit=2", { accept: "application/atom+xml" });
    expect(feed.items).toHaveLength(2);
    expect(feed.title).toBe("Backchannel: events (actor: ali-larijani)");
    expect(xml).toContain("<id>urn:backchannel:events:actor=ali-larijani</id>");
    expect((await get("/api/v1/events?format=atom&limit=501")).status).toBe(400);
  });
});
