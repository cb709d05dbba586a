// The name keys alone: the dataset package's index would load the YAML reader and the builder too.
import { nameKeys, nameTokens } from "@backchannel/dataset/names";
import type { Actor } from "@backchannel/schema";
import type Database from "better-sqlite3";

/** Prepares SQL, ideally from a cache: a search runs these statements on every request. */
export type Prepare = (sql: string) => Database.Statement;
import { distance } from "fastest-levenshtein";

/**
 * FTS5 MATCH text built from the user's words only: every token becomes a quoted term, so no
 * input is ever read as FTS syntax. Words of three letters or more also match as prefixes
 * ("Mus" finds Muscat); shorter ones only as themselves, since "a*" would match nearly
 * everything. Returns undefined when nothing is left.
 */
export function ftsQuery(q: string, spellings: Spelling[] = []): string | undefined {
  const tokens = nameTokens(q).slice(0, 12);
  const quoted = (token: string) => `"${token.replace(/"/g, '""')}"`;
  // Each word, or any other spelling of it that an actor's names hold: ("araqchi"* OR "araghchi").
  const alternatives = (token: string) => {
    const others = spellings.find((spelling) => spelling.typed === token)?.spellings.filter((other) => other !== token) ?? [];
    const own = `${quoted(token)}${token.length >= 3 ? "*" : ""}`;
    return others.length ? `(${[own, ...others.map(quoted)].join(" OR ")})` : own;
  };
  return tokens.length ? tokens.map(alternatives).join(" AND ") : undefined;
}

/** A word of a query and the spellings of it found in the names of the actors it matched. */
export interface Spelling {
  typed: string;
  spellings: string[];
}

/** At most this many actors lend their spellings to one query: a short word can sound like many names. */
export const SPELLING_ACTORS = 5;

/**
 * When `q` names actors (under the phonetic matcher), the other spellings of each of its words
 * in those actors' names and aliases: `Araqchi` → `araghchi`, so text written with any
 * spelling is found by every spelling.
 */
export function actorSpellings(prepare: Prepare, q: string, matches = matchActors(prepare, q, SPELLING_ACTORS), tokensOf: (actor: string) => string[] = (actor) => actorNameTokens(prepare, actor)): Spelling[] {
  // Matches asked for with a larger limit come in the same order: the first few are these.
  const actors = matches.slice(0, SPELLING_ACTORS).map((match) => match.id);
  if (actors.length === 0) return [];
  const names = [...new Set(actors.flatMap(tokensOf))];
  return [...new Set(nameTokens(q))].map((typed) => {
    const sounds = new Set(nameKeys(typed).filter(({ key }) => key.startsWith("p:")).map(({ key }) => key));
    const spellings = names.filter(
      (name) =>
        name === typed ||
        (typed.length >= 4 && distance(name, typed) === 1) ||
        (spellingSimilarity(name, typed) >= PHONETIC_FLOOR && nameKeys(name).some(({ key }) => sounds.has(key))),
    );
    return { typed, spellings };
  });
}

/** The tokens of an actor's name and aliases, read from its record (by primary key: actor_tokens is keyed by token, not by actor). */
export function actorNameTokens(prepare: Prepare, actor: string): string[] {
  const doc = prepare("SELECT doc FROM actors WHERE id = ?").pluck().get(actor) as string | undefined;
  if (doc === undefined) return [];
  const { name, aliases } = JSON.parse(doc) as Actor;
  return [...new Set([name, ...aliases.map((alias) => alias.name)].flatMap(nameTokens))];
}

export interface ActorMatch {
  id: string;
  /** 1 exact; 0.85–0.95 phonetic, by how close the spellings are; 0.8 prefix; 0.7 one letter off — for the weakest word. */
  strength: number;
}

/** 1 for the same spelling, 0 for nothing in common: edit distance over the longer length. */
export function spellingSimilarity(a: string, b: string): number {
  return 1 - distance(a, b) / Math.max(a.length, b.length, 1);
}

/** Below this, a shared sound code is a coincidence (Araqchi and IRGC share one). */
const PHONETIC_FLOOR = 0.5;

/**
 * Actors whose names or aliases match every word of `q`, tolerant of transliteration
 * (double-metaphone keys), of typing a prefix, and of one wrong letter.
 */
export function matchActors(prepare: Prepare, q: string, limit = 200): ActorMatch[] {
  const tokens = [...new Set(nameTokens(q))].filter((token) => !["al", "el", "bin", "ibn"].includes(token)).slice(0, 6);
  if (tokens.length === 0) return [];
  // A token's exact key and its sound keys in one statement, each key still read up to its own bound (a statement costs more than its lookup here).
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
        if (similarity >= PHONETIC_FLOOR) add([row], 0.75 + 0.2 * similarity);
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
