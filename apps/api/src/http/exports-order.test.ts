import { EVENT_COLUMNS, csvHeader, csvLine } from "@backchannel/dataset/csv";
import { EVENT_SORTS, type EventListItem } from "@backchannel/schema";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "../store/snapshot.js";
import { syntheticApi } from "../../test/harness.js";

/**
 * Exports over a synthetic snapshot of some thousands of events, so they span many of the
 * store's batches: every event once, in the order of the JSON pages, in both directions.
 */
let snapshot: Snapshot;
let get: (path: string) => Promise<Response>;

beforeAll(async () => {
  ({ snapshot, get } = await syntheticApi({ events: 3_000, actors: 300, sources: 100, places: 50 }));
}, 180_000);
afterAll(() => snapshot.close());

/** Every event through the JSON pages, following the cursor. */
async function pagedEvents(query: string): Promise<EventListItem[]> {
  const events: EventListItem[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page = (await (await get(`/api/v1/events?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json()) as { data: EventListItem[]; page: { next: string | null } };
    events.push(...page.data);
    cursor = page.page.next;
  }
  return events;
}

const pagedIds = async (query: string) => (await pagedEvents(query)).map((event) => event.id);

/** The CSV the column definitions render from these events: what the export must be, byte for byte. */
const renderedCsv = (events: EventListItem[]) => `${csvHeader(EVENT_COLUMNS)}\r\n${events.map((event) => `${csvLine(event, EVENT_COLUMNS)}\r\n`).join("")}`;

describe("a streamed export of many batches", { timeout: 120_000 }, () => {
  for (const sort of EVENT_SORTS) {
    it(`holds every event once, in the JSON pages' order (sort=${sort})`, async () => {
      const events = await pagedEvents(`&sort=${sort}`);
      const paged = events.map((event) => event.id);
      expect(paged).toHaveLength(snapshot.meta.counts.events);
      const ndjson = (await (await get(`/api/v1/events?format=ndjson&sort=${sort}`)).text()).trimEnd().split("\n");
      expect(ndjson.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(paged);
      // The CSV is the build's stored lines: each must be its event's row as the columns render it now.
      const csv = await (await get(`/api/v1/events?format=csv&sort=${sort}`)).text();
      expect(csv).toBe(renderedCsv(events));
      const rows = parse(csv, { columns: true }) as { id: string; title: string }[];
      expect(rows.map((row) => [row.id, row.title])).toEqual(events.map((event) => [event.id, event.title]));
    });
  }

  it("stores every event's CSV line as the columns render it from the event's stored list JSON", () => {
    const stored = snapshot.db.prepare("SELECT l.json, c.line FROM event_lists l JOIN event_csv c USING (event) ORDER BY l.event").all() as { json: string; line: string }[];
    expect(stored).toHaveLength(snapshot.meta.counts.events);
    for (const { json, line } of stored) expect(line).toBe(csvLine(JSON.parse(json) as EventListItem, EVENT_COLUMNS));
  });

  it("filtered, holds the filter's events in date order", async () => {
    const first = (await (await get("/api/v1/events?limit=1")).json()) as { data: { type: string }[] };
    const type = first.data[0]!.type;
    const paged = await pagedIds(`&type=${type}`);
    expect(paged.length).toBeGreaterThan(0);
    const ndjson = (await (await get(`/api/v1/events?format=ndjson&type=${type}`)).text()).trimEnd().split("\n");
    expect(ndjson.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(paged);
  });

  for (const sort of EVENT_SORTS) {
    it(`filtered and sorted (sort=${sort}), the CSV rows are the JSON pages' events, with a BOM on bom=true`, async () => {
      const first = (await (await get("/api/v1/events?limit=1")).json()) as { data: EventListItem[] };
      const { type } = first.data[0]!;
      const topic = first.data[0]!.topics[0];
      const query = `&type=${type}${topic ? `&topic=${topic}` : ""}&sort=${sort}`;
      const events = await pagedEvents(query);
      expect(events.length).toBeGreaterThan(0);
      expect(await (await get(`/api/v1/events?format=csv${query}`)).text()).toBe(renderedCsv(events));
      // Decoded keeping the byte order mark, which a plain text() would drop.
      const marked = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await (await get(`/api/v1/events?format=csv&bom=true${query}`)).arrayBuffer());
      expect(marked).toBe(`\uFEFF${renderedCsv(events)}`);
    });
  }
});
