import { readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import {
  codeEventType,
  foldedText,
  precisionOf,
  SCHEMA_VERSION,
  sourcingOf,
  spanBounds,
  type Actor,
  type Citation,
  type Event,
  type EventListItem,
  type Meta,
  type Place,
  type Post,
  type Source,
  type Sourcing,
  type SourcingSource,
} from "@backchannel/schema";
import { EVENT_COLUMNS, csvLine } from "./csv.js";
import { eventDetail, type DetailLookups } from "./views.js";
import { LONG_EVENT_DAYS, SNAPSHOT_DDL, SNAPSHOT_INDEXES } from "./ddl.js";
import { recordHistory } from "./history.js";
import { nameKeys, nameTokens } from "./name-keys.js";
import { builderVersion, checksumPath, recordVerified, writeChecksum, type Provenance } from "./verify.js";

const CLEANUP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what builds of `target` left behind when they were killed outright (SIGKILL, a power
 * cut): `<target>.<pid>.tmp` files (and SQLite's journal beside them) whose process is gone.
 */
export function removeStaleTemporaries(target: string): string[] {
  const prefix = `${basename(target)}.`;
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)\.tmp(\.sha256|-journal|-wal|-shm)?$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid === undefined || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    rmSync(join(dirname(target), name), { force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Writes a snapshot into a temporary file and renames it into place only when complete, so a
 * failed build never replaces a good snapshot. Records must come in dependency order: places
 * and actors before the events that name them.
 */
export class SnapshotWriter {
  private readonly temporary: string;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly actorCountries = new Map<string, string | undefined>();
  /** Participants' names and kinds, written into each event's list JSON. */
  private readonly actorNames = new Map<string, { name: string; kind: Actor["kind"] }>();
  private readonly placeCountries = new Map<string, string | undefined>();
  /** What counting an event's sourcing needs of each source: its outlet and credits. */
  private readonly sourcingSources = new Map<string, SourcingSource>();
  private readonly counts = { events: 0, actors: 0, sources: 0, places: 0, posts: 0 };

  /** Removes the temporary files if the process is told to stop mid-build, then lets the signal take its course. */
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.abort();
    process.kill(process.pid, signal);
  };
  private readonly onExit = () => this.removeTemporaries();

  constructor(private readonly target: string) {
    this.temporary = `${target}.${process.pid}.tmp`;
    removeStaleTemporaries(target);
    this.removeTemporaries();
    for (const signal of CLEANUP_SIGNALS) process.once(signal, this.onSignal);
    process.once("exit", this.onExit);
    this.db = new Database(this.temporary);
    this.db.pragma("journal_mode = OFF");
    this.db.pragma("synchronous = OFF");
    this.db.pragma("locking_mode = EXCLUSIVE");
    this.db.exec(SNAPSHOT_DDL);
    const prepare = (sql: string) => this.db.prepare(sql);
    this.statements = {
      place: prepare("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?)"),
      actor: prepare("INSERT INTO actors (id, kind, name, country, doc) VALUES (?, ?, ?, ?, ?)"),
      actorKey: prepare("INSERT OR IGNORE INTO actor_keys VALUES (?, ?, ?)"),
      actorToken: prepare("INSERT OR IGNORE INTO actor_tokens VALUES (?, ?)"),
      post: prepare("INSERT INTO posts VALUES (?, ?, ?, ?)"),
      position: prepare("INSERT INTO positions VALUES (?, ?, ?, ?)"),
      source: prepare("INSERT INTO sources (id, published, outlet, doc) VALUES (?, ?, ?, ?)"),
      stage: prepare("INSERT INTO staged_events VALUES (?, ?, ?)"),
      staged: prepare("SELECT first_day, id, doc FROM staged_events WHERE (first_day, id) > (?, ?) ORDER BY first_day, id LIMIT 5000"),
      event: prepare(
        "INSERT INTO events (id, first_day, last_day, start_month, type, status, quad, goldstein, source_count, type_key, title_key, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      longEvent: prepare("INSERT INTO long_events VALUES (?, ?)"),
      eventList: prepare("INSERT INTO event_lists VALUES (?, ?)"),
      eventCsv: prepare("INSERT INTO event_csv VALUES (?, ?)"),
      participant: prepare("INSERT INTO participants VALUES (?, ?, ?, ?)"),
      eventPlace: prepare("INSERT INTO event_places VALUES (?, ?)"),
      eventTopic: prepare("INSERT INTO event_topics VALUES (?, ?)"),
      eventSource: prepare("INSERT INTO event_sources VALUES (?, ?)"),
      eventCountry: prepare("INSERT INTO event_countries VALUES (?, ?)"),
      relation: prepare("INSERT INTO relations VALUES (?, ?, ?)"),
      paragraphCitation: prepare("INSERT OR IGNORE INTO paragraph_citations VALUES (?, ?, ?, ?, ?, ?)"),
      search: prepare("INSERT INTO search (kind, ref, name, body, tags) VALUES (?, ?, ?, ?, ?)"),
    };
    this.db.exec("BEGIN");
  }

  place(place: Place): void {
    const s = this.statements;
    s.place.run(place.id, place.name, place.kind, place.country ?? null, place.latitude, place.longitude, JSON.stringify(place));
    s.search.run("place", place.id, [place.name, ...place.aliases].join(" · "), place.note ?? "", "");
    this.placeCountries.set(place.id, place.country);
    this.counts.places++;
  }

  actor(actor: Actor): void {
    const s = this.statements;
    s.actor.run(actor.id, actor.kind, actor.name, actor.country ?? null, JSON.stringify(actor));
    const names = [actor.name, ...actor.aliases.map((alias) => alias.name)];
    for (const name of names) {
      for (const { key, token } of nameKeys(name)) s.actorKey.run(key, token, actor.id);
      for (const token of nameTokens(name)) s.actorToken.run(token, actor.id);
    }
    for (const position of actor.positions) {
      s.position.run(actor.id, position.post, position.start ?? null, position.end ?? null);
      this.citedParagraphs(position.citations, "tenure", actor.id, position.post);
    }
    s.search.run("actor", actor.id, names.join(" · "), actor.description, "");
    this.actorCountries.set(actor.id, actor.country);
    this.actorNames.set(actor.id, { name: actor.name, kind: actor.kind });
    this.counts.actors++;
  }

  post(post: Post): void {
    this.statements.post.run(post.id, post.title, post.organisation, JSON.stringify(post));
    this.counts.posts++;
  }

  source(source: Source): void {
    const s = this.statements;
    s.source.run(source.id, source.published.date, source.outlet.actor ?? null, JSON.stringify(source));
    this.sourcingSources.set(source.id, { id: source.id, outlet: source.outlet, credits: source.credits });
    s.search.run("source", source.id, source.title ?? source.description, source.description, "");
    this.counts.sources++;
  }

  /** Events are staged here and written in date order by `finish`. */
  event(event: Event): void {
    this.statements.stage.run(spanBounds(event.date).first, event.id, JSON.stringify(event));
    this.counts.events++;
  }

  private writeEvent(event: Event): void {
    const s = this.statements;
    const { first, last } = spanBounds(event.date);
    const coding = codeEventType(event.type);
    // Stored with the event, so that every list and page shows it without recounting.
    const sourcing = sourcingOf(event.citations, (id) => this.sourcingSources.get(id));
    const doc = JSON.stringify({ ...event, sourcing });
    const row = Number(
      s.event.run(
        event.id,
        first,
        last,
        event.date.start.slice(0, 7),
        event.type,
        event.status,
        coding.quadClass,
        coding.goldstein,
        sourcing.sources,
        foldedText(coding.label),
        foldedText(event.title),
        doc,
      ).lastInsertRowid,
    );
    const item = this.listItem(event, sourcing);
    s.eventList.run(row, JSON.stringify(item));
    s.eventCsv.run(row, csvLine(item, EVENT_COLUMNS));
    const countries = new Set<string>();
    for (const participant of event.participants) {
      s.participant.run(row, participant.actor, participant.role, participant.post ?? null);
      const country = this.actorCountries.get(participant.actor);
      if (country) countries.add(country);
    }
    for (const place of event.places) {
      s.eventPlace.run(row, place);
      const country = this.placeCountries.get(place);
      if (country) countries.add(country);
    }
    for (const country of countries) s.eventCountry.run(row, country);
    for (const topic of new Set(event.topics)) s.eventTopic.run(row, topic);
    for (const source of new Set(event.citations.map((citation) => citation.source))) s.eventSource.run(row, source);
    for (const relation of event.relations) s.relation.run(row, relation.type, relation.event);
    this.citedParagraphs(event.citations, "event", event.id);
    // The type's slug and codebook label and the topics ("us-iran-talks" reads as three words).
    s.search.run("event", String(row), event.title, event.summary, [event.type, coding.label, ...event.topics].join(" · "));
    if (Date.parse(last) - Date.parse(first) > LONG_EVENT_DAYS * 86_400_000 || last.startsWith("9999")) s.longEvent.run(row, last);
  }

  /** The event as lists serve it: participants named, its date's precision and its CAMEO coding. */
  private listItem(event: Event, sourcing: Sourcing): EventListItem {
    return {
      ...event,
      sourcing,
      participants: event.participants.map((participant) => {
        const actor = this.actorNames.get(participant.actor);
        return { ...participant, name: actor?.name ?? participant.actor, kind: actor?.kind ?? "organisation" };
      }),
      precision: precisionOf(event.date.start),
      coding: codeEventType(event.type),
    };
  }

  /** Indexes each cited paragraph under the record that cites it. */
  private citedParagraphs(citations: Citation[], kind: "event" | "tenure", ref: string, post = ""): void {
    for (const citation of citations) {
      for (const paragraph of citation.paragraphs) this.statements.paragraphCitation.run(citation.source, paragraph, kind, ref, post, citation.quote ?? null);
    }
  }

  private writeStagedEvents(): void {
    this.db.exec("CREATE INDEX staged_order ON staged_events (first_day, id)");
    let after: [string, string] = ["", ""];
    for (;;) {
      const batch = this.statements.staged.all(...after) as { first_day: string; id: string; doc: string }[];
      if (batch.length === 0) break;
      for (const row of batch) this.writeEvent(JSON.parse(row.doc) as Event);
      const last = batch.at(-1)!;
      after = [last.first_day, last.id];
    }
    this.db.exec("DROP TABLE staged_events");
  }

  /**
   * Each event as its page shows it, joined to the records it names and to the events related to
   * it both ways: written after every event (and the relations' index) is in, a batch at a time.
   */
  private writeEventDetails(): void {
    const prepare = (sql: string) => this.db.prepare(sql);
    const batch = prepare("SELECT event, json FROM event_lists WHERE event > ? ORDER BY event LIMIT 2000");
    const write = prepare("INSERT INTO event_details VALUES (?, ?)");
    const docs = <T>(table: "places" | "sources" | "posts") => {
      const read = prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck();
      const known = new Map<string, T | undefined>();
      return (id: string): T | undefined => {
        if (!known.has(id)) {
          const doc = read.get(id) as string | undefined;
          known.set(id, doc === undefined ? undefined : (JSON.parse(doc) as T));
        }
        return known.get(id);
      };
    };
    const place = docs<Place>("places");
    const source = docs<Source>("sources");
    const post = docs<Post>("posts");
    const eventById = prepare("SELECT doc FROM events WHERE id = ?").pluck();
    const relatedTo = prepare("SELECT r.type, e.doc FROM relations r JOIN events e ON e.rowid = r.event WHERE r.target = ? ORDER BY e.rowid");
    const lookups: DetailLookups = {
      source,
      place,
      actorName: (id) => this.actorNames.get(id)?.name,
      postTitle: (id) => post(id)?.title,
      event: (id) => {
        const doc = eventById.get(id) as string | undefined;
        return doc === undefined ? undefined : (JSON.parse(doc) as Event);
      },
      relatedTo: (target) =>
        (relatedTo.all(target) as { type: Event["relations"][number]["type"]; doc: string }[]).map((row) => ({ type: row.type, event: JSON.parse(row.doc) as Event })),
    };
    for (let after = 0; ; ) {
      const rows = batch.all(after) as { event: number; json: string }[];
      for (const row of rows) write.run(row.event, JSON.stringify(eventDetail(JSON.parse(row.json) as EventListItem, lookups)));
      if (rows.length === 0) return;
      after = rows.at(-1)!.event;
    }
  }

  /**
   * Indexes, statistics, metadata and provenance, then SQLite's integrity check, the checksum,
   * and the atomic rename. Returns what was written.
   */
  finish(version: string, provenance: Omit<Provenance, "builderVersion"> = {}): Meta {
    try {
      this.writeStagedEvents();
      this.db.exec(SNAPSHOT_INDEXES);
      this.writeEventDetails();
      this.db.exec(`
        INSERT INTO actor_event_types
          SELECT DISTINCT p.actor, e.type_key, p.event FROM participants p JOIN events e ON e.rowid = p.event ORDER BY 1, 2, 3;
        UPDATE actors SET event_count = (SELECT count(DISTINCT event) FROM participants WHERE participants.actor = actors.id);
        UPDATE sources SET event_count = (SELECT count(*) FROM event_sources WHERE event_sources.source = sources.id);
        INSERT INTO timeline_counts
          SELECT start_month, type, status, quad, count(*), sum(goldstein) FROM events GROUP BY 1, 2, 3, 4;
        INSERT INTO list_counts
          SELECT 'topic', x.topic, e.start_month, count(*) FROM event_topics x JOIN events e ON e.rowid = x.event GROUP BY 2, 3
          UNION ALL SELECT 'country', x.country, e.start_month, count(*) FROM event_countries x JOIN events e ON e.rowid = x.event GROUP BY 2, 3;
        INSERT INTO list_type_events
          SELECT 'topic', x.topic, e.type, x.event FROM event_topics x JOIN events e ON e.rowid = x.event
          UNION ALL SELECT 'country', x.country, e.type, x.event FROM event_countries x JOIN events e ON e.rowid = x.event ORDER BY 1, 2, 3, 4;
        INSERT INTO event_reach
          SELECT day, min(first) OVER (ORDER BY day DESC ROWS UNBOUNDED PRECEDING)
          FROM (SELECT last_day AS day, min(rowid) AS first FROM events WHERE rowid NOT IN (SELECT event FROM long_events) GROUP BY last_day);
        INSERT INTO search (search) VALUES ('optimize');
      `);
      const meta: Meta = { datasetVersion: version, builtAt: new Date().toISOString(), schemaVersion: SCHEMA_VERSION, counts: { ...this.counts } };
      const setMeta = this.db.prepare("INSERT INTO meta VALUES (?, ?)");
      for (const [key, value] of Object.entries(meta)) setMeta.run(key, JSON.stringify(value));
      const setProvenance = this.db.prepare("INSERT INTO provenance VALUES (?, ?)");
      for (const [key, value] of Object.entries({ ...provenance, builderVersion: builderVersion() })) if (value) setProvenance.run(key, value);
      this.db.exec("COMMIT");
      // Content hashes and the change log, carried over from the snapshot this one replaces.
      recordHistory(this.db, { version, builtAt: meta.builtAt, previous: this.target });
      this.db.exec("ANALYZE");
      // Without samples for the full-text index's own tables: with them, SQLite re-plans FTS5's
      // term lookup (a range over search_idx) on every query, which cost most of each search.
      this.db.exec(String.raw`DELETE FROM sqlite_stat4 WHERE tbl LIKE 'search\_%' ESCAPE '\'`);
      this.db.pragma("journal_mode = DELETE");
      this.db.exec("VACUUM");
      const problems = (this.db.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check);
      if (problems.join() !== "ok") throw new Error(`the snapshot failed SQLite's integrity check: ${problems.slice(0, 5).join("; ")}`);
      this.db.close();
      writeChecksum(this.temporary, this.target, this.temporaryChecksum);
      // The checksum follows the file: in the moment between, the old checksum does not match the
      // new file, so it is refused (never served unverified) and a rebuild puts it right.
      renameSync(this.temporary, this.target);
      renameSync(this.temporaryChecksum, checksumPath(this.target));
      // Just hashed after SQLite's integrity check: the first open need not hash it again.
      recordVerified(this.target);
      this.stopWatching();
      return meta;
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Drops the temporary files; the previous snapshot, if any, stays as it was. */
  abort(): void {
    if (this.db.open) this.db.close();
    this.removeTemporaries();
    this.stopWatching();
  }

  private get temporaryChecksum(): string {
    return `${this.temporary}.sha256`;
  }

  private removeTemporaries(): void {
    for (const file of [this.temporary, `${this.temporary}-journal`, this.temporaryChecksum]) rmSync(file, { force: true });
  }

  private stopWatching(): void {
    for (const signal of CLEANUP_SIGNALS) process.off(signal, this.onSignal);
    process.off("exit", this.onExit);
  }
}
