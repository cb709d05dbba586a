// The name keys alone: the dataset package's index would load the YAML reader and the builder too.
import { nameKeys, nameTokens } from "@backchannel/dataset/names";
import type { Actor } from "@backchannel/schema";
import type Database from "better-sqlite3";

/** Prepares SQL, ideally from a cache: a search runs these statements on every request. */
export type Prepare = (sql: string) => Database.Statement;
import { distance } from "fastest-levenshtein";
import { runNow } from "./stepwise.js";

/** One word of a full-text query: a token to find, and whether longer words starting with it count. */
export interface TextTerm {
  text: string;
  prefix: boolean;
}

/** A full-text query: every group must be found; a group is found when any of its terms is (a word and its other spellings). */
export type TextQuery = TextTerm[][];

/**
 * Bm25 weights of the search table's columns (kind, ref, name, body, tags): a name or title is
 * worth ten words of body text, a type or topic five. Both the SQL and the in-memory index read them.
 */
export const SEARCH_WEIGHTS = [0, 0, 10, 1, 5] as const;

/**
 * The full-text query of the user's words only. Words of three letters or more also match as
 * prefixes ("Mus" finds Muscat); shorter ones only as themselves, since "a*" would match nearly
 * everything. Each word may be found by another spelling of it that an actor's names hold
 * (araqchi* or araghchi). Undefined when nothing is left.
 */
export function textTerms(q: string, spellings: Spelling[] = [], words = nameTokens(q)): TextQuery | undefined {
  const tokens = words.slice(0, 12);
  const group = (token: string): TextTerm[] => {
    const others = spellings.find((spelling) => spelling.typed === token)?.spellings.filter((other) => other !== token) ?? [];
    return [{ text: token, prefix: token.length >= 3 }, ...others.map((other) => ({ text: other, prefix: false }))];
  };
  return tokens.length ? tokens.map(group) : undefined;
}

/** FTS5 MATCH text of a query: every term is quoted, so no input is ever read as FTS syntax. */
export function matchText(query: TextQuery): string {
  const quoted = (term: TextTerm) => `"${term.text.replace(/"/g, '""')}"${term.prefix ? "*" : ""}`;
  return query.map((group) => (group.length > 1 ? `(${group.map(quoted).join(" OR ")})` : quoted(group[0]!))).join(" AND ");
}

/** FTS5 MATCH text for the user's words (textTerms), or undefined when nothing is left. */
export function ftsQuery(q: string, spellings: Spelling[] = []): string | undefined {
  const terms = textTerms(q, spellings);
  return terms && matchText(terms);
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
export function actorSpellings(
  prepare: Prepare,
  q: string,
  matches = matchActors(prepare, q, SPELLING_ACTORS),
  tokensOf: (actor: string) => string[] = (actor) => actorNameTokens(prepare, actor),
  words = nameTokens(q),
): Spelling[] {
  // Matches asked for with a larger limit come in the same order: the first few are these.
  const actors = matches.slice(0, SPELLING_ACTORS).map((match) => match.id);
  if (actors.length === 0) return [];
  const index = actorNames(prepare);
  return [...new Set(words)].map((typed) => {
    let sounds: Set<string> | undefined;
    const isSpelling = (name: string) => {
      if (name === typed) return true;
      // One letter off, or close and sounding alike. The sounds are compared first (remembered
      // per name): edit distance, the costly part, is measured only where it can decide.
      sounds ??= new Set(index.soundsOf(typed));
      if (!index.soundsOf(name).some((key) => sounds!.has(key))) return typed.length >= 4 && Math.abs(name.length - typed.length) <= 1 && distance(name, typed) === 1;
      const apart = distance(name, typed);
      return (typed.length >= 4 && apart === 1) || similarityAt(apart, name, typed) >= PHONETIC_FLOOR;
    };
    // Each actor's spellings in its names' order, the actors in match order, each spelling once.
    const found = actors.flatMap((actor) => index.spellingsAmong(typed, actor, () => tokensOf(actor).filter(isSpelling)));
    return { typed, spellings: actors.length === 1 ? found : [...new Set(found)] };
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
  return similarityAt(distance(a, b), a, b);
}

function similarityAt(distance: number, a: string, b: string): number {
  return 1 - distance / Math.max(a.length, b.length, 1);
}

/** Below this, a shared sound code is a coincidence (Araqchi and IRGC share one). */
const PHONETIC_FLOOR = 0.5;

/**
 * The actors' name tokens and name keys (the `actor_tokens` and `actor_keys` tables), held in
 * memory so that matching a query's words costs no statement per word. Read once per open
 * snapshot, at the first match: proportional to the actors' names (about 15 MB at 50,000 actors).
 * Each lookup returns what the table's primary-key order and the SQL's LIMIT would.
 */
export class ActorNames {
  /** Actor ids, interned: the rows below hold their positions. */
  private readonly actors: string[] = [];
  /** Key k's rows are `keyToken` and `keyActor` from `keyStart[k]` to `keyStart[k + 1]`, in (token, actor) order. */
  private readonly keys = new Map<string, number>();
  private readonly keyStart: number[] = [];
  private readonly keyToken: string[] = [];
  private readonly keyActor: number[] = [];
  /** Distinct tokens in SQLite's order (by code point); each one's actors `tokenActor[tokenStart[t]…tokenStart[t + 1])`. */
  private readonly tokens: string[] = [];
  /** Length in code points, as SQLite's length() counts. */
  private readonly tokenLength: number[] = [];
  private readonly tokenStart: number[] = [];
  private readonly tokenActor: number[] = [];

  /** Read by `ActorNames.reading`. */
  private constructor(
    /** Entries the kept matches and spellings of name tokens may hold in all. */
    private readonly matchesBound: number,
  ) {}

  /**
   * Reads the names `sliceRows` rows at a time (each slice's rows as one text: a row per
   * statement step costs four times as much at 50,000 actors), pausing after each slice, so a
   * warm-up reads them between requests; returns them all.
   */
  static *reading(prepare: Prepare, sliceRows = NAME_SLICE_ROWS, matchesBound = MATCHES_KEPT): Generator<void, ActorNames> {
    const names = new ActorNames(matchesBound);
    const interned = new Map<string, number>();
    const intern = (actor: string) => {
      let index = interned.get(actor);
      if (index === undefined) {
        index = names.actors.push(actor) - 1;
        interned.set(actor, index);
      }
      return index;
    };
    const words = new Map<string, string>();
    const word = (token: string) => words.get(token) ?? (words.set(token, token), token);
    for (const fields of slicesOf(prepare, "actor_keys", ["key", "token", "actor"], sliceRows)) {
      for (let i = 0; i < fields.length; i += 3) {
        // Rows come in key order: a key starts where it differs from the row before.
        const key = fields[i]!;
        if (key !== fields[i - 3] && !names.keys.has(key)) names.keys.set(key, names.keyStart.push(names.keyToken.length) - 1);
        names.keyToken.push(word(fields[i + 1]!));
        names.keyActor.push(intern(fields[i + 2]!));
      }
      yield;
    }
    names.keyStart.push(names.keyToken.length);
    for (const fields of slicesOf(prepare, "actor_tokens", ["token", "actor"], sliceRows)) {
      for (let i = 0; i < fields.length; i += 2) {
        const token = fields[i]!;
        if (names.tokens.at(-1) !== token) {
          names.tokens.push(word(token));
          names.tokenLength.push(codePoints(token));
          names.tokenStart.push(names.tokenActor.length);
        }
        names.tokenActor.push(intern(fields[i + 1]!));
      }
      yield;
    }
    names.tokenStart.push(names.tokenActor.length);
    return names;
  }

  /**
   * What each of the actors' name tokens matches as a word of a query (matchActors) and which
   * tokens of an actor's names are other spellings of it (actorSpellings), worked out at its first
   * search and kept: bounded by the snapshot's own tokens (a word no name holds is worked out every
   * time) and by MATCHES_KEPT entries in all (an actor a token matches, or an actor whose spellings
   * of it were found).
   */
  private readonly tokenMatches = new Map<string, ReadonlyMap<string, number>>();
  private readonly tokenSpellings = new Map<string, Map<string, string[]>>();
  private entriesKept = 0;

  /** How many entries the kept matches and spellings hold in all (at most the bound, MATCHES_KEPT unless read with another). */
  get keptEntries(): number {
    return this.entriesKept;
  }

  /** Whether `entries` more may be kept for `word`: one of the actors' name tokens, within the bound. */
  private mayKeep(word: string, entries: number): boolean {
    return this.entriesKept + entries <= this.matchesBound && this.isToken(word);
  }

  private isToken(word: string): boolean {
    return this.tokens[this.firstFrom(word)] === word;
  }

  /** The matches of a word, kept when it is one of the actors' name tokens and the bound allows. */
  matchesOf(token: string, work: () => ReadonlyMap<string, number>): ReadonlyMap<string, number> {
    const kept = this.tokenMatches.get(token);
    if (kept) return kept;
    const found = work();
    if (this.mayKeep(token, found.size)) {
      this.tokenMatches.set(token, found);
      this.entriesKept += found.size;
    }
    return found;
  }

  /** The tokens of `actor`'s names that spell the query word `typed` (itself or another spelling), as `find` finds them; kept as the matches are. */
  spellingsAmong(typed: string, actor: string, find: () => string[]): string[] {
    let kept = this.tokenSpellings.get(typed);
    const known = kept?.get(actor);
    if (known !== undefined) return known;
    const found = find();
    if (this.mayKeep(typed, 1)) {
      if (!kept) this.tokenSpellings.set(typed, (kept = new Map()));
      kept.set(actor, found);
      this.entriesKept++;
    }
    return found;
  }

  /** Sound keys of the actors' name tokens, computed once each: every search that names an actor compares them. */
  private readonly sounds = new Map<string, string[]>();

  /** How many words' sound keys are remembered: at most the distinct tokens of the actors' names. */
  get soundsRemembered(): number {
    return this.sounds.size;
  }

  /** A word's sound keys (soundKeys), remembered for the actors' name tokens only: bounded by the tokens the snapshot holds. */
  soundsOf(token: string): string[] {
    let keys = this.sounds.get(token);
    if (!keys) {
      keys = soundKeys(token);
      if (this.isToken(token)) this.sounds.set(token, keys);
    }
    return keys;
  }

  /** `SELECT token, actor FROM actor_keys WHERE key = ? LIMIT 5000`, each row handed to `row`. */
  eachByKey(key: string, row: (token: string, actor: string) => void): void {
    const k = this.keys.get(key);
    if (k === undefined) return;
    for (let i = this.keyStart[k]!, end = Math.min(this.keyStart[k + 1]!, i + ROWS_READ); i < end; i++) row(this.keyToken[i]!, this.actors[this.keyActor[i]!]!);
  }

  /** `SELECT DISTINCT actor FROM actor_tokens WHERE token >= ? AND token < ? LIMIT 5000`, with `token || '\uffff'` as the upper bound. */
  eachWithPrefix(prefix: string, row: (actor: string) => void): void {
    const end = `${prefix}\uffff`;
    const seen = new Set<number>();
    for (let t = this.firstFrom(prefix); t < this.tokens.length && compareCodePoints(this.tokens[t]!, end) < 0 && seen.size < ROWS_READ; t++) {
      for (let i = this.tokenStart[t]!; i < this.tokenStart[t + 1]! && seen.size < ROWS_READ; i++) {
        const actor = this.tokenActor[i]!;
        if (!seen.has(actor)) {
          seen.add(actor);
          row(this.actors[actor]!);
        }
      }
    }
  }

  /** `SELECT DISTINCT token FROM actor_tokens WHERE length(token) BETWEEN ? AND ?`. */
  ofLength(min: number, max: number): string[] {
    const tokens: string[] = [];
    for (let t = 0; t < this.tokens.length; t++) if (this.tokenLength[t]! >= min && this.tokenLength[t]! <= max) tokens.push(this.tokens[t]!);
    return tokens;
  }

  /** `SELECT actor FROM actor_tokens WHERE token = ? LIMIT 5000`, each row handed to `row`. */
  eachByToken(token: string, row: (actor: string) => void): void {
    const t = this.firstFrom(token);
    if (this.tokens[t] !== token) return;
    for (let i = this.tokenStart[t]!, end = Math.min(this.tokenStart[t + 1]!, i + ROWS_READ); i < end; i++) row(this.actors[this.tokenActor[i]!]!);
  }

  /** The first token at or after `token` in SQLite's order. */
  private firstFrom(token: string): number {
    return firstAtOrAfter(this.tokens, token);
  }
}

/** The double-metaphone keys (`p:`) of a word's name keys: the words it sounds like. */
function soundKeys(word: string): string[] {
  return nameKeys(word).filter(({ key }) => key.startsWith("p:")).map(({ key }) => key);
}

/** Entries the kept matches and spellings of name tokens hold in all (about 100 bytes each): a few MB at most. */
export const MATCHES_KEPT = 50_000;

/** Rows one lookup reads at most, as the SQL it replaces did: a short word can match thousands of names. */
const ROWS_READ = 5000;

/** Strings in SQLite's BINARY order (UTF-8 bytes, which is code-point order), not JavaScript's (UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // Surrogates (U+D800–DFFF) carry code points above U+FFFF: they sort after U+E000–FFFF.
    if (x !== y) return (x >= 0xd800 ? (x >= 0xe000 ? x - 0x800 : x + 0x2000) : x) - (y >= 0xd800 ? (y >= 0xe000 ? y - 0x800 : y + 0x2000) : y);
  }
  return a.length - b.length;
}

/** The first place in `sorted` (in SQLite's order, compareCodePoints) whose text is not before `text`. */
export function firstAtOrAfter(sorted: readonly string[], text: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareCodePoints(sorted[middle]!, text) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Rows of the actors' names read per statement: a slice of a warm-up, about 10 ms at 50,000 actors. */
const NAME_SLICE_ROWS = 10_000;

/**
 * A table's rows in primary-key order, `sliceRows` at a time, each slice as its fields in one
 * array (row after row). Names, tokens and ids hold no control characters: U+001F separates them.
 */
function* slicesOf(prepare: Prepare, table: "actor_keys" | "actor_tokens", columns: string[], sliceRows: number): Generator<string[]> {
  const list = columns.join(", ");
  const slice = prepare(
    `SELECT group_concat(${columns.join(" || char(31) || ")}, char(31)) AS fields, count(*) AS n FROM (SELECT ${list} FROM ${table} WHERE (${list}) > (${columns.map(() => "?").join(", ")}) ORDER BY ${list} LIMIT ?)`,
  );
  for (let after = columns.map(() => ""); ; ) {
    const { fields, n } = slice.get(...after, sliceRows) as { fields: string | null; n: number };
    if (fields === null) return;
    const all = fields.split("\u001f");
    yield all;
    if (n < sliceRows) return;
    after = all.slice(-columns.length);
  }
}

/** One name index per open database: the snapshot never changes while open. */
const namesOf = new WeakMap<Database.Database, ActorNames>();
/** A warm-up's reading of the names, not yet finished: a search meanwhile finishes it. */
const namesRead = new WeakMap<Database.Database, Generator<void, ActorNames>>();

/** The actor names of the snapshot `prepare` reads, read into memory at the first call (or the rest of a warm-up's reading). */
export function actorNames(prepare: Prepare): ActorNames {
  const database = prepare("SELECT 1").database;
  let names = namesOf.get(database);
  if (!names) {
    names = runNow(namesRead.get(database) ?? ActorNames.reading(prepare));
    namesOf.set(database, names);
    namesRead.delete(database);
  }
  return names;
}

/** Reads the actor names a slice at a time, pausing after each: a warm-up's steps. */
export function* warmActorNames(prepare: Prepare): Generator<void> {
  const database = prepare("SELECT 1").database;
  if (namesOf.has(database)) return;
  const reading = namesRead.get(database) ?? ActorNames.reading(prepare);
  namesRead.set(database, reading);
  // A search meanwhile finishes the same reading (actorNames).
  while (!namesOf.has(database)) {
    const step = reading.next();
    if (step.done) {
      namesOf.set(database, step.value);
      namesRead.delete(database);
      return;
    }
    yield;
  }
}

/**
 * Actors whose names or aliases match every word of `q`, tolerant of transliteration
 * (double-metaphone keys), of typing a prefix, and of one wrong letter.
 */
export function matchActors(prepare: Prepare, q: string, limit = 200, words = nameTokens(q)): ActorMatch[] {
  const tokens = [...new Set(words)].filter((token) => !["al", "el", "bin", "ibn"].includes(token)).slice(0, 6);
  if (tokens.length === 0) return [];
  const names = actorNames(prepare);
  let result: Map<string, number> | undefined;
  for (const token of tokens) {
    const found = names.matchesOf(token, () => tokenMatches(names, token));
    if (result === undefined) result = new Map(found);
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

/** The actors one word of a query matches, each with its strength: exactly, by sound, as a prefix, or one letter off. */
function tokenMatches(names: ActorNames, token: string): ReadonlyMap<string, number> {
  const found = new Map<string, number>();
  const add = (actor: string, strength: number) => found.set(actor, Math.max(found.get(actor) ?? 0, strength));
  names.eachByKey(`t:${token}`, (_, actor) => add(actor, 1));
  for (const key of new Set(names.soundsOf(token))) {
    // Rows come in token order: each spelling is compared once.
    let spelling = "";
    let similarity = 0;
    names.eachByKey(key, (other, actor) => {
      if (other !== spelling) [spelling, similarity] = [other, spellingSimilarity(token, other)];
      if (similarity >= PHONETIC_FLOOR) add(actor, 0.75 + 0.2 * similarity);
    });
  }
  if (token.length >= 3) names.eachWithPrefix(token, (actor) => add(actor, 0.8));
  if (found.size === 0 && token.length >= 4) {
    const near = names.ofLength(token.length - 1, token.length + 1).filter((other) => distance(other, token) === 1);
    for (const other of near.slice(0, 50)) names.eachByToken(other, (actor) => add(actor, 0.7));
  }
  return found;
}
