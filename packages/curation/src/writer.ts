import { formatProblem, loadDataset, normaliseQuoted, spellingPattern } from "@backchannel/dataset";
import { articlesDir, splitParagraphs } from "@backchannel/dataset/articles";
import {
  ActorSchema,
  EventSchema,
  SourceSchema,
  type Actor,
  type Citation,
  type Decision,
  type Draft,
  type DraftEvent,
  type Event,
  type Source,
} from "@backchannel/schema";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { Document, isMap, isScalar, isSeq, parseDocument, visit, type YAMLMap, type YAMLSeq } from "yaml";
import { slugify } from "./source.js";

/** What a write did, or why it did nothing. */
export type WriteResult =
  | { ok: true; written: string[]; skipped: string[] }
  | { ok: false; problems: string[]; skipped: string[] };

/** At most this many words of evidence become a citation's quote (the codebook's "about 30"). */
const QUOTE_WORDS = 30;

/** The evidence words from a paragraph the citation names (a quote must be checkable there). */
function quoteOf(event: DraftEvent, paragraphs: number[]): string {
  const evidence = event.evidence.find((e) => paragraphs.includes(e.paragraph)) ?? event.evidence[0]!;
  return evidence.words.split(/\s+/).filter(Boolean).slice(0, QUOTE_WORDS).join(" ");
}

/** File edits before they touch the disk: path relative to data/ → new text. */
type Changes = Map<string, string>;

/**
 * Turns the accepted proposals into records: new files for new events, actors and the source;
 * citations and date refinements added into existing event files, their comments and layout kept.
 * Everything is validated with data:check's own loader on a copy first; on any problem nothing is written.
 */
/**
 * Writes what the curator accepted into `dataDir`. `paragraphs`, the article's text, lets the writer
 * credit the new source with the spellings it uses that the record held as no source's (`common`).
 */
export interface WriteOptions {
  /** The folder of the source articles (default: BACKCHANNEL_ARTICLES, else ../shared/sources beside data/'s parent, as data:check finds it). */
  articles?: string;
}

export function writeAccepted(draft: Draft, decisions: Record<string, Decision>, dataDir: string, paragraphs: string[] = [], options: WriteOptions = {}): WriteResult {
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) return { ok: false, problems: ["data/ does not pass data:check as it is; fix it first:", ...loaded.problems.map(formatProblem)], skipped: [] };
  const dataset = loaded.dataset;
  const accepted = (id: string) => decisions[id] === "accepted";
  const changes: Changes = new Map();
  const skipped: string[] = [];
  const events = draft.events.filter((event) => accepted(event.id));
  if (events.length === 0 && !draft.actors.some((actor) => accepted(actor.id) && actor.status === "new")) {
    return { ok: true, written: [], skipped: ["nothing accepted: nothing to write"] };
  }

  // The source: the record's own when the article is already in it, else a new file.
  const existingSource = dataset.sources.find((source) => source.id === draft.source.id || source.file === draft.source.file);
  const sourceId = existingSource?.id ?? draft.source.id;
  const credits = existingSource?.credits ?? draft.source.credits.map(({ actor, role, paragraphs }) => ({ actor, role, paragraphs }));
  if (!existingSource) changes.set(`sources/${sourceId}.yaml`, recordYaml(SourceSchema.parse(newSource(draft))));

  // A spelling the record held as no source's ("common") that this article uses is now a source's.
  const article = normaliseQuoted(paragraphs.join(" "));
  for (const actor of article ? dataset.actors : []) {
    actor.aliases.forEach((alias, at) => {
      if (!alias.common || !spellingPattern(alias.name).test(article)) return;
      const path = `actors/${actor.id}.yaml`;
      const document = parseDocument(changes.get(path) ?? readFileSync(join(dataDir, path), "utf8"));
      const node = document.getIn(["aliases", at], true);
      if (!isMap(node)) return;
      node.delete("common");
      const usedBy = document.createNode([sourceId]) as YAMLSeq;
      usedBy.flow = true;
      node.set("usedBy", usedBy);
      changes.set(path, document.toString(TO_STRING));
    });
  }

  // New actors: those accepted, and those an accepted event needs.
  const newActorIds = new Map<string, string>();
  for (const actor of draft.actors) {
    if (actor.status !== "new") continue;
    const needed = events.some((event) => event.participants.some((p) => p.proposal === actor.id));
    if (!accepted(actor.id) && !needed) continue;
    if (decisions[actor.id] === "rejected") continue;
    const id = actor.actor!;
    newActorIds.set(actor.id, id);
    const record: Actor = ActorSchema.parse({
      id,
      kind: actor.kind ?? "person",
      name: actor.name,
      aliases: [],
      ...(actor.country ? { country: actor.country } : {}),
      description: `Named in "${titleOf(draft)}"; proposed by the curator's assistant (kind and country are guesses): describe.`,
      positions: [],
    });
    changes.set(`actors/${id}.yaml`, recordYaml(record));
  }

  const takenIds = new Set(dataset.events.map((event) => event.id));
  for (const event of events) {
    const agency = event.agency && credits.some((credit) => credit.actor === event.agency && credit.role === "agency" && event.paragraphs.some((p) => credit.paragraphs.includes(p))) ? event.agency : undefined;
    const creditedParagraphs = agency ? event.paragraphs.filter((p) => credits.some((c) => c.actor === agency && c.paragraphs.includes(p))) : event.paragraphs;
    const citation: Citation = { source: sourceId, paragraphs: creditedParagraphs, ...(agency ? { agency } : {}), quote: quoteOf(event, creditedParagraphs) };
    if (event.proposal === "corroborates" && event.existing) {
      // Two accepted reports of one existing event from this article make one citation.
      const earlier = events.slice(0, events.indexOf(event)).some((other) => other.proposal === "corroborates" && other.existing === event.existing);
      if (earlier) continue;
      const siblings = events.filter((other) => other.proposal === "corroborates" && other.existing === event.existing);
      citation.paragraphs = [...new Set(siblings.flatMap((other) => (agency ? other.paragraphs.filter((p) => credits.some((c) => c.actor === agency && c.paragraphs.includes(p))) : other.paragraphs)))].sort((a, b) => a - b);
      if (citation.paragraphs.length === 0) citation.paragraphs = event.paragraphs;
      citation.quote = quoteOf(siblings.find((other) => other.evidence.some((e) => citation.paragraphs.includes(e.paragraph))) ?? event, citation.paragraphs);
      const path = `events/${event.existing}.yaml`;
      const file = join(dataDir, path);
      if (!existsSync(file)) {
        skipped.push(`${event.id}: ${event.existing} is not in data/ (any more)`);
        continue;
      }
      changes.set(path, addCitation(changes.get(path) ?? readFileSync(file, "utf8"), citation, event.refineDate));
      continue;
    }
    const participants = event.participants.flatMap((p) => {
      const actor = p.actor ?? (p.proposal ? newActorIds.get(p.proposal) : undefined);
      return actor ? [{ actor, role: p.role }] : [];
    });
    const unique = participants.filter((p, at) => participants.findIndex((o) => o.actor === p.actor) === at);
    if (unique.length === 0) {
      skipped.push(`${event.id}: no participant is linked to an actor (pick candidates first)`);
      continue;
    }
    let id = `${event.date.start}-${slugify(event.title)}`.slice(0, 100).replace(/-+$/, "");
    for (let n = 2; takenIds.has(id); n++) id = `${event.date.start}-${slugify(event.title)}-${n}`;
    takenIds.add(id);
    const record: Event = EventSchema.parse({
      id,
      title: event.title,
      summary: `${event.title} (${event.status}). Drafted by the curator's assistant from "${titleOf(draft)}", paragraph${event.paragraphs.length > 1 ? "s" : ""} ${event.paragraphs.join(", ")}; reviewed and accepted by a curator.`,
      date: event.date,
      status: event.status,
      type: event.type,
      places: event.places.flatMap((p) => (p.place ? [p.place] : [])),
      participants: unique,
      topics: [],
      relations: [],
      citations: [citation],
    });
    changes.set(`events/${id}.yaml`, recordYaml(record));
  }

  // A new source's article goes where data:check looks for it, so that its quotes can be verified there.
  const placed = existingSource || paragraphs.length === 0 ? undefined : placeArticle(draft.source.file, paragraphs, options.articles ?? articlesDir(resolve(dataDir, "..")));
  if (placed?.problem) return { ok: false, problems: [placed.problem], skipped };
  if (placed?.note) skipped.push(placed.note);

  // The same checks as data:check, on a copy with the changes; the real data/ only if all pass.
  const scratch = mkdtempSync(join(tmpdir(), "backchannel-review-"));
  try {
    const copy = join(scratch, "data");
    cpSync(dataDir, copy, { recursive: true });
    for (const [path, text] of changes) writeFileSync(join(copy, path), text);
    const check = loadDataset(copy);
    if (!check.ok) {
      return {
        ok: false,
        problems: check.problems.filter((p) => p.severity === "error").map((problem) => formatProblem({ ...problem, file: join(relative(process.cwd(), dataDir) || ".", relative(copy, problem.file)) })),
        skipped,
      };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const [path, text] of changes) writeFileSync(join(dataDir, path), text);
  const written = [...changes.keys()].map((path) => join(relative(process.cwd(), dataDir) || ".", path));
  if (placed?.copyTo) {
    writeFileSync(placed.copyTo, `${paragraphs.join("\n\n")}\n`);
    written.push(relative(process.cwd(), placed.copyTo) || placed.copyTo);
  }
  return { ok: true, written, skipped };
}

/**
 * Where a new source's article text goes: into the articles folder under the source's file name, the
 * paragraphs as the draft numbered them. An article already there with the same paragraphs is left as
 * it is; a different one of that name stops the write (the record would cite the wrong text).
 */
function placeArticle(file: string, paragraphs: string[], folder: string): { copyTo?: string; note?: string; problem?: string } {
  // draft.json can be edited: its file name must stay a name inside the folder.
  if (file !== basename(file) || file.startsWith(".") || file.includes("\\")) return { problem: `the article's file name "${file}" is not a plain file name: give the draft a name such as article.txt` };
  if (!existsSync(folder)) return { note: `the article was not copied: there is no articles folder at ${folder} (set BACKCHANNEL_ARTICLES); copy it there as ${file} so that data:check can verify its quotes` };
  const target = join(folder, file);
  if (!existsSync(target)) return { copyTo: target };
  const present = splitParagraphs(readFileSync(target, "utf8"));
  if (present.length === paragraphs.length && present.every((paragraph, at) => paragraph === paragraphs[at]!.trim())) return {};
  return { problem: `${target} already holds a different article: rename the new article's file and draft it again (its source would cite the wrong text)` };
}

/** How the record's files are written: no folding, flow lists of plain values, `[a, b]` unpadded. */
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/** A new record in the house style: short lists and participants on one line, like the curated files. */
export function recordYaml(record: object): string {
  const document = new Document(record);
  visit(document, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
    Map(_, map) {
      if (map.items.length <= 4 && map.items.every((pair) => isScalar(pair.value)) && !map.items.some((pair) => isScalar(pair.key) && ["quote", "note", "summary"].includes(String(pair.key.value)))) map.flow = true;
    },
  });
  return document.toString(TO_STRING);
}

/** A small record as the house writes it inside a list item: block keys, flow lists of values. */
function blockYaml(value: object): string {
  const document = new Document(value);
  visit(document, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
  });
  return document.toString(TO_STRING).trimEnd();
}

/** The end of a node's text, past a comment on its last line. */
function endOfLine(text: string, node: { range?: [number, number, number] | null }): number {
  const [start, valueEnd] = node.range!;
  const end = start + text.slice(start, valueEnd).trimEnd().length;
  const newline = text.indexOf("\n", end);
  return newline === -1 ? text.length : newline;
}

/**
 * Adds a citation (and a finer date) to an event file. The new text is spliced in where it belongs;
 * every other byte of the file, its comments and its layout, stays as the curator wrote it.
 */
export function addCitation(text: string, citation: Citation, refineDate?: Event["date"]): string {
  const document = parseDocument(text);
  const citations = document.get("citations", true);
  if (!isSeq(citations) || citations.flow || citations.items.length === 0 || !citations.range) throw new Error("the event file has no block list of citations");
  const items = (citations as YAMLSeq).items;
  const already = items.some((item) => {
    const value = (item as { toJSON(): unknown }).toJSON() as Citation;
    return value.source === citation.source && JSON.stringify(value.paragraphs) === JSON.stringify(citation.paragraphs);
  });
  let updated = text;
  if (!already) {
    const first = items[0] as { range?: [number, number, number] | null };
    const dash = text.lastIndexOf("-", first.range![0]);
    const indent = text.slice(text.lastIndexOf("\n", dash) + 1, dash);
    const lines = blockYaml(citation).split("\n");
    const item = lines.map((line, at) => `${indent}${at === 0 ? "- " : "  "}${line}`).join("\n");
    const at = endOfLine(text, citations as { range?: [number, number, number] | null });
    updated = `${text.slice(0, at)}\n${item}${text.slice(at)}`;
  }
  if (refineDate) {
    const again = parseDocument(updated);
    const date = again.get("date", true) as YAMLMap | undefined;
    if (!isMap(date) || !date.range) throw new Error("the event file has no date");
    const start = date.range[0];
    const indent = " ".repeat(start - (updated.lastIndexOf("\n", start) + 1));
    const replacement = date.flow ? JSON.stringify(refineDate) : blockYaml(refineDate).split("\n").join(`\n${indent}`);
    const end = start + updated.slice(start, date.range[1]).trimEnd().length;
    updated = `${updated.slice(0, start)}${replacement}${updated.slice(end)}`;
  }
  return updated;
}

/** The article's title as our templates quote it: short enough for any record's field limits. */
const titleOf = (draft: Draft) => {
  const title = draft.source.title ?? draft.source.file;
  return title.length > 100 ? `${title.slice(0, 99)}…` : title;
};

function newSource(draft: Draft): Source {
  const { source } = draft;
  return {
    id: source.id,
    kind: "news-article",
    file: source.file,
    ...(source.title ? { title: source.title } : {}),
    description: `${titleOf(draft)}: drafted by the curator's assistant; describe.`,
    outlet: source.outlet.actor
      ? { actor: source.outlet.actor, basis: source.outlet.basis === "unknown" ? "inferred" : source.outlet.basis, ...(source.outlet.note ? { note: source.outlet.note } : source.outlet.basis !== "stated" ? { note: "Inferred by the curator's assistant." } : {}) }
      : { basis: "unknown", note: source.outlet.note ?? "The text does not name its outlet." },
    published: { date: source.published.date, ...(source.published.end ? { end: source.published.end } : {}), basis: source.published.basis, ...(source.published.note ? { note: source.published.note } : {}) },
    ...(source.byline ? { byline: source.byline } : {}),
    ...(source.dateline ? { dateline: { text: source.dateline.text, ...(source.dateline.place ? { place: source.dateline.place } : {}) } } : {}),
    language: source.language,
    paragraphs: Math.max(1, source.paragraphs),
    credits: source.credits.map(({ actor, role, paragraphs }) => ({ actor, role, paragraphs })),
  };
}
