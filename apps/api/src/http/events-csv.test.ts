import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSnapshotFromDataset } from "@backchannel/dataset";
import { EVENT_COLUMNS, csvLine } from "@backchannel/dataset/csv";
import type { EventListItem } from "@backchannel/schema";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { apiOver, curatedApi } from "../../test/harness.js";
import { createApp } from "../app.js";
import { Snapshot } from "../store/snapshot.js";

/**
 * The events' CSV export streams the lines the build stored: each must be the row the column
 * definitions render from the event's list JSON, and valid RFC 4180 whatever the text holds.
 */
const curated = curatedApi();

/** Each event's stored list JSON beside its stored CSV line, in date order. */
const storedLines = (snapshot: Snapshot) =>
  snapshot.db.prepare("SELECT l.json, c.line FROM event_lists l JOIN event_csv c USING (event) ORDER BY l.event").all() as { json: string; line: string }[];

/** Text full of what CSV must quote: commas, double quotes, CR, LF and CRLF, beside letters; trimmed and non-empty, as the schema wants. */
const awkwardText = fc
  .string({ unit: fc.constantFrom(",", '"', "\r", "\n", "\r\n", " ", ";", "a", "é", "¶", "ع", "😀"), minLength: 1, maxLength: 60 })
  .map((text) => `«${text}»`);

/** RFC 4180's grammar (2.): records ended by CRLF, a field unquoted without quotes, commas, CR or LF, or quoted with its quotes doubled. */
const FIELD = '(?:[^",\\r\\n]*|"(?:[^"]|"")*")';
const RFC_4180 = new RegExp(`^(?:${FIELD}(?:,${FIELD})*\\r\\n)*$`);

describe("the events' stored CSV lines", () => {
  it("the curated snapshot: one per event, each the columns rendered from the event's list JSON", () => {
    const stored = storedLines(curated.snapshot);
    expect(stored).toHaveLength(curated.snapshot.meta.counts.events);
    for (const { json, line } of stored) expect(line).toBe(csvLine(JSON.parse(json) as EventListItem, EVENT_COLUMNS));
  });

  it("titles, summaries and date notes with commas, quotes and line breaks: stored as rendered, and the export parses back to the JSON pages (RFC 4180)", { timeout: 120_000 }, async () => {
    const { dataset } = curated;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ title: awkwardText, summary: awkwardText, note: fc.option(awkwardText, { nil: undefined }) }), { minLength: 1, maxLength: 6 }), async (texts) => {
        const events = dataset.events.map((event, i) => {
          const text = texts[i];
          if (!text) return event;
          const { note: _, ...date } = event.date;
          return { ...event, title: text.title, summary: text.summary, date: text.note === undefined ? date : { ...date, note: text.note } };
        });
        const { get, snapshot } = apiOver({ ...dataset, events });
        try {
          for (const { json, line } of storedLines(snapshot)) expect(line).toBe(csvLine(JSON.parse(json) as EventListItem, EVENT_COLUMNS));
          const paged: EventListItem[] = [];
          for (let cursor: string | null = ""; cursor !== null; ) {
            const page = (await (await get(`/api/v1/events?limit=500&sort=-title${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json()) as { data: EventListItem[]; page: { next: string | null } };
            paged.push(...page.data);
            cursor = page.page.next;
          }
          const csv = await (await get("/api/v1/events?format=csv&sort=-title")).text();
          // Parsers forgive (a bare CR in an unquoted field parses back); the grammar does not.
          expect(csv).toMatch(RFC_4180);
          const rows = parse(csv, { columns: true }) as Record<string, string>[];
          expect(rows.map((row) => [row.id, row.title, row.summary, row.date_note])).toEqual(paged.map((event) => [event.id, event.title, event.summary, event.date.note ?? ""]));
          for (const text of texts) expect(rows.some((row) => row.title === text.title && row.summary === text.summary)).toBe(true);
        } finally {
          snapshot.close();
        }
      }),
      { numRuns: 6 },
    );
  });

  it("over a snapshot built before they were stored, a CSV export is a 500 before the stream starts, not a file cut short", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "backchannel-csv-")), "snapshot.sqlite");
    buildSnapshotFromDataset(curated.dataset, file);
    const db = new Database(file);
    db.exec("DROP TABLE event_csv");
    db.close();
    // Opened without its checksum check, which the dropped table would fail: the layout of an older build.
    const snapshot = new Snapshot(file);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await createApp(snapshot).fetch(new Request("http://backchannel.test/api/v1/events?format=csv"));
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(logged.mock.calls.flat().map(String).join(" ")).toMatch(/no such table: event_csv/);
    } finally {
      logged.mockRestore();
      snapshot.close();
    }
  });
});
