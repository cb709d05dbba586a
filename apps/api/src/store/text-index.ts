import Database from "better-sqlite3";
import { firstAtOrAfter, SEARCH_WEIGHTS, type TextQuery, type TextTerm } from "./search.js";
import { ROWS_PER_STEP, runNow, type Stepwise } from "./stepwise.js";

/**
 * Up to this many words (token instances) in the full-text index, search ranks from memory. The
 * curated record holds about 4,000; a synthetic 20,000 events hold 390,000, read in half a second
 * into about 27 MB. Beyond it, and for a snapshot beyond the event index's bounds, FTS5 ranks.
 */
export const TEXT_INDEX_MAX_TOKENS = 500_000;

/** Query terms whose words are remembered at most: queries come from outside. */
export const TOKENIZED_WORDS = 10_000;

/** One ranked row, as `SELECT kind, ref, name, body, bm25(search, …) AS rank … ORDER BY rank` reads it. */
export type TextRow = [kind: "actor" | "event" | "source" | "place", ref: string, name: string, body: string, rank: number];

// BM25's constants, as FTS5's bm25() sets them.
const K1 = 1.2;
const B = 0.75;

/**
 * The snapshot's full-text index (the `search` table) in memory: each word's rows and weighted
 * frequency, each row's length, ranked by the very arithmetic of FTS5's bm25() (fts5_aux.c) in
 * the same order of operations, so that scores are the same doubles. Words are the index's own
 * (read through fts5vocab), and the query's words are cut and stemmed by SQLite's tokenizer
 * too, so the two never disagree on what a word is. A property test holds it to the SQL path.
 */
export class TextIndex {
  private constructor(
    private readonly rowids: number[],
    private readonly kinds: TextRow[0][],
    private readonly refs: string[],
    private readonly names: string[],
    private readonly bodies: string[],
    /** Each row's words, all columns (FTS5's xColumnSize(-1)). */
    private readonly lengths: Int32Array,
    private readonly averageLength: number,
    /** The distinct words, in the index's own order (SQLite's: UTF-8 bytes); word w's rows are `rows[starts[w]…starts[w + 1])`. */
    private readonly words: string[],
    private readonly starts: Int32Array,
    private readonly rows: Int32Array,
    /** Per word and row: its instances, each weighted by its column's weight. */
    private readonly frequencies: Float64Array,
    private readonly scratch: ScratchDatabase,
  ) {
    const n = rowids.length;
    this.scratchRows = { reached: new Int32Array(n), phraseSeen: new Int32Array(n), groupSeen: new Int32Array(n), slot: new Int32Array(n).fill(-1) };
  }

  /** Inverse document frequency by number of rows holding a phrase, computed once each. */
  private readonly idfs = new Map<number, number>();

  /** The index of the snapshot `db` reads, or undefined when its full-text index holds more than `maxTokens` words. */
  static read(db: Database.Database, maxTokens = TEXT_INDEX_MAX_TOKENS): TextIndex | undefined {
    return runNow(TextIndex.reading(db, maxTokens));
  }

  /** `read`, in steps of ROWS_PER_STEP rows (stepwise.ts). */
  static *reading(db: Database.Database, maxTokens = TEXT_INDEX_MAX_TOKENS): Stepwise<TextIndex | undefined> {
    const definition = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search'").pluck().get() as string | undefined;
    const tokenize = definition && /tokenize\s*=\s*'([^']*)'/.exec(definition)?.[1];
    if (!tokenize) return undefined;
    const columns = db.prepare("SELECT name FROM pragma_table_info('search')").pluck().all() as string[];
    const weightOf = new Map(columns.map((column, index) => [column, SEARCH_WEIGHTS[index] ?? 1]));

    // Through the snapshot's own connection, so that the index is of the very file it serves (the
    // path may name a newer build by now). fts5vocab is a (temporary) table, which the connection's
    // query_only forbids: lifted for that one statement.
    const queryOnly = db.pragma("query_only", { simple: true }) as number;
    db.pragma("query_only = OFF");
    try {
      db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words USING fts5vocab(main, search, 'instance')");
    } finally {
      db.pragma(`query_only = ${queryOnly ? "ON" : "OFF"}`);
    }

    const rowids: number[] = [];
    const kinds: TextRow[0][] = [];
    const refs: string[] = [];
    const names: string[] = [];
    const bodies: string[] = [];
    const ordinal = new Map<number, number>();
    for (const [rowid, kind, ref, name, body] of db.prepare("SELECT rowid, kind, ref, name, body FROM search ORDER BY rowid").raw().iterate() as Iterable<[number, TextRow[0], string, string, string]>) {
      ordinal.set(rowid, rowids.push(rowid) - 1);
      kinds.push(kind);
      refs.push(ref);
      names.push(name);
      if (bodies.push(body) % ROWS_PER_STEP === 0) yield;
    }
    const lengths = new Int32Array(rowids.length);

    const words: string[] = [];
    const starts: number[] = [];
    const rows: number[] = [];
    const frequencies: number[] = [];
    let tokens = 0;
    // Instances come by word, then row (then column and offset): each (word, row) is one run.
    for (const [word, rowid, column] of db.prepare("SELECT term, doc, col FROM temp.search_words").raw().iterate() as Iterable<[string, number, string]>) {
      if (++tokens > maxTokens) return undefined;
      const row = ordinal.get(rowid)!;
      if (words.at(-1) !== word) {
        words.push(word);
        starts.push(rows.length);
      }
      if (rows.length === starts.at(-1)! || rows.at(-1) !== row) {
        rows.push(row);
        frequencies.push(0);
      }
      frequencies[frequencies.length - 1]! += weightOf.get(column) ?? 1;
      lengths[row]!++;
      if (tokens % ROWS_PER_STEP === 0) yield;
    }
    starts.push(rows.length);
    return new TextIndex(rowids, kinds, refs, names, bodies, lengths, tokens / rowids.length, words, Int32Array.from(starts), Int32Array.from(rows), Float64Array.from(frequencies), new ScratchDatabase(tokenize));
  }

  /** The refs of the rows of `kind` that `query` finds (as FTS5's MATCH finds them), unranked; undefined as for `rank`. */
  refsOf(query: TextQuery, kind: TextRow[0]): string[] | undefined {
    const found = this.match(query);
    if (!found) return undefined;
    const refs: string[] = [];
    for (const row of found.matched) if (this.kinds[row] === kind) refs.push(this.refs[row]!);
    return refs;
  }

  /**
   * The rows holding every group of `query` (in no order), its phrases (their words) in FTS5's
   * order, and how many rows hold each phrase. Undefined when a term is not one word to SQLite's
   * tokenizer (a phrase): FTS5 answers those.
   */
  private match(query: TextQuery): { phrases: { group: number; words: number[] }[]; matched: number[]; holdings: number[] } | undefined {
    // FTS5 numbers phrases left to right (`rank` sums their scores in that order).
    const phrases: { group: number; words: number[] }[] = [];
    for (const [group, terms] of query.entries()) {
      for (const term of terms) {
        const words = this.wordsOfTerm(term);
        if (words === null) return undefined;
        phrases.push({ group, words });
      }
    }
    const { reached, phraseSeen, groupSeen } = this.scratchRows;
    // Pass 1: the rows holding each phrase (its IDF), and how many groups in a row each row holds.
    const holdings: number[] = [];
    const touched: number[] = [];
    let groupStamp = 0;
    for (const [p, { group, words }] of phrases.entries()) {
      if (p === 0 || phrases[p - 1]!.group !== group) groupStamp = this.nextStamp();
      const phraseStamp = this.nextStamp();
      let holding = 0;
      for (const w of words) {
        for (let i = this.starts[w]!, end = this.starts[w + 1]!; i < end; i++) {
          const row = this.rows[i]!;
          if (phraseSeen[row] === phraseStamp) continue;
          phraseSeen[row] = phraseStamp;
          holding++;
          if (groupSeen[row] === groupStamp) continue;
          groupSeen[row] = groupStamp;
          if (group === 0) {
            reached[row] = 1;
            touched.push(row);
          } else if (reached[row] === group) reached[row] = group + 1;
        }
      }
      holdings.push(holding);
    }
    const matched: number[] = [];
    for (const row of touched) {
      if (reached[row] === query.length) matched.push(row);
      reached[row] = 0;
    }
    return { phrases, matched, holdings };
  }

  /**
   * The `limit` best rows for `query`, as FTS5 ranks them: by bm25 (lowest first), then by rowid.
   * Undefined when a term is not one word to SQLite's tokenizer (a phrase): FTS5 answers those.
   */
  rank(query: TextQuery, limit: number): TextRow[] | undefined {
    const found = this.match(query);
    if (!found) return undefined;
    const { phrases, matched, holdings } = found;
    const idfs = holdings.map((holding) => this.idf(holding));
    const { slot } = this.scratchRows;
    for (let at = 0; at < matched.length; at++) slot[matched[at]!] = at;
    // Pass 2: each matched row's weighted frequency of each phrase (in the array kept for rankings when it fits).
    const n = phrases.length;
    const cells = matched.length * n;
    const frequencies = cells <= this.rowPhrase.length ? this.rowPhrase.fill(0, 0, cells) : new Float64Array(cells);
    for (let p = 0; p < n; p++) {
      for (const w of phrases[p]!.words) {
        for (let i = this.starts[w]!, end = this.starts[w + 1]!; i < end; i++) {
          const at = slot[this.rows[i]!]!;
          if (at >= 0) frequencies[at * n + p] = frequencies[at * n + p]! + this.frequencies[i]!;
        }
      }
    }
    const ranked: { row: number; rank: number }[] = [];
    for (let at = 0; at < matched.length; at++) {
      const row = matched[at]!;
      slot[row] = -1;
      const length = this.lengths[row]!;
      let score = 0;
      for (let p = 0; p < n; p++) {
        const frequency = frequencies[at * n + p]!;
        score += idfs[p]! * ((frequency * (K1 + 1.0)) / (frequency + K1 * (1 - B + (B * length) / this.averageLength)));
      }
      ranked.push({ row, rank: -1.0 * score });
    }
    ranked.sort((a, b) => a.rank - b.rank || this.rowids[a.row]! - this.rowids[b.row]!);
    return ranked.slice(0, limit).map(({ row, rank }) => [this.kinds[row]!, this.refs[row]!, this.names[row]!, this.bodies[row]!, rank]);
  }

  /** Per row, reused by every ranking (one at a time: ranking is synchronous): stamps instead of a Set or Map per query. */
  private readonly scratchRows: { reached: Int32Array; phraseSeen: Int32Array; groupSeen: Int32Array; slot: Int32Array };
  private stamp = 0;
  /** Per matched row and phrase, its weighted frequency, for rankings of up to 4,096 of them (most); a larger one gets its own. */
  private readonly rowPhrase = new Float64Array(4096);

  private nextStamp(): number {
    if (this.stamp === 0x7fffffff) {
      this.scratchRows.phraseSeen.fill(0);
      this.scratchRows.groupSeen.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /**
   * The words a query term finds, or null when the tokenizer does not cut it into one word;
   * remembered per term, up to TOKENIZED_WORDS terms (the oldest forgotten first): queries come
   * from outside. A term's words are at most the words that start with it, so what is kept is
   * bounded by the index's own words too.
   */
  private readonly termWords = new Map<string, number[] | null>();

  private wordsOfTerm(term: TextTerm): number[] | null {
    const key = `${term.prefix ? "*" : "="}${term.text}`;
    let words = this.termWords.get(key);
    if (words === undefined) {
      const tokens = this.scratch.tokens(term.text);
      words = tokens.length === 1 ? this.wordsFor(tokens[0]!, term.prefix) : null;
      // The oldest goes first: a Map keeps its keys in insertion order.
      if (this.termWords.size >= TOKENIZED_WORDS) this.termWords.delete(this.termWords.keys().next().value!);
      this.termWords.set(key, words);
    }
    return words;
  }

  /** The words `word` finds: itself, or as a prefix every word starting with it. */
  private wordsFor(word: string, prefix: boolean): number[] {
    const found: number[] = [];
    for (let w = firstAtOrAfter(this.words, word); w < this.words.length; w++) {
      if (prefix ? !this.words[w]!.startsWith(word) : this.words[w] !== word) break;
      found.push(w);
    }
    return found;
  }

  /** FTS5's IDF: log((N - n + 0.5) / (n + 0.5)), and 1e-6 when that is not positive. */
  private idf(rowsHolding: number): number {
    let idf = this.idfs.get(rowsHolding);
    if (idf === undefined) {
      const n = this.rowids.length;
      idf = this.scratch.ln((n - rowsHolding + 0.5) / (rowsHolding + 0.5));
      if (idf <= 0.0) idf = 1e-6;
      this.idfs.set(rowsHolding, idf);
    }
    return idf;
  }

  /** How many query terms' words are remembered (at most TOKENIZED_WORDS). */
  get tokenizedWords(): number {
    return this.termWords.size;
  }

  close(): void {
    this.scratch.close();
  }
}

/**
 * An in-memory SQLite beside the index, for what must be computed as SQLite computes it: a
 * query word cut and stemmed by the snapshot's tokenizer (its words remembered by the index),
 * and log() from SQLite's C library, which JavaScript's Math.log may differ from in the last bit.
 */
class ScratchDatabase {
  private readonly db: Database.Database;
  private readonly statements: Record<"begin" | "insert" | "tokens" | "rollback" | "ln", Database.Statement>;

  constructor(tokenize: string) {
    this.db = new Database(":memory:");
    this.db.exec(`CREATE VIRTUAL TABLE words USING fts5(text, tokenize = '${tokenize.replace(/'/g, "''")}');
      CREATE VIRTUAL TABLE words_instances USING fts5vocab(words, 'instance');`);
    this.statements = {
      begin: this.db.prepare("BEGIN"),
      insert: this.db.prepare("INSERT INTO words (rowid, text) VALUES (1, ?)"),
      tokens: this.db.prepare("SELECT term FROM words_instances ORDER BY offset").pluck(),
      rollback: this.db.prepare("ROLLBACK"),
      ln: this.db.prepare("SELECT ln(?)").pluck(),
    };
  }

  /** The words SQLite's tokenizer makes of `text`: written and rolled back, so nothing accumulates. */
  tokens(text: string): string[] {
    this.statements.begin.run();
    try {
      this.statements.insert.run(text);
      return this.statements.tokens.all() as string[];
    } finally {
      this.statements.rollback.run();
    }
  }

  ln(x: number): number {
    return this.statements.ln.get(x) as number;
  }

  close(): void {
    this.db.close();
  }
}
