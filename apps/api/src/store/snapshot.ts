import Database from "better-sqlite3";
import { LRUCache } from "lru-cache";
import {
  codeEventType,
  earliestDay,
  latestDay,
  plural,
  precisionOf,
  vocabularyLabel,
  type Actor,
  type ActorsQuery,
  type Citation,
  type Event,
  type EventFilters,
  type EventListItem,
  type EventsQuery,
  type FacetsQuery,
  type Meta,
  type NetworkQuery,
  type Place,
  type Post,
  type PostsQuery,
  type SearchQuery,
  type Source,
  type SourceParagraph,
  type Sourcing,
  type TimelineQuery,
} from "@backchannel/schema";
import { decodeCursor, encodeCursor, type CursorScope } from "./cursor.js";
import { LONG_EVENT_DAYS } from "@backchannel/dataset/layout";
import { nameTokens } from "@backchannel/dataset/names";
import { snapshotDamage } from "@backchannel/dataset/verify";
import { BadRequestError, NotFoundError } from "./errors.js";
import { asList, columnsIn, eventFilterSql, placeholders, whereClause, type SqlFragment } from "./event-filters.js";
import { requireKnownIds } from "./known-ids.js";
import { actorSpellings, ftsQuery, matchActors, type Spelling } from "./search.js";

/** Counting stops here so that a page stays fast at a million rows (Datasette does the same). */
export const COUNT_CAP = 10_000;
/** Rows an export reads at a time. */
const EXPORT_BATCH = 100;
/** The network is drawn from at most this many matching events, the most recent. */
export const NETWORK_CAP = 5_000;
/** A source page lists at most this many paragraphs, and at most this many citing records under each. */
export const PARAGRAPH_INDEX_CAP = 2_000;
export const PARAGRAPH_CITERS_CAP = 100;
/** Facets count the values of at most this many matching events. */
export const FACET_CAP = 10_000;

const FACET_NAMES = ["type", "status", "year", "topic", "country", "actor", "place", "source"] as const;
type FacetName = (typeof FACET_NAMES)[number];
/** Facets whose chosen values are OR'ed: a click on one more value adds to the list. */
const ORED_FACETS = new Set<FacetName>(["type", "status", "topic", "country", "actor", "place", "source"]);

type Row = Record<string, unknown>;
type PageInput = { limit: number; cursor?: string | undefined };

/**
 * The read-only snapshot the API serves. Opening it reads only the metadata: no validation
 * and no scan, so start-up time does not grow with the data.
 */
export class Snapshot {
  readonly db: Database.Database;
  readonly meta: Meta;

  // Bounded: statements differ by the length of their IN lists, so their number is not.
  private readonly statements = new LRUCache<string, Database.Statement>({ max: 500 });

  /** Prepared statements are compiled once and reused: preparing costs more than most queries here. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** The statement cache, for helpers outside the class. */
  private readonly prepared = (text: string) => this.sql(text);

  constructor(readonly path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma("query_only = ON");
    this.db.pragma("mmap_size = 268435456");
    const rows = this.sql("SELECT key, value FROM meta").all() as { key: string; value: string }[];
    this.meta = Object.fromEntries(rows.map(({ key, value }) => [key, JSON.parse(value)])) as Meta;
  }

  close(): void {
    this.db.close();
  }

  /** Reads a row of every table (the search index's own included): the tables that fail, with why. */
  unreadableTables(): string[] {
    const failures: string[] = [];
    try {
      const tables = this.sql("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[];
      for (const { name } of tables) {
        try {
          this.sql(`SELECT * FROM "${name.replace(/"/g, '""')}" LIMIT 1`).get();
        } catch (error) {
          failures.push(`${name}: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      failures.push(`the schema: ${(error as Error).message}`);
    }
    return failures;
  }

  // ------------------------------------------------------------ events

  /** FTS MATCH text for `q`, each word widened to the other spellings of the actors it names. */
  private textQuery(q: string, spellings = actorSpellings(this.prepared, q)): string | undefined {
    return ftsQuery(q, spellings);
  }

  /** Rowids selected by a text query: the words in titles and summaries, or a participant's name. */
  private eventText = (q: string): SqlFragment => {
    const fts = this.textQuery(q);
    const actors = matchActors(this.prepared, q).map((match) => match.id);
    const parts: string[] = [];
    const params: unknown[] = [];
    if (fts) {
      parts.push("SELECT CAST(ref AS INTEGER) FROM search WHERE search MATCH ? AND kind = 'event'");
      params.push(fts);
    }
    if (actors.length) {
      parts.push(`SELECT event FROM participants WHERE actor IN (${placeholders(actors)})`);
      params.push(...actors);
    }
    return parts.length ? { where: [`e.rowid IN (${parts.join(" UNION ")})`], params } : { where: ["0"], params: [] };
  };

  private rowidBounds = (from: string | undefined, to: string | undefined) => {
    const hi = to
      ? ((this.sql("SELECT rowid AS r FROM events WHERE first_day <= ? ORDER BY first_day DESC, rowid DESC LIMIT 1").get(to) as { r: number } | undefined)?.r ?? 0)
      : Number.MAX_SAFE_INTEGER;
    if (!from) return { lo: 0, hi };
    // Short events that reach `from` start at most LONG_EVENT_DAYS before it; long ones are listed apart.
    const reach = new Date(Date.parse(from) - LONG_EVENT_DAYS * 86_400_000).toISOString().slice(0, 10);
    const short = (this.sql("SELECT rowid AS r FROM events WHERE first_day >= ? ORDER BY first_day, rowid LIMIT 1").get(reach) as { r: number } | undefined)?.r;
    const long = (this.sql("SELECT min(event) AS r FROM long_events WHERE last_day >= ?").get(from) as { r: number | null }).r;
    const lo = Math.min(short ?? Number.MAX_SAFE_INTEGER, long ?? Number.MAX_SAFE_INTEGER);
    return { lo, hi };
  };

  private filterEvents(filters: EventFilters, purpose: "page" | "aggregate" = "page"): SqlFragment {
    requireKnownIds(this.prepared, filters);
    return eventFilterSql(filters, { matchText: this.eventText, rowidBounds: this.rowidBounds }, purpose);
  }

  private count(fromWhere: string, params: unknown[]): { total: number; totalExact: boolean } {
    const row = this.sql(`SELECT count(*) AS n FROM (SELECT 1 ${fromWhere} LIMIT ${COUNT_CAP + 1})`).get(...params) as { n: number };
    return row.n > COUNT_CAP ? { total: COUNT_CAP, totalExact: false } : { total: row.n, totalExact: true };
  }

  /**
   * Actors' names and kinds by id, kept across requests (bounded): an export of a million events
   * meets the same actors page after page, and asking SQLite again for each page cost most of its time.
   */
  private readonly actorNames = new LRUCache<string, { name: string; kind: Actor["kind"] }>({ max: 100_000 });

  /** Adds participants' names and kinds, the date precision and the CAMEO coding to stored events. */
  private hydrate(docs: string[]): EventListItem[] {
    // The builder stores each event with its sourcing counted.
    const events = docs.map((doc) => JSON.parse(doc) as Event & { sourcing: Sourcing });
    const actors = this.actorNames;
    const missing = [...new Set(events.flatMap((event) => event.participants.map((participant) => participant.actor)))].filter((id) => !actors.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      for (const row of this.sql(`SELECT id, name, kind FROM actors WHERE id IN (${placeholders(chunk)})`).all(...chunk) as Row[]) {
        actors.set(row.id as string, { name: row.name as string, kind: row.kind as Actor["kind"] });
      }
    }
    return events.map((event) => ({
      ...event,
      participants: event.participants.map((participant) => ({
        ...participant,
        name: actors.get(participant.actor)?.name ?? participant.actor,
        kind: actors.get(participant.actor)?.kind ?? "organisation",
      })),
      precision: precisionOf(event.date.start),
      coding: codeEventType(event.type),
    }));
  }

  /** What a cursor of `list` is bound to: this dataset version and the query. */
  private scope(list: string, query: object): CursorScope {
    return { list, version: this.meta.datasetVersion, query };
  }

  listEvents(query: EventsQuery & PageInput) {
    const descending = query.sort === "-date";
    const filter = this.filterEvents(query);
    const scope = this.scope(`events:${query.sort}`, query);
    // The cursor carries only the last rowid served; total and position are counted here.
    const after = decodeCursor(query.cursor, scope, 1)?.[0];
    if (after !== undefined && !Number.isSafeInteger(after)) throw new BadRequestError("invalid cursor", [{ path: "cursor", message: "not a cursor this list produced" }]);
    const rows = this.eventRows(filter, descending, after as number | undefined, query.limit + 1);
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    /** Matching rows, or those up to and including `through` in the list's order. */
    const countMatching = (through?: number) => {
      const upTo = through === undefined ? undefined : `${descending ? ">=" : "<="} ?`;
      const bound = through === undefined ? [] : [through];
      return filter.countOnly
        ? this.count(`FROM (${filter.countOnly.sql}) m ${upTo ? `WHERE m.event ${upTo}` : ""}`, [...filter.countOnly.params, ...bound])
        : this.count(`FROM events e ${whereClause(filter, upTo ? [`e.rowid ${upTo}`] : [])}`, [...filter.params, ...bound]);
    };
    const counted = countMatching();
    // Rows before this page: those up to and including the last one the previous page served.
    const before = after === undefined ? { total: 0, totalExact: true } : countMatching(after as number);
    return {
      data: this.hydrate(page.map((row) => row.doc as string)),
      page: {
        next: more && last ? encodeCursor(scope, [last.r as number]) : null,
        offset: before.total,
        offsetExact: before.totalExact,
        ...counted,
      },
    };
  }

  /** Up to `limit` matching rows in date order (or its reverse), after the rowid `after`. */
  private eventRows(filter: SqlFragment, descending: boolean, after: number | undefined, limit: number): Row[] {
    const keyset = after !== undefined ? [`e.rowid ${descending ? "<" : ">"} ?`] : [];
    return this.sql(`SELECT e.rowid AS r, e.doc FROM events e ${whereClause(filter, keyset)} ORDER BY e.rowid ${descending ? "DESC" : "ASC"} LIMIT ?`).all(
      ...filter.params,
      ...(after !== undefined ? [after] : []),
      limit,
    ) as Row[];
  }

  /** Every matching event in order, a batch at a time, uncounted: for CSV, NDJSON and GeoJSON exports. */
  allEvents(query: EventsQuery): Generator<EventListItem> {
    // Checked now, while an unknown id can still be a 400 rather than a stream cut short.
    requireKnownIds(this.prepared, query);
    return this.eachEvent(query);
  }

  private *eachEvent(query: EventsQuery): Generator<EventListItem> {
    const filter = this.filterEvents(query);
    let after: number | undefined;
    for (;;) {
      // Small batches: each is one synchronous stretch of work between an export's turns.
      const rows = this.eventRows(filter, query.sort === "-date", after, EXPORT_BATCH);
      yield* this.hydrate(rows.map((row) => row.doc as string));
      if (rows.length < EXPORT_BATCH) return;
      after = rows.at(-1)!.r as number;
    }
  }

  private eventRow(id: string): { doc: string } {
    const row = this.sql("SELECT doc FROM events WHERE id = ?").get(id) as { doc: string } | undefined;
    if (!row) throw new NotFoundError("event", id);
    return row;
  }

  getEvent(id: string) {
    const { doc } = this.eventRow(id);
    const [event] = this.hydrate([doc]);
    const places = event!.places.map((place) => this.docOf<Place>("places", place)).filter((place): place is Place => place !== undefined);
    const citations = this.citationViews(event!.citations);
    const summary = (row: Row) => {
      const other = JSON.parse(row.doc as string) as Event;
      return { id: other.id, title: other.title, date: other.date, type: other.type };
    };
    // An event is not its own relative: a relation back to itself is left out.
    const outgoing = event!.relations.flatMap((relation) => {
      if (relation.event === event!.id) return [];
      const row = this.sql("SELECT doc FROM events WHERE id = ?").get(relation.event) as Row | undefined;
      return row ? [{ type: relation.type, direction: "outgoing" as const, ...(relation.note ? { note: relation.note } : {}), event: summary(row) }] : [];
    });
    const incoming = (
      this.sql("SELECT r.type, e.doc FROM relations r JOIN events e ON e.rowid = r.event WHERE r.target = ? AND e.id <> r.target ORDER BY e.rowid").all(event!.id) as Row[]
    ).map((row) => {
      const other = JSON.parse(row.doc as string) as Event;
      const note = other.relations.find((relation) => relation.event === event!.id && relation.type === row.type)?.note;
      return { type: row.type as Event["relations"][number]["type"], direction: "incoming" as const, ...(note ? { note } : {}), event: summary(row) };
    });
    const participants = event!.participants.map((participant) => {
      const post = participant.post ? this.docOf<Post>("posts", participant.post) : undefined;
      return post ? { ...participant, postTitle: post.title } : participant;
    });
    return { ...event!, participants, placeDetails: places, citations, related: [...outgoing, ...incoming] };
  }

  // ------------------------------------------------------------ shared helpers

  /** Citations with their source's metadata, the credited agency's name and each speaker's. */
  private citationViews(citations: Citation[]) {
    const sources = new Map<string, Source>();
    return citations.map(({ quotes, ...citation }) => {
      const source = sources.get(citation.source) ?? this.docOf<Source>("sources", citation.source)!;
      sources.set(citation.source, source);
      return {
        ...citation,
        ...(quotes ? { quotes: quotes.map((quote) => ({ ...quote, speakerName: this.nameOf(quote.speaker) ?? quote.speaker })) } : {}),
        sourceInfo: this.sourceRef(source),
        agencyName: citation.agency ? (this.nameOf(citation.agency) ?? citation.agency) : null,
      };
    });
  }

  private readonly coordinates = new Map<string, { id: string; name: string; latitude: number; longitude: number } | undefined>();

  /** A place's name and coordinates, remembered: exports ask for the same few places again and again. */
  placeCoordinates(id: string) {
    if (!this.coordinates.has(id)) {
      const row = this.sql("SELECT id, name, latitude, longitude FROM places WHERE id = ?").get(id) as
        | { id: string; name: string; latitude: number; longitude: number }
        | undefined;
      this.coordinates.set(id, row);
    }
    return this.coordinates.get(id);
  }

  private docOf<T>(table: "places" | "actors" | "sources" | "posts", id: string): T | undefined {
    const row = this.sql(`SELECT doc FROM ${table} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  private nameOf(actorId: string): string | undefined {
    return (this.sql("SELECT name FROM actors WHERE id = ?").get(actorId) as { name: string } | undefined)?.name;
  }

  private sourceRef(source: Source) {
    return {
      id: source.id,
      ...(source.title ? { title: source.title } : {}),
      description: source.description,
      kind: source.kind,
      published: source.published,
      outlet: {
        id: source.outlet.actor ?? null,
        name: source.outlet.actor ? (this.nameOf(source.outlet.actor) ?? source.outlet.actor) : null,
        basis: source.outlet.basis,
      },
    };
  }

  /** `column IN` the records of `kind` whose names or text match `q`; nothing when `q` leaves no words. */
  private textMatch(column: string, kind: "actor" | "source" | "place", q: string): SqlFragment {
    const fts = this.textQuery(q);
    return fts ? { where: [`${column} IN (SELECT ref FROM search WHERE search MATCH ? AND kind = '${kind}')`], params: [fts] } : { where: ["0"], params: [] };
  }

  private eventsWhere(sql: string, params: unknown[], limit = 500): EventListItem[] {
    const rows = this.sql(`SELECT e.doc FROM events e WHERE ${sql} ORDER BY e.rowid LIMIT ?`).all(...params, limit) as Row[];
    return this.hydrate(rows.map((row) => row.doc as string));
  }

  // ------------------------------------------------------------ actors

  listActors(query: ActorsQuery & PageInput) {
    const { where, params } = columnsIn([
      ["a.kind", asList(query.kind)],
      ["a.country", asList(query.country)],
    ]);
    if (query.q) {
      const ids = matchActors(this.prepared, query.q, 5000).map((match) => match.id);
      const text = this.textMatch("a.id", "actor", query.q);
      where.push(`(a.id IN (${placeholders(ids)}) OR ${text.where.join(" AND ")})`);
      params.push(...ids, ...text.params);
    }
    return this.keysetPage("actors a", "a.name", "a.id", where, params, query, "actors", (row) => {
      const actor = JSON.parse(row.doc as string) as Actor;
      return {
        id: actor.id,
        kind: actor.kind,
        name: actor.name,
        ...(actor.country ? { country: actor.country } : {}),
        description: actor.description,
        aliases: actor.aliases.map((alias) => alias.name),
        eventCount: row.event_count as number,
      };
    });
  }

  private keysetPage<T>(
    from: string,
    sortColumn: string,
    idColumn: string,
    where: string[],
    params: unknown[],
    query: PageInput,
    list: string,
    map: (row: Row) => T,
  ) {
    const scope = this.scope(list, query);
    const after = decodeCursor(query.cursor, scope, 2);
    const keyset = after ? [`(${sortColumn}, ${idColumn}) > (?, ?)`] : [];
    const all = [...where, ...keyset];
    const rows = this.sql(`SELECT *, ${sortColumn} AS sort_key FROM ${from} ${all.length ? `WHERE ${all.join(" AND ")}` : ""} ORDER BY ${sortColumn}, ${idColumn} LIMIT ?`)
      .all(...params, ...(after ?? []), query.limit + 1) as Row[];
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map(map),
      page: {
        next: more && last ? encodeCursor(scope, [last.sort_key as string, last.id as string]) : null,
        ...this.offset(from, where, params, after ? [`(${sortColumn}, ${idColumn}) <= (?, ?)`] : undefined, after),
        ...this.count(`FROM ${from} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}`, params),
      },
    };
  }

  /** Rows of a keyset list before the cursor's position: counted, never read from the cursor. */
  private offset(from: string, where: string[], params: unknown[], before: string[] | undefined, after: unknown[] | undefined) {
    if (!before || !after) return { offset: 0, offsetExact: true };
    const all = [...where, ...before];
    const { total, totalExact } = this.count(`FROM ${from} WHERE ${all.join(" AND ")}`, [...params, ...after]);
    return { offset: total, offsetExact: totalExact };
  }

  getActor(id: string, page: PageInput) {
    const row = this.sql("SELECT doc, event_count FROM actors WHERE id = ?").get(id) as Row | undefined;
    if (!row) throw new NotFoundError("actor", id);
    const actor = JSON.parse(row.doc as string) as Actor;
    const positions = actor.positions.map((position) => {
      const post = this.docOf<Post>("posts", position.post);
      return { ...position, postTitle: post?.title ?? position.post, organisation: post?.organisation ?? "" };
    });
    const counterparts = (
      this.sql(
          `SELECT a.id, a.name, a.kind, count(DISTINCT other.event) AS shared
           FROM participants mine JOIN participants other ON other.event = mine.event AND other.actor <> mine.actor
           JOIN actors a ON a.id = other.actor
           WHERE mine.actor = ? GROUP BY a.id ORDER BY shared DESC, a.name LIMIT 50`,
        )
        .all(id) as Row[]
    ).map((other) => ({ id: other.id as string, name: other.name as string, kind: other.kind as Actor["kind"], sharedEvents: other.shared as number }));
    const events = this.listEvents({ actor: id, sort: "date", limit: page.limit, cursor: page.cursor });
    return { ...actor, positions, eventCount: row.event_count as number, events, counterparts };
  }

  // ------------------------------------------------------------ posts (offices)

  /** Every tenure of a post, the latest first; with `on`, only those that may cover that day. */
  private holdersOf(post: string, on: string | undefined) {
    const actors = (this.sql("SELECT DISTINCT actor FROM positions WHERE post = ?").all(post) as { actor: string }[]).map((row) => row.actor);
    const holders = actors.flatMap((id) => {
      const actor = this.docOf<Actor>("actors", id);
      if (!actor) return [];
      return actor.positions
        .filter((position) => position.post === post)
        .flatMap(({ post: _post, citations, ...tenure }) => {
          const held = on === undefined ? undefined : tenureOn(tenure, on);
          if (held === null) return [];
          return [{ ...tenure, actor: actor.id, name: actor.name, kind: actor.kind, ...(held === undefined ? {} : { certain: held }), citations }];
        });
    });
    const key = (holder: { start?: string | undefined; end?: string | undefined }) => (holder.start ? earliestDay(holder.start) : holder.end ? earliestDay(holder.end) : "");
    return holders.sort((a, b) => key(b).localeCompare(key(a)) || a.name.localeCompare(b.name));
  }

  listPosts(query: PostsQuery & PageInput) {
    const where = query.q ? ["instr(lower(p.title), lower(?)) > 0"] : [];
    const params = query.q ? [query.q] : [];
    return this.keysetPage("posts p", "p.title", "p.id", where, params, query, `posts:${query.on ?? ""}`, (row) => {
      const post = JSON.parse(row.doc as string) as Post;
      const holders = this.holdersOf(post.id, query.on);
      return {
        ...post,
        organisationName: this.nameOf(post.organisation) ?? post.organisation,
        tenureCount: (this.sql("SELECT count(*) AS n FROM positions WHERE post = ?").get(post.id) as { n: number }).n,
        holders: holders.slice(0, 20).map(({ citations: _citations, ...holder }) => holder),
      };
    });
  }

  getPost(id: string, on: string | undefined) {
    const post = this.docOf<Post>("posts", id);
    if (!post) throw new NotFoundError("post", id);
    const holders = this.holdersOf(id, on).map((holder) => ({ ...holder, citations: this.citationViews(holder.citations) }));
    return { ...post, organisationName: this.nameOf(post.organisation) ?? post.organisation, ...(on ? { on } : {}), holders };
  }

  // ------------------------------------------------------------ sources and places

  listSources(query: { q?: string | undefined } & PageInput) {
    const { where, params } = query.q ? this.textMatch("s.id", "source", query.q) : { where: [], params: [] };
    return this.keysetPage("sources s", "s.published", "s.id", where, params, query, "sources", (row) => ({
      ...(JSON.parse(row.doc as string) as Source),
      eventCount: row.event_count as number,
    }));
  }

  getSource(id: string) {
    const row = this.sql("SELECT doc, event_count FROM sources WHERE id = ?").get(id) as Row | undefined;
    if (!row) throw new NotFoundError("source", id);
    const source = JSON.parse(row.doc as string) as Source;
    return {
      ...source,
      eventCount: row.event_count as number,
      outletName: source.outlet.actor ? (this.nameOf(source.outlet.actor) ?? null) : null,
      credited: source.credits.map((credit) => ({ id: credit.actor, name: this.nameOf(credit.actor) ?? credit.actor, role: credit.role, paragraphs: credit.paragraphs })),
      paragraphIndex: this.paragraphIndex(source),
      events: this.eventsWhere("e.rowid IN (SELECT event FROM event_sources WHERE source = ?)", [id]),
    };
  }

  /** Paragraphs 1…N of a source, each with the records that cite it: events first, then tenures. */
  private paragraphIndex(source: Source): SourceParagraph[] {
    const rows = this.sql(
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
      const text = this.textMatch("p.id", "place", query.q);
      where.push(...text.where);
      params.push(...text.params);
    }
    const from = "(SELECT places.*, (SELECT count(*) FROM event_places WHERE place = places.id) AS event_count FROM places) p";
    return this.keysetPage(from, "p.name", "p.id", where, params, query, "places", (row) => ({
      ...(JSON.parse(row.doc as string) as Place),
      eventCount: row.event_count as number,
    }));
  }

  getPlace(id: string) {
    const place = this.docOf<Place>("places", id);
    if (!place) throw new NotFoundError("place", id);
    // Events at the place or at any place within it (a palace within its city).
    const within = this.sql("WITH RECURSIVE inner(id) AS (SELECT ? UNION SELECT p.id FROM places p JOIN inner ON json_extract(p.doc, '$.within') = inner.id) SELECT id FROM inner")
      .all(id) as { id: string }[];
    const ids = within.map((row) => row.id);
    const events = this.eventsWhere(`e.rowid IN (SELECT event FROM event_places WHERE place IN (${placeholders(ids)}))`, ids);
    const eventCount = (this.sql("SELECT count(*) AS n FROM event_places WHERE place = ?").get(id) as { n: number }).n;
    return { ...place, eventCount, events };
  }

  // ------------------------------------------------------------ search, timeline, network

  search(query: SearchQuery) {
    const kinds = new Set(asList(query.kind).length ? asList(query.kind) : ["actor", "event", "source", "place"]);
    const hits: { kind: "actor" | "event" | "source" | "place"; id: string; label: string; detail: string; matched: string; score: number }[] = [];
    if (kinds.has("actor")) {
      const matches = matchActors(this.prepared, query.q, query.limit);
      for (const match of matches) {
        const row = this.sql("SELECT doc, event_count FROM actors WHERE id = ?").get(match.id) as Row;
        const actor = JSON.parse(row.doc as string) as Actor;
        const names = [actor.name, ...actor.aliases.map((alias) => alias.name)];
        hits.push({
          kind: "actor",
          id: actor.id,
          label: actor.name,
          detail: `${vocabularyLabel("actorKind", actor.kind)}${actor.country ? ` · ${actor.country}` : ""} · ${plural(row.event_count as number, "event")}`,
          matched: bestName(names, query.q),
          score: match.strength + Math.min(0.09, Math.log10(1 + (row.event_count as number)) / 30),
        });
      }
    }
    const spellings = actorSpellings(this.prepared, query.q);
    const fts = this.textQuery(query.q, spellings);
    if (fts) {
      // Relevance: BM25 with a name or title worth ten words of body text, a type or topic five.
      const rows = this.sql(`SELECT kind, ref, name, bm25(search, 0, 0, 10, 1, 5) AS rank FROM search WHERE search MATCH ? ORDER BY rank LIMIT ?`).all(fts, query.limit * 4) as Row[];
      for (const row of rows) {
        const kind = row.kind as "actor" | "event" | "source" | "place";
        if (!kinds.has(kind) || kind === "actor") continue;
        // BM25 is negative, better the lower: map it into (0, 0.6), below any actor matched by name, keeping its order.
        const relevance = Math.max(0, -(row.rank as number));
        const score = (0.6 * relevance) / (1 + relevance);
        if (kind === "event") {
          const event = JSON.parse((this.sql("SELECT doc FROM events WHERE rowid = ?").get(Number(row.ref)) as Row).doc as string) as Event;
          const matched = spellingFound(spellings, `${event.title} ${event.summary}`) ?? "title, summary, type or topics";
          hits.push({ kind, id: event.id, label: event.title, detail: `${event.date.start} · ${codeEventType(event.type).label}`, matched, score });
        } else if (kind === "source") {
          const source = this.docOf<Source>("sources", row.ref as string)!;
          const matched = spellingFound(spellings, `${source.title ?? ""} ${source.description}`) ?? "title or description";
          hits.push({ kind, id: source.id, label: source.title ?? source.description, detail: `published ${source.published.date}`, matched, score });
        } else {
          const place = this.docOf<Place>("places", row.ref as string)!;
          hits.push({ kind, id: place.id, label: place.name, detail: `${vocabularyLabel("placeKind", place.kind)}${place.country ? ` · ${place.country}` : ""}`, matched: bestName([place.name, ...place.aliases], query.q), score });
        }
      }
    }
    hits.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
    return { query: query.q, data: hits.slice(0, query.limit) };
  }

  timeline(query: TimelineQuery) {
    const width = query.bucket === "year" ? 4 : 7;
    // Filtered by nothing but type and status: read the monthly counts made at build time.
    const onlyCoded = (["q", "actor", "country", "place", "topic", "source", "minSources", "from", "to"] as const).every((key) => query[key] === undefined);
    let rows: Row[];
    if (onlyCoded) {
      const coded = columnsIn([
        ["type", asList(query.type)],
        ["status", asList(query.status)],
      ]);
      rows = this.sql(
        `SELECT substr(month, 1, ${width}) AS bucket, quad, sum(n) AS n, sum(goldstein_sum) AS g FROM timeline_counts
         ${whereClause(coded)} GROUP BY bucket, quad ORDER BY bucket`,
      ).all(...coded.params) as Row[];
    } else {
      const filter = this.filterEvents(query, "aggregate");
      rows = this.sql(
        `SELECT substr(e.start_month, 1, ${width}) AS bucket, e.quad AS quad, count(*) AS n, sum(e.goldstein) AS g
         FROM events e ${whereClause(filter)} GROUP BY bucket, quad ORDER BY bucket`,
      ).all(...filter.params) as Row[];
    }
    const buckets = new Map<string, { bucket: string; count: number; byQuadClass: Record<"1" | "2" | "3" | "4" | "uncoded", number>; sum: number; coded: number }>();
    for (const row of rows) {
      const key = row.bucket as string;
      const bucket = buckets.get(key) ?? { bucket: key, count: 0, byQuadClass: { "1": 0, "2": 0, "3": 0, "4": 0, uncoded: 0 }, sum: 0, coded: 0 };
      const n = row.n as number;
      bucket.count += n;
      if (row.quad === null) bucket.byQuadClass.uncoded += n;
      else {
        bucket.byQuadClass[String(row.quad) as "1"] += n;
        bucket.sum += row.g as number;
        bucket.coded += n;
      }
      buckets.set(key, bucket);
    }
    return {
      bucket: query.bucket,
      data: [...buckets.values()].map(({ sum, coded, ...bucket }) => ({ ...bucket, meanGoldstein: coded ? Math.round((sum / coded) * 100) / 100 : null })),
    };
  }

  /**
   * Disjunctive facets (as Elasticsearch and Algolia count them): the counts of each facet are
   * taken over the events matching every filter except that facet's own, and the number beside a
   * value is the `total` of the list its click gives. With nothing chosen in a facet, a click
   * chooses the value; where values are already chosen, a click adds one (values of a facet are
   * OR'ed), so an unchosen value counts the current total plus the events that have it and none of
   * the chosen ones; a chosen value counts its own events. The year facet's own filter is
   * `from`/`to`, and a year counts every event whose span overlaps it (the rule of `from=Y&to=Y`).
   * Actors under `actorMode=all` are the exception: choosing one more narrows the list, so their
   * counts are taken with the actor filter kept.
   */
  facets(query: FacetsQuery) {
    const own: Record<FacetName, (keyof EventFilters)[]> = {
      type: ["type"],
      status: ["status"],
      year: ["from", "to"],
      topic: ["topic"],
      country: ["country"],
      actor: query.actorMode === "all" ? [] : ["actor"],
      place: ["place"],
      source: ["source"],
    };
    // Facets whose own filter is not set count over the same events: one statement for them all,
    // and one more for each facet with a filter of its own.
    const groups = new Map<string, FacetName[]>([["", []]]);
    for (const name of FACET_NAMES) {
      const dropped = own[name].filter((key) => query[key] !== undefined);
      const key = dropped.join(",");
      groups.set(key, [...(groups.get(key) ?? []), name]);
    }
    const found = new Map<FacetName, { value: string; label: string | null; count: number }[]>();
    /** What a click on an unchosen value adds: events with it and none of the values chosen in its facet. */
    const added = new Map<FacetName, { chosen: string[]; adds: Map<string, number> }>();
    let base = { counted: 0, exact: true };
    let exact = true;
    for (const [key, names] of groups) {
      const filters: FacetsQuery = { ...query };
      for (const dropped of key ? (key.split(",") as (keyof EventFilters)[]) : []) delete filters[dropped];
      const result = this.countFacets(filters, names, query.size);
      for (const [name, values] of result.facets) found.set(name, values);
      exact &&= result.counted < FACET_CAP;
      if (key === "") base = { counted: result.counted, exact: result.counted < FACET_CAP };
      for (const name of names) {
        const chosen = ORED_FACETS.has(name) && !(name === "actor" && query.actorMode === "all") ? asList(query[name as keyof EventFilters] as string | string[] | undefined) : [];
        if (chosen.length === 0) continue;
        const none = eventFilterSql({ [name]: chosen } as EventFilters, { matchText: this.eventText, rowidBounds: this.rowidBounds }, "aggregate");
        const extra = this.countFacets(filters, [name], query.size, none);
        exact &&= extra.counted < FACET_CAP;
        added.set(name, { chosen, adds: new Map((extra.facets.get(name) ?? []).map((row) => [row.value, row.count])) });
      }
    }
    const filter = this.filterEvents(query);
    const { total, totalExact } = base.exact ? { total: base.counted, totalExact: true } : this.count(`FROM events e ${whereClause(filter)}`, filter.params);
    for (const [name, { chosen, adds }] of added) {
      found.set(name, (found.get(name) ?? []).map((row) => (chosen.includes(row.value) ? row : { ...row, count: total + (adds.get(row.value) ?? 0) })));
    }
    const facet = (name: FacetName) => (found.get(name) ?? []).map((row) => ({ value: row.value, label: row.label ?? row.value, count: row.count }));
    return {
      total,
      totalExact,
      counted: base.counted,
      exact,
      facets: {
        // Types read as their codebook labels ("Mediated talks"), not slugs.
        type: facet("type").map((item) => ({ ...item, label: codeEventType(item.value as Event["type"]).label })),
        status: facet("status"),
        year: facet("year"),
        topic: facet("topic"),
        country: facet("country"),
        actor: facet("actor"),
        place: facet("place"),
        source: facet("source"),
      },
    };
  }

  /** The latest year an open-ended event (`…` to 9999) is counted in: the last year any event starts. */
  private get lastYear(): number {
    this.latestStart ??= Number(((this.sql("SELECT max(first_day) AS d FROM events").get() as { d: string | null }).d ?? "0").slice(0, 4));
    return this.latestStart;
  }
  private latestStart: number | undefined;

  /** One statement: the first FACET_CAP events matching `filters` (date order), materialised once, and the counts of `names` over them. */
  private countFacets(filters: FacetsQuery, names: FacetName[], size: number, without?: SqlFragment) {
    const matching = this.filterEvents(filters);
    // `without`: leave out the events it matches (those a click would not add).
    const filter: SqlFragment = without
      ? { where: [...matching.where, `NOT (${without.where.join(" AND ")})`], params: [...matching.params, ...without.params] }
      : matching;
    const lastYear = this.lastYear;
    const ctes = [
      `chosen AS MATERIALIZED (SELECT e.rowid AS event, e.type, e.status, CAST(substr(e.first_day, 1, 4) AS INTEGER) AS first_year,
         min(CAST(substr(e.last_day, 1, 4) AS INTEGER), max(${lastYear}, CAST(substr(e.first_day, 1, 4) AS INTEGER))) AS last_year
         FROM events e ${whereClause(filter)} ORDER BY e.rowid LIMIT ${FACET_CAP})`,
    ];
    if (names.includes("year")) {
      ctes.push(
        "bounds AS (SELECT min(first_year) AS lo, max(last_year) AS hi FROM chosen)",
        "years(y) AS (SELECT lo FROM bounds WHERE lo IS NOT NULL UNION ALL SELECT y + 1 FROM years, bounds WHERE y < hi)",
      );
    }
    // CROSS JOIN keeps the matching events as the outer loop: each probes its side table's index.
    const side = (table: string, column: string, label = "NULL") =>
      `SELECT x.${column} AS value, ${label} AS label, count(*) AS count FROM chosen c CROSS JOIN ${table} x ON x.event = c.event GROUP BY x.${column}`;
    const parts: Record<FacetName, string> = {
      type: "SELECT type AS value, NULL AS label, count(*) AS count FROM chosen GROUP BY type",
      status: "SELECT status AS value, NULL AS label, count(*) AS count FROM chosen GROUP BY status",
      // An event counts in every year its span overlaps, as `from=Y&to=Y` selects it.
      year: "SELECT CAST(y.y AS TEXT) AS value, NULL AS label, count(*) AS count FROM years y JOIN chosen c ON c.first_year <= y.y AND c.last_year >= y.y GROUP BY y.y",
      topic: side("event_topics", "topic"),
      country: side("event_countries", "country"),
      actor: side("participants", "actor", "(SELECT name FROM actors WHERE id = x.actor)"),
      place: side("event_places", "place", "(SELECT name FROM places WHERE id = x.place)"),
      source: side("event_sources", "source", "(SELECT coalesce(json_extract(doc, '$.title'), json_extract(doc, '$.description')) FROM sources WHERE id = x.source)"),
    };
    const union = [
      ...names.map((name) => `SELECT '${name}' AS facet, * FROM (${parts[name]} ORDER BY count DESC, value LIMIT ${size})`),
      "SELECT 'counted', NULL, NULL, count(*) FROM chosen",
    ].join(" UNION ALL ");
    const rows = this.sql(`WITH RECURSIVE ${ctes.join(", ")} ${union}`).all(...filter.params) as { facet: string; value: string; label: string | null; count: number }[];
    const facets = new Map<FacetName, { value: string; label: string | null; count: number }[]>(
      names.map((name) => [
        name,
        rows.filter((row) => row.facet === name).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
      ]),
    );
    return { counted: rows.find((row) => row.facet === "counted")!.count, facets };
  }

  /**
   * Actors linked by the events they share. Built from the most recent NETWORK_CAP matching
   * events, so one request cannot hold the server for long at a million events; `exact` says
   * whether that was all of them.
   */
  network(query: NetworkQuery) {
    const filter = this.filterEvents(query);
    const chosen = `WITH chosen AS MATERIALIZED (SELECT e.rowid AS event FROM events e ${whereClause(filter)} ORDER BY e.rowid DESC LIMIT ${NETWORK_CAP})`;
    const counted = (this.sql(`${chosen} SELECT count(*) AS n FROM chosen`).get(...filter.params) as { n: number }).n;
    // CROSS JOIN keeps the chosen events as the outer loop, each probing participants by event.
    const edges = (
      this.sql(
        `${chosen}
         SELECT a.actor AS source, b.actor AS target, count(DISTINCT a.event) AS weight
         FROM chosen c CROSS JOIN participants a ON a.event = c.event CROSS JOIN participants b ON b.event = c.event AND a.actor < b.actor
         GROUP BY a.actor, b.actor ORDER BY weight DESC, source, target LIMIT ?`,
      ).all(...filter.params, query.limit) as Row[]
    ).map((row) => ({ source: row.source as string, target: row.target as string, weight: row.weight as number }));
    const ids = [...new Set(edges.flatMap((edge) => [edge.source, edge.target]))];
    const nodes = ids.length
      ? (
          this.sql(
            `${chosen}
             SELECT a.id, a.name, a.kind, a.country, count(DISTINCT p.event) AS events
             FROM chosen c CROSS JOIN participants p ON p.event = c.event JOIN actors a ON a.id = p.actor
             WHERE p.actor IN (${placeholders(ids)}) GROUP BY a.id ORDER BY events DESC, a.name`,
          ).all(...filter.params, ...ids) as Row[]
        ).map((row) => ({ id: row.id as string, name: row.name as string, kind: row.kind as Actor["kind"], country: (row.country as string | null) ?? null, events: row.events as number }))
      : [];
    return { counted, exact: counted < NETWORK_CAP, nodes, edges };
  }
}

/**
 * Says which other spelling of a typed name a text holds (`"Araghchi" for "Araqchi"`), when it
 * was found by that spelling rather than as typed; undefined otherwise.
 */
function spellingFound(spellings: Spelling[], text: string): string | undefined {
  const words = new Set(nameTokens(text));
  const found = spellings.flatMap(({ typed, spellings: others }) => {
    if ([...words].some((word) => word.startsWith(typed))) return [];
    const other = others.find((spelling) => spelling !== typed && words.has(spelling));
    return other ? [`"${other[0]!.toUpperCase()}${other.slice(1)}" for "${typed[0]!.toUpperCase()}${typed.slice(1)}"`] : [];
  });
  return found.length ? `spelled ${found.join(", ")}` : undefined;
}

/**
 * Whether a tenure covers a day, at its dates' precision: true when surely, false when only
 * possibly (a start or end known to the month or year, or no start recorded), null when not.
 * A tenure with no dates at all is not placed in time, so it covers no asked-for day.
 */
export function tenureOn(tenure: { start?: string | undefined; end?: string | undefined }, day: string): boolean | null {
  if (!tenure.start && !tenure.end) return null;
  if (tenure.start && earliestDay(tenure.start) > day) return null;
  if (tenure.end && latestDay(tenure.end) < day) return null;
  const startsSurely = tenure.start !== undefined && latestDay(tenure.start) <= day;
  const endsSurely = tenure.end === undefined || earliestDay(tenure.end) >= day;
  return startsSurely && endsSurely;
}

/** The name or alias closest to what was typed, to show why a hit matched. */
function bestName(names: string[], q: string): string {
  const typed = q.toLowerCase();
  let best = names[0] ?? "";
  let bestScore = -1;
  for (const name of names) {
    const lower = name.toLowerCase();
    const score = lower.includes(typed) ? 2 : [...new Set(typed.split(/\s+/))].filter((word) => lower.includes(word)).length;
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Opens a snapshot after checking it is the file its build wrote (its checksum, taken after
 * SQLite's integrity check): a damaged one is refused rather than served as 500s.
 */
export function openSnapshot(path: string): Snapshot {
  const damage = snapshotDamage(path);
  if (damage) throw new Error(`${damage}. Refusing to serve it: rebuild it (npm start and npm run api rebuild it themselves; or node packages/dataset/dist/cli.js snapshot data ${path})`);
  return new Snapshot(path);
}
