import Database from "better-sqlite3";
import { LRUCache } from "lru-cache";
import type { Citation, EventFilters, Meta, Source } from "@backchannel/schema";
import { citationViews } from "@backchannel/dataset/views";
import { nameTokens } from "@backchannel/dataset/names";
import { decodeCursor, encodeCursor, type CursorScope } from "./cursor.js";
import { asList, type SqlFragment } from "./event-filters.js";
import { actorNameTokens, actorSpellings, matchActors, matchText, textTerms, type Prepare, type TextQuery } from "./search.js";

/** Counting stops here so that a page stays fast at a million rows (Datasette does the same). */
export const COUNT_CAP = 10_000;

export type Row = Record<string, unknown>;
export type PageInput = { limit: number; cursor?: string | undefined };
export type Count = { total: number; totalExact: boolean };

/** A count as lists report it: exact up to COUNT_CAP, beyond it the cap and `totalExact: false`. */
export const capped = (n: number): Count => (n > COUNT_CAP ? { total: COUNT_CAP, totalExact: false } : { total: n, totalExact: true });

/** Lookups a reader remembers at most (records, names, date bounds): keys come from requests, so they are bounded. */
export const REMEMBERED_ENTRIES = 4_000;

/** Query parameters that do not change which events a list holds. */
export const NOT_FILTERS = new Set(["sort", "limit", "cursor", "format", "bom", "actorMode"]);

/**
 * The read-only database every resource's store reads through: one connection and one cache of
 * prepared statements, and the lookups several resources share (names, records by id, counts).
 */
export class SnapshotReader {
  readonly db: Database.Database;
  readonly meta: Meta;

  // Bounded: statements differ by the length of their IN lists, so their number is not.
  private readonly statements = new LRUCache<string, Database.Statement>({ max: 500 });

  /** Prepared statements are compiled once and reused: preparing costs more than most queries here. */
  readonly sql: Prepare = (text) => {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  };

  constructor(readonly path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma("query_only = ON");
    // The shared lock is taken once and kept: the snapshot is never written in place (a rebuild
    // writes another file and renames it), so each statement need not lock and unlock the file.
    this.db.pragma("locking_mode = EXCLUSIVE");
    this.db.pragma("mmap_size = 268435456");
    const rows = this.sql("SELECT key, value FROM meta").all() as { key: string; value: string }[];
    this.meta = Object.fromEntries(rows.map(({ key, value }) => [key, JSON.parse(value)])) as Meta;
  }

  /** What a cursor of `list` is bound to: this dataset version and the query. */
  scope(list: string, query: object): CursorScope {
    return { list, version: this.meta.datasetVersion, query };
  }

  count(fromWhere: string, params: unknown[]): Count {
    return capped(this.sql(`SELECT count(*) FROM (SELECT 1 ${fromWhere} LIMIT ${COUNT_CAP + 1})`).pluck().get(...params) as number);
  }

  /** Events per type and status, summed from the monthly counts built with the snapshot; read once. */
  private codedCounts: { type: string; status: string; n: number }[] | undefined;

  /**
   * The number of events matching `filters` when counts built with the snapshot answer it: no
   * filter (the snapshot's event count), only types and statuses (the monthly counts), or only
   * one actor or one source (their records' event counts). Undefined for any other filter.
   * The ids must already be known (the filters checked).
   */
  builtCount(filters: EventFilters): number | undefined {
    const given = Object.keys(filters).filter((key) => !NOT_FILTERS.has(key) && filters[key as keyof EventFilters] !== undefined);
    if (given.length === 0) return this.meta.counts.events;
    if (given.every((key) => key === "type" || key === "status")) {
      this.codedCounts ??= this.sql("SELECT type, status, sum(n) AS n FROM timeline_counts GROUP BY type, status").all() as { type: string; status: string; n: number }[];
      const types = new Set<string>(asList(filters.type));
      const statuses = new Set<string>(asList(filters.status));
      return this.codedCounts.reduce((sum, row) => sum + ((types.size === 0 || types.has(row.type)) && (statuses.size === 0 || statuses.has(row.status)) ? row.n : 0), 0);
    }
    if (given.length === 1 && (given[0] === "actor" || given[0] === "source")) {
      const ids = new Set(asList(filters[given[0]]));
      if (ids.size !== 1) return undefined;
      return this.sql(`SELECT event_count FROM ${given[0] === "actor" ? "actors" : "sources"} WHERE id = ?`).pluck().get(...ids) as number | undefined;
    }
    return undefined;
  }

  /**
   * Records and names that pages join in (an event's sources, places, posts and actors' names),
   * remembered: the snapshot never changes, and the same few are asked for again and again. The
   * records are shared, so callers read them and never change them. Bounded by entries.
   */
  private readonly joined = new LRUCache<string, { value: unknown }>({ max: REMEMBERED_ENTRIES });

  /** How many lookups are remembered now (at most REMEMBERED_ENTRIES). */
  get rememberedEntries(): number {
    return this.joined.size;
  }

  remembered<T>(key: string, read: () => T): T {
    let entry = this.joined.get(key);
    if (!entry) {
      entry = { value: read() };
      this.joined.set(key, entry);
    }
    return entry.value as T;
  }

  docOf<T>(table: "places" | "actors" | "sources" | "posts", id: string): T | undefined {
    return this.remembered(`${table}\u0000${id}`, () => {
      const doc = this.sql(`SELECT doc FROM ${table} WHERE id = ?`).pluck().get(id) as string | undefined;
      return doc === undefined ? undefined : (JSON.parse(doc) as T);
    });
  }

  /** The tokens of an actor's name and aliases (search.ts), remembered. */
  readonly actorTokens = (actor: string): string[] => this.remembered(`tokens\u0000${actor}`, () => actorNameTokens(this.sql, actor));

  nameOf(actorId: string): string | undefined {
    return this.remembered(`name\u0000${actorId}`, () => this.sql("SELECT name FROM actors WHERE id = ?").pluck().get(actorId) as string | undefined);
  }

  /**
   * What a full-text filter `q` selects events by, on either path: its words, each widened to the
   * other spellings of the actors it names, and those actors (whose events it selects too).
   */
  textFilter(q: string): { terms: TextQuery | undefined; actors: string[] } {
    // Matched once: the actors' events and the other spellings both read these.
    const words = nameTokens(q);
    const matches = matchActors(this.sql, q, undefined, words);
    return { terms: textTerms(q, actorSpellings(this.sql, q, matches, this.actorTokens, words), words), actors: matches.map((match) => match.id) };
  }

  /** `column IN` the records of `kind` whose names or text match `q` (its words as `textFilter` widens them); nothing when `q` leaves no words. */
  textMatch(column: string, kind: "actor" | "source" | "place", q: string): SqlFragment {
    const { terms } = this.textFilter(q);
    return terms ? { where: [`${column} IN (SELECT ref FROM search WHERE search MATCH ? AND kind = '${kind}')`], params: [matchText(terms)] } : { where: ["0"], params: [] };
  }

  /** Citations with their source's metadata, the credited agency's name and each speaker's. */
  citationViews(citations: Citation[]) {
    return citationViews(citations, { source: (id) => this.docOf<Source>("sources", id), actorName: (id) => this.nameOf(id) });
  }

  /**
   * A page of a list ordered by `sortColumn` then `idColumn`, after the cursor's position, with
   * the total and the position counted (never read from the cursor).
   */
  keysetPage<T>(from: string, sortColumn: string, idColumn: string, where: string[], params: unknown[], query: PageInput, list: string, map: (row: Row) => T) {
    const scope = this.scope(list, query);
    const after = decodeCursor(query.cursor, scope, 2);
    const keyset = after ? [`(${sortColumn}, ${idColumn}) > (?, ?)`] : [];
    const all = [...where, ...keyset];
    const rows = this.sql(`SELECT *, ${sortColumn} AS sort_key FROM ${from} ${all.length ? `WHERE ${all.join(" AND ")}` : ""} ORDER BY ${sortColumn}, ${idColumn} LIMIT ?`).all(
      ...params,
      ...(after ?? []),
      query.limit + 1,
    ) as Row[];
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

  close(): void {
    this.db.close();
  }
}
