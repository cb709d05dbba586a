import type { Place, Source, SourceParagraph } from "@backchannel/schema";
import { NotFoundError } from "./errors.js";
import { asList, columnsIn, placeholders } from "./event-filters.js";
import type { EventStore } from "./events.js";
import type { PageInput, Row, SnapshotReader } from "./reader.js";

/** A source page lists at most this many paragraphs, and at most this many citing records under each. */
export const PARAGRAPH_INDEX_CAP = 2_000;
export const PARAGRAPH_CITERS_CAP = 100;

/** Sources (the articles) and places: lists, and one record with the events it supports or hosted. */
export class SourceAndPlaceStore {
  constructor(
    private readonly reader: SnapshotReader,
    private readonly events: EventStore,
  ) {}

  listSources(query: { q?: string | undefined } & PageInput) {
    const { where, params } = query.q ? this.reader.textMatch("s.id", "source", query.q) : { where: [], params: [] };
    return this.reader.keysetPage("sources s", "s.published", "s.id", where, params, query, "sources", (row) => ({
      ...(JSON.parse(row.doc as string) as Source),
      eventCount: row.event_count as number,
    }));
  }

  getSource(id: string) {
    const reader = this.reader;
    const row = reader.sql("SELECT doc, event_count FROM sources WHERE id = ?").get(id) as Row | undefined;
    if (!row) throw new NotFoundError("source", id);
    const source = JSON.parse(row.doc as string) as Source;
    return {
      ...source,
      eventCount: row.event_count as number,
      outletName: source.outlet.actor ? (reader.nameOf(source.outlet.actor) ?? null) : null,
      credited: source.credits.map((credit) => ({ id: credit.actor, name: reader.nameOf(credit.actor) ?? credit.actor, role: credit.role, paragraphs: credit.paragraphs })),
      paragraphIndex: this.paragraphIndex(source),
      events: this.events.where("e.rowid IN (SELECT event FROM event_sources WHERE source = ?)", [id]),
    };
  }

  /** Paragraphs 1…N of a source, each with the records that cite it: events first, then tenures. */
  private paragraphIndex(source: Source): SourceParagraph[] {
    const rows = this.reader.sql(
      `SELECT c.paragraph, c.kind, c.ref, c.post, c.quote, c.total,
              CASE c.kind WHEN 'event' THEN json_extract(e.doc, '$.title') ELSE a.name END AS label, p.title AS post_title
       FROM (SELECT *, row_number() OVER (PARTITION BY paragraph ORDER BY kind, ref, post) AS n, count(*) OVER (PARTITION BY paragraph) AS total
             FROM paragraph_citations WHERE source = ? AND paragraph <= ?) c
       LEFT JOIN events e ON c.kind = 'event' AND e.id = c.ref
       LEFT JOIN actors a ON c.kind = 'tenure' AND a.id = c.ref
       LEFT JOIN posts p ON p.id = c.post
       WHERE c.n <= ? ORDER BY c.paragraph, c.n`,
    ).all(source.id, PARAGRAPH_INDEX_CAP, PARAGRAPH_CITERS_CAP) as Row[];
    const index = Array.from({ length: Math.min(source.paragraphs, PARAGRAPH_INDEX_CAP) }, (_, i): SourceParagraph => ({ paragraph: i + 1, anchor: `p${i + 1}`, citedBy: [], citedByTotal: 0 }));
    for (const row of rows) {
      const entry = index[(row.paragraph as number) - 1];
      if (!entry) continue;
      entry.citedByTotal = row.total as number;
      entry.citedBy.push({
        kind: row.kind as "event" | "tenure",
        id: row.ref as string,
        label: (row.label as string | null) ?? (row.ref as string),
        ...(row.post ? { post: { id: row.post as string, title: (row.post_title as string | null) ?? (row.post as string) } } : {}),
        ...(row.quote ? { quote: row.quote as string } : {}),
      });
    }
    return index;
  }

  listPlaces(query: { q?: string | undefined; kind?: string | string[] | undefined; country?: string | string[] | undefined } & PageInput) {
    const { where, params } = columnsIn([
      ["p.kind", asList(query.kind)],
      ["p.country", asList(query.country)],
    ]);
    if (query.q) {
      const text = this.reader.textMatch("p.id", "place", query.q);
      where.push(...text.where);
      params.push(...text.params);
    }
    const from = "(SELECT places.*, (SELECT count(*) FROM event_places WHERE place = places.id) AS event_count FROM places) p";
    return this.reader.keysetPage(from, "p.name", "p.id", where, params, query, "places", (row) => ({
      ...(JSON.parse(row.doc as string) as Place),
      eventCount: row.event_count as number,
    }));
  }

  getPlace(id: string) {
    const place = this.reader.docOf<Place>("places", id);
    if (!place) throw new NotFoundError("place", id);
    // Events at the place or at any place within it (a palace within its city).
    const within = this.reader
      .sql("WITH RECURSIVE inner(id) AS (SELECT ? UNION SELECT p.id FROM places p JOIN inner ON json_extract(p.doc, '$.within') = inner.id) SELECT id FROM inner")
      .all(id) as { id: string }[];
    const ids = within.map((row) => row.id);
    const events = this.events.where(`e.rowid IN (SELECT event FROM event_places WHERE place IN (${placeholders(ids)}))`, ids);
    const eventCount = (this.reader.sql("SELECT count(*) AS n FROM event_places WHERE place = ?").get(id) as { n: number }).n;
    return { ...place, eventCount, events };
  }
}
