import { codeEventType, plural, vocabularyLabel, type Actor, type Event, type Place, type SearchQuery, type Source } from "@backchannel/schema";
import { nameKeys, nameTokens } from "@backchannel/dataset/names";
import { distance } from "fastest-levenshtein";
import { asList } from "../src/store/event-filters.js";
import { bestName, type SearchHit } from "../src/store/insight.js";
import type { Row, SnapshotReader } from "../src/store/reader.js";
import { ftsQuery, SPELLING_ACTORS, spellingSimilarity, type ActorMatch, type Prepare, type Spelling } from "../src/store/search.js";

/**
 * The search as it was before the actors' names were held in memory: every word matched by SQL
 * statements over actor_keys and actor_tokens, and every hit's details read as it was found. Kept
 * as the reference the faster path must answer exactly like (store/search.test.ts).
 */
export function referenceMatchActors(prepare: Prepare, q: string, limit = 200): ActorMatch[] {
  const tokens = [...new Set(nameTokens(q))].filter((token) => !["al", "el", "bin", "ibn"].includes(token)).slice(0, 6);
  if (tokens.length === 0) return [];
  const byKeys = (keys: string[]) =>
    prepare(keys.map(() => "SELECT * FROM (SELECT key, token, actor FROM actor_keys WHERE key = ? LIMIT 5000)").join(" UNION ALL ")).all(...keys) as { key: string; token: string; actor: string }[];
  const byPrefix = prepare("SELECT DISTINCT actor FROM actor_tokens WHERE token >= ? AND token < ? LIMIT 5000");
  const byLength = prepare("SELECT DISTINCT token FROM actor_tokens WHERE length(token) BETWEEN ? AND ?");
  const byToken = prepare("SELECT actor FROM actor_tokens WHERE token = ? LIMIT 5000");
  let result: Map<string, number> | undefined;
  for (const token of tokens) {
    const found = new Map<string, number>();
    const add = (rows: { actor: string }[], strength: number) => {
      for (const { actor } of rows) found.set(actor, Math.max(found.get(actor) ?? 0, strength));
    };
    const exact = `t:${token}`;
    const sounds = nameKeys(token).filter(({ key }) => key.startsWith("p:")).map(({ key }) => key);
    for (const row of byKeys([exact, ...new Set(sounds)])) {
      if (row.key === exact) add([row], 1);
      else {
        const similarity = spellingSimilarity(token, row.token);
        if (similarity >= 0.5) add([row], 0.75 + 0.2 * similarity);
      }
    }
    if (token.length >= 3) add(byPrefix.all(token, `${token}\uffff`) as { actor: string }[], 0.8);
    if (found.size === 0 && token.length >= 4) {
      const near = (byLength.all(token.length - 1, token.length + 1) as { token: string }[]).filter((row) => distance(row.token, token) === 1);
      for (const row of near.slice(0, 50)) add(byToken.all(row.token) as { actor: string }[], 0.7);
    }
    if (result === undefined) result = found;
    else for (const [actor, strength] of result) {
      const other = found.get(actor);
      if (other === undefined) result.delete(actor);
      else result.set(actor, Math.min(strength, other));
    }
    if (result.size === 0) break;
  }
  return [...(result ?? [])]
    .map(([id, strength]) => ({ id, strength }))
    .sort((a, b) => b.strength - a.strength || a.id.localeCompare(b.id))
    .slice(0, limit);
}

export function referenceActorSpellings(prepare: Prepare, q: string, matches: ActorMatch[], tokensOf: (actor: string) => string[]): Spelling[] {
  const actors = matches.slice(0, SPELLING_ACTORS).map((match) => match.id);
  if (actors.length === 0) return [];
  const names = [...new Set(actors.flatMap(tokensOf))];
  return [...new Set(nameTokens(q))].map((typed) => {
    const sounds = new Set(nameKeys(typed).filter(({ key }) => key.startsWith("p:")).map(({ key }) => key));
    const spellings = names.filter(
      (name) =>
        name === typed ||
        (typed.length >= 4 && distance(name, typed) === 1) ||
        (spellingSimilarity(name, typed) >= 0.5 && nameKeys(name).some(({ key }) => sounds.has(key))),
    );
    return { typed, spellings };
  });
}

function referenceSpellingFound(spellings: Spelling[], text: string): string | undefined {
  const words = new Set(nameTokens(text));
  const found = spellings.flatMap(({ typed, spellings: others }) => {
    if ([...words].some((word) => word.startsWith(typed))) return [];
    const other = others.find((spelling) => spelling !== typed && words.has(spelling));
    return other ? [`"${other[0]!.toUpperCase()}${other.slice(1)}" for "${typed[0]!.toUpperCase()}${typed.slice(1)}"`] : [];
  });
  return found.length ? `spelled ${found.join(", ")}` : undefined;
}

export function referenceSearch(reader: SnapshotReader, query: SearchQuery) {
  const sql = reader.db.prepare.bind(reader.db) as Prepare;
  const kinds = new Set(asList(query.kind).length ? asList(query.kind) : ["actor", "event", "source", "place"]);
  const hits: SearchHit[] = [];
  const matches = referenceMatchActors(sql, query.q, Math.max(query.limit, SPELLING_ACTORS));
  const doc = <T>(table: string, id: string) => JSON.parse(sql(`SELECT doc FROM ${table} WHERE id = ?`).pluck().get(id) as string) as T;
  if (kinds.has("actor")) {
    for (const match of matches.slice(0, query.limit)) {
      const actor = doc<Actor>("actors", match.id);
      const eventCount = sql("SELECT event_count FROM actors WHERE id = ?").pluck().get(actor.id) as number;
      const names = [actor.name, ...actor.aliases.map((alias) => alias.name)];
      hits.push({
        kind: "actor",
        id: actor.id,
        label: actor.name,
        detail: `${vocabularyLabel("actorKind", actor.kind)}${actor.country ? ` · ${actor.country}` : ""} · ${plural(eventCount, "event")}`,
        matched: bestName(names, query.q),
        score: match.strength + Math.min(0.09, Math.log10(1 + eventCount) / 30),
      });
    }
  }
  const tokensOf = (id: string) => {
    const actor = doc<Actor>("actors", id);
    return [...new Set([actor.name, ...actor.aliases.map((alias) => alias.name)].flatMap(nameTokens))];
  };
  const spellings = referenceActorSpellings(sql, query.q, matches, tokensOf);
  const fts = ftsQuery(query.q, spellings);
  if (fts) {
    const rows = sql(`SELECT kind, ref, name, body, bm25(search, 0, 0, 10, 1, 5) AS rank FROM search WHERE search MATCH ? ORDER BY rank LIMIT ?`).all(fts, query.limit * 4) as Row[];
    for (const row of rows) {
      const kind = row.kind as SearchHit["kind"];
      if (!kinds.has(kind) || kind === "actor") continue;
      const relevance = Math.max(0, -(row.rank as number));
      const score = (0.6 * relevance) / (1 + relevance);
      if (kind === "event") {
        const event = sql("SELECT id, type, json_extract(doc, '$.date.start') AS start FROM events WHERE rowid = ?").get(Number(row.ref)) as { id: string; type: Event["type"]; start: string };
        const matched = referenceSpellingFound(spellings, `${row.name as string} ${row.body as string}`) ?? "title, summary, type or topics";
        hits.push({ kind, id: event.id, label: row.name as string, detail: `${event.start} · ${codeEventType(event.type).label}`, matched, score });
      } else if (kind === "source") {
        const source = doc<Source>("sources", row.ref as string);
        const matched = referenceSpellingFound(spellings, `${source.title ?? ""} ${source.description}`) ?? "title or description";
        hits.push({ kind, id: source.id, label: source.title ?? source.description, detail: `published ${source.published.date}`, matched, score });
      } else {
        const place = doc<Place>("places", row.ref as string);
        hits.push({ kind, id: place.id, label: place.name, detail: `${vocabularyLabel("placeKind", place.kind)}${place.country ? ` · ${place.country}` : ""}`, matched: bestName([place.name, ...place.aliases], query.q), score });
      }
    }
  }
  hits.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
  return { query: query.q, data: hits.slice(0, query.limit) };
}
