import { codeEventType, plural, vocabularyLabel, type Actor, type Event, type NetworkQuery, type Place, type SearchQuery, type Source, type TimelineQuery } from "@backchannel/schema";
import { nameTokens } from "@backchannel/dataset/names";
import { asList, columnsIn, filterEvents, placeholders, whereClause } from "./event-filters.js";
import type { Row, SnapshotReader } from "./reader.js";
import { INDEX_MAX_EVENTS } from "./event-index.js";
import { actorSpellings, matchActors, matchText, SEARCH_WEIGHTS, SPELLING_ACTORS, textTerms, type Spelling } from "./search.js";
import { ReadOnce } from "./stepwise.js";
import { TextIndex, type TextRow } from "./text-index.js";

/** One hit of a search: a record of any kind, why it matched, and its score. */
export interface SearchHit {
  kind: "actor" | "event" | "source" | "place";
  id: string;
  label: string;
  detail: string;
  matched: string;
  score: number;
}

/** The network is drawn from at most this many matching events, the most recent. */
export const NETWORK_CAP = 5_000;

/** Search across every kind of record, the timeline and the network of actors. */
export class InsightStore {
  constructor(
    private readonly reader: SnapshotReader,
    private readonly options: { index?: boolean | undefined } = {},
  ) {}

  /** Read only within the event index's bounds (and the text index's own). */
  private readonly memory = new ReadOnce(() =>
    this.options.index !== false && this.reader.meta.counts.events <= INDEX_MAX_EVENTS ? TextIndex.reading(this.reader.db) : undefined,
  );

  /**
   * The full-text index in memory (text-index.ts), read on first use; none for a snapshot beyond
   * the event index's bounds or the text index's own.
   */
  textIndex(): TextIndex | undefined {
    return this.memory.now();
  }

  /** Reads the index (as `textIndex()`), giving the event loop a turn every few thousand rows. */
  readIndexYielding(): Promise<void> {
    return this.memory.yielding();
  }

  close(): void {
    // Only an index already read: closing never reads one.
    this.memory.held()?.close();
  }

  search(query: SearchQuery) {
    const kinds = new Set(asList(query.kind).length ? asList(query.kind) : ["actor", "event", "source", "place"]);
    // Ranked by score and label; the rest of a hit (its detail, what it matched) is made only for the hits returned.
    const ranked: { label: string; score: number; hit: () => SearchHit }[] = [];
    // The query's words, cut once: the actor matcher, the other spellings and the text terms all read them.
    const words = nameTokens(query.q);
    // Matched once: the actor hits and the other spellings of the words both read these.
    const matches = matchActors(this.reader.sql, query.q, Math.max(query.limit, SPELLING_ACTORS), words);
    const typedText = typedName(query.q);
    if (kinds.has("actor")) {
      for (const match of matches.slice(0, query.limit)) {
        const actor = this.actorHit(match.id);
        const score = match.strength + actor.weight;
        ranked.push({ label: actor.label, score, hit: () => ({ kind: "actor", id: match.id, label: actor.label, detail: actor.detail, matched: closestName(actor.names, typedText), score }) });
      }
    }
    const spellings = actorSpellings(this.reader.sql, query.q, matches, this.reader.actorTokens, words);
    // Only a spelling other than the one typed can be named as what a hit matched.
    const respelled = spellings.filter(({ typed, spellings: others }) => others.some((spelling) => spelling !== typed));
    const terms = textTerms(query.q, spellings, words);
    if (terms) {
      // Relevance: BM25 with a name or title worth ten words of body text, a type or topic five,
      // ranked in memory when the snapshot is small enough, else by FTS5 (the same rows and scores).
      // `LIMIT +?`, not `LIMIT ?`: a bare parameter is offered to FTS5's planner, and SQLite then
      // prepares the statement again for every value bound to it.
      // Rows as arrays: building an object per row costs more than reading it.
      const rows =
        this.textIndex()?.rank(terms, query.limit * 4) ??
        (this.reader
          .sql(`SELECT kind, ref, name, body, bm25(search, ${SEARCH_WEIGHTS.join(", ")}) AS rank FROM search WHERE search MATCH ? ORDER BY rank LIMIT +?`)
          .raw()
          .all(matchText(terms), query.limit * 4) as TextRow[]);
      for (const [kind, ref, name, body, rank] of rows) {
        if (!kinds.has(kind) || kind === "actor") continue;
        // BM25 is negative, better the lower: map it into (0, 0.6), below any actor matched by name, keeping its order.
        const relevance = Math.max(0, -rank);
        const score = (0.6 * relevance) / (1 + relevance);
        if (kind === "event") {
          // The title and summary are the index's own name and body; the rest read from the record without parsing it whole.
          const label = name;
          ranked.push({
            label,
            score,
            hit: () => {
              const event = this.eventHit(ref);
              // The words of its title and summary, kept with the event: a search that names an actor spelled another way reads them.
              const matched = (respelled.length && spellingFound(respelled, (event.words ??= new Set(nameTokens(`${label} ${body}`))))) || "title, summary, type or topics";
              return { kind, id: event.id, label, detail: event.detail, matched, score };
            },
          });
        } else if (kind === "source") {
          const source = this.reader.docOf<Source>("sources", ref)!;
          const label = source.title ?? source.description;
          ranked.push({
            label,
            score,
            hit: () => ({
              kind,
              id: source.id,
              label,
              detail: `published ${source.published.date}`,
              matched: (respelled.length && spellingFound(respelled, new Set(nameTokens(`${source.title ?? ""} ${source.description}`)))) || "title or description",
              score,
            }),
          });
        } else {
          const place = this.reader.docOf<Place>("places", ref)!;
          ranked.push({
            label: place.name,
            score,
            hit: () => ({ kind, id: place.id, label: place.name, detail: `${vocabularyLabel("placeKind", place.kind)}${place.country ? ` · ${place.country}` : ""}`, matched: bestName([place.name, ...place.aliases], query.q), score }),
          });
        }
      }
    }
    ranked.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
    return { query: query.q, data: ranked.slice(0, query.limit).map((entry) => entry.hit()) };
  }

  /** What an actor's hit shows, read once per actor (remembered): its label and detail, what its event count adds to its score, and its names as `matched` compares them. */
  private actorHit(id: string): { label: string; detail: string; weight: number; names: LowerCased[] } {
    return this.reader.remembered(`hit\u0000actor\u0000${id}`, () => {
      const { doc, eventCount } = this.reader.sql("SELECT doc, event_count AS eventCount FROM actors WHERE id = ?").get(id) as { doc: string; eventCount: number };
      const actor = JSON.parse(doc) as Actor;
      return {
        label: actor.name,
        detail: `${vocabularyLabel("actorKind", actor.kind)}${actor.country ? ` · ${actor.country}` : ""} · ${plural(eventCount, "event")}`,
        weight: Math.min(0.09, Math.log10(1 + eventCount) / 30),
        names: lowerCased([actor.name, ...actor.aliases.map((alias) => alias.name)]),
      };
    });
  }

  /** What an event's hit shows beyond its title, read once per event (remembered); the words of its title and summary are added when a search needs them. */
  private eventHit(ref: string): { id: string; detail: string; words: Set<string> | undefined } {
    return this.reader.remembered(`hit\u0000event\u0000${ref}`, () => {
      const { id, type, start } = this.reader.sql("SELECT id, type, json_extract(doc, '$.date.start') AS start FROM events WHERE rowid = ?").get(Number(ref)) as { id: string; type: Event["type"]; start: string };
      return { id, detail: `${start} · ${codeEventType(type).label}`, words: undefined };
    });
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
      rows = this.reader.sql(
        `SELECT substr(month, 1, ${width}) AS bucket, quad, sum(n) AS n, sum(goldstein_sum) AS g FROM timeline_counts
         ${whereClause(coded)} GROUP BY bucket, quad ORDER BY bucket`,
      ).all(...coded.params) as Row[];
    } else {
      const filter = filterEvents(this.reader, query, "aggregate");
      rows = this.reader.sql(
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
   * Actors linked by the events they share. Built from the most recent NETWORK_CAP matching
   * events, so one request cannot hold the server for long at a million events; `exact` says
   * whether that was all of them.
   */
  network(query: NetworkQuery) {
    const filter = filterEvents(this.reader, query);
    const chosen = `WITH chosen AS MATERIALIZED (SELECT e.rowid AS event FROM events e ${whereClause(filter)} ORDER BY e.rowid DESC LIMIT ${NETWORK_CAP})`;
    const counted = (this.reader.sql(`${chosen} SELECT count(*) AS n FROM chosen`).get(...filter.params) as { n: number }).n;
    // CROSS JOIN keeps the chosen events as the outer loop, each probing participants by event.
    const edges = (
      this.reader.sql(
        `${chosen}
         SELECT a.actor AS source, b.actor AS target, count(DISTINCT a.event) AS weight
         FROM chosen c CROSS JOIN participants a ON a.event = c.event CROSS JOIN participants b ON b.event = c.event AND a.actor < b.actor
         GROUP BY a.actor, b.actor ORDER BY weight DESC, source, target LIMIT ?`,
      ).all(...filter.params, query.limit) as Row[]
    ).map((row) => ({ source: row.source as string, target: row.target as string, weight: row.weight as number }));
    const ids = [...new Set(edges.flatMap((edge) => [edge.source, edge.target]))];
    const nodes = ids.length
      ? (
          this.reader.sql(
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
 * Says which other spelling of a typed name a text's words hold (`"Araghchi" for "Araqchi"`),
 * when it was found by that spelling rather than as typed; undefined otherwise.
 */
export function spellingFound(spellings: Spelling[], words: Set<string>): string | undefined {
  const found: string[] = [];
  for (const { typed, spellings: others } of spellings) {
    if (someStartsWith(words, typed)) continue;
    const other = others.find((spelling) => spelling !== typed && words.has(spelling));
    if (other) found.push(`"${other[0]!.toUpperCase()}${other.slice(1)}" for "${typed[0]!.toUpperCase()}${typed.slice(1)}"`);
  }
  return found.length ? `spelled ${found.join(", ")}` : undefined;
}

function someStartsWith(words: Set<string>, prefix: string): boolean {
  for (const word of words) if (word.startsWith(prefix)) return true;
  return false;
}

/** A name beside its lower case, as `closestName` compares it. */
interface LowerCased {
  name: string;
  lower: string;
}

const lowerCased = (names: string[]): LowerCased[] => names.map((name) => ({ name, lower: name.toLowerCase() }));

/** What was typed, as `closestName` compares it: in lower case, and its distinct words. */
function typedName(q: string): { whole: string; words: string[] } {
  const whole = q.toLowerCase();
  return { whole, words: [...new Set(whole.split(/\s+/))] };
}

/** The name or alias closest to what was typed, to show why a hit matched. */
export function bestName(names: string[], q: string): string {
  return closestName(lowerCased(names), typedName(q));
}

/** bestName over names already in lower case: 2 for a name holding the whole of what was typed, else 1 per typed word it holds; the first of the best. */
function closestName(names: LowerCased[], typed: { whole: string; words: string[] }): string {
  let best = names[0]?.name ?? "";
  let bestScore = -1;
  for (const { name, lower } of names) {
    let score = 2;
    if (!lower.includes(typed.whole)) {
      score = 0;
      for (const word of typed.words) if (lower.includes(word)) score++;
    }
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}
