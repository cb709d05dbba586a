import type { Dataset } from "@backchannel/dataset";
import { precisionOf, spanBounds, spansOverlap, type Draft, type DraftEvent, type Event, type Source } from "@backchannel/schema";
import { draftFromParagraphs } from "./draft.js";
import { TYPE_FAMILIES } from "./patterns.js";
import { RecordIndex } from "./record.js";

/** Counts for one article; rates are derived from sums, so articles add up (micro-averages). */
export interface Score {
  article: string;
  goldEvents: number;
  draftEvents: number;
  matchedGold: number;
  matchedDraft: number;
  participantsShared: number;
  participantsDraft: number;
  participantsGold: number;
  datesRight: number;
  basesRight: number;
  actorsLinked: number;
  actorsLinkedRight: number;
  goldActors: number;
  goldActorsFound: number;
  wrongMerges: number;
  corroborationsExpected: number;
  corroborationsFound: number;
  twins: number;
  creditsExpected: number;
  creditsFound: number;
  milliseconds: number;
}

/** The record as it was before this source: without the events only it cites. */
export function recordWithout(dataset: Dataset, sourceId: string): Dataset {
  return { ...dataset, events: dataset.events.filter((event) => event.citations.some((citation) => citation.source !== sourceId)) };
}

/** A draft event reports a curated one: same type family, overlapping dates, half its participants or more. */
export function reports(draft: DraftEvent, gold: Event): boolean {
  if (draft.existing === gold.id) return true;
  if (TYPE_FAMILIES[draft.type] !== TYPE_FAMILIES[gold.type]) return false;
  if (!spansOverlap(spanBounds(draft.date), spanBounds(gold.date))) return false;
  const mine = new Set(draft.participants.flatMap((p) => (p.actor ? [p.actor] : [])));
  const shared = gold.participants.filter((p) => mine.has(p.actor)).length;
  return shared * 2 >= gold.participants.length;
}

/**
 * Right at the record's precision: the draft says at least as much, and agrees on it — at both ends.
 * A record without an end ends where it starts: a draft span or window reaching past it (into October
 * for a record of September, onto a second day for a one-day record) says something else.
 */
export function dateRight(draft: DraftEvent["date"], gold: Event["date"]): boolean {
  const length = gold.start.length;
  const goldEnd = gold.end ?? gold.start;
  const draftEnd = draft.end ?? draft.start;
  return draft.start.length >= length && draft.start.slice(0, length) === gold.start && draftEnd.length >= goldEnd.length && draftEnd.slice(0, goldEnd.length) === goldEnd;
}

export function scoreDraft(draft: Draft, dataset: Dataset, source: Source, milliseconds = 0): Score {
  const gold = dataset.events.filter((event) => event.citations.some((citation) => citation.source === source.id));
  const remaining = new Set(recordWithout(dataset, source.id).events.map((event) => event.id));
  const matched = matchEvents(draft, gold);
  const usedDraft = new Set(matched.map(([d]) => d));
  const usedGold = new Set(matched.map(([, g]) => g));
  let participantsShared = 0;
  let participantsDraft = 0;
  let participantsGold = 0;
  let datesRight = 0;
  let basesRight = 0;
  for (const [d, g] of matched) {
    const mine = new Set(d.participants.flatMap((p) => (p.actor ? [p.actor] : [])));
    const theirs = new Set(g.participants.map((p) => p.actor));
    participantsShared += [...mine].filter((id) => theirs.has(id)).length;
    participantsDraft += d.participants.length;
    participantsGold += theirs.size;
    if (dateRight(d.date, g.date)) datesRight++;
    if (d.date.basis === g.date.basis) basesRight++;
  }

  const goldActors = new Set<string>([
    ...gold.flatMap((event) => event.participants.map((p) => p.actor)),
    ...source.credits.map((credit) => credit.actor),
    ...dataset.actors.filter((actor) => actor.aliases.some((alias) => alias.usedBy?.includes(source.id))).map((actor) => actor.id),
  ]);
  const linked = draft.actors.filter((actor) => actor.status === "existing");
  const linkedIds = new Set(linked.map((actor) => actor.actor!));
  // A wrong merge: a spelling the curators gave to one actor, linked by the draft to another.
  const spelledFor = new Map<string, string>();
  for (const actor of dataset.actors) for (const name of [actor.name, ...actor.aliases.map((alias) => alias.name)]) spelledFor.set(name.toLowerCase(), actor.id);
  const wrongMerges = linked.filter((actor) => {
    const owner = spelledFor.get(actor.name.toLowerCase());
    return (owner !== undefined && owner !== actor.actor) || (actor.via !== "name" && actor.via !== "alias" && actor.via !== "native-script" && actor.via !== "demonym" && !goldActors.has(actor.actor!));
  }).length;

  const expectedCorroborations = gold.filter((event) => remaining.has(event.id));
  const corroborationsFound = expectedCorroborations.filter((event) => draft.events.some((d) => d.proposal === "corroborates" && d.existing === event.id)).length;
  const twins = matched.filter(([d, g]) => d.proposal === "new" && remaining.has(g.id)).length;
  const goldCredits = source.credits.flatMap((credit) => credit.paragraphs.map((paragraph) => `${credit.actor}:${paragraph}`));
  const draftCredits = new Set(draft.source.credits.flatMap((credit) => credit.paragraphs.map((paragraph) => `${credit.actor}:${paragraph}`)));
  return {
    article: source.id,
    goldEvents: gold.length,
    draftEvents: draft.events.length,
    matchedGold: usedGold.size,
    matchedDraft: usedDraft.size,
    participantsShared,
    participantsDraft,
    participantsGold,
    datesRight,
    basesRight,
    actorsLinked: linkedIds.size,
    actorsLinkedRight: [...linkedIds].filter((id) => goldActors.has(id)).length,
    goldActors: goldActors.size,
    goldActorsFound: [...goldActors].filter((id) => linkedIds.has(id)).length,
    wrongMerges,
    corroborationsExpected: expectedCorroborations.length,
    corroborationsFound,
    twins,
    creditsExpected: goldCredits.length,
    creditsFound: goldCredits.filter((credit) => draftCredits.has(credit)).length,
    milliseconds,
  };
}

function overlap(d: DraftEvent, g: Event): number {
  const mine = new Set(d.participants.flatMap((p) => (p.actor ? [p.actor] : [])));
  return g.participants.filter((p) => mine.has(p.actor)).length / g.participants.length + (d.type === g.type ? 0.5 : 0) + (precisionOf(d.date.start) === precisionOf(g.date.start) ? 0.1 : 0);
}

/** Leave-one-source-out over every source whose article is at hand; `onDraft` sees each draft (for `--misses`). */
export function evaluate(dataset: Dataset, readArticle: (source: Source) => string[] | undefined, onDraft?: (draft: Draft, source: Source) => void): Score[] {
  const scores: Score[] = [];
  for (const source of dataset.sources) {
    const paragraphs = readArticle(source);
    if (!paragraphs) continue;
    const index = new RecordIndex(recordWithout(dataset, source.id));
    const started = performance.now();
    // The publication as the record holds it: a window when the text only bounds it (given as --published A..B).
    const published = source.published.end ? `${source.published.date}..${source.published.end}` : source.published.date;
    const draft = draftFromParagraphs(paragraphs, index, { file: source.file, published });
    scores.push(scoreDraft(draft, dataset, source, performance.now() - started));
    onDraft?.(draft, source);
  }
  return scores;
}

/** One-to-one pairs of draft and curated events, best participant overlap first (as the score counts them). */
export function matchEvents(draft: Draft, gold: Event[]): [DraftEvent, Event][] {
  const pairs: [DraftEvent, Event, number][] = [];
  for (const d of draft.events) for (const g of gold) if (reports(d, g)) pairs.push([d, g, overlap(d, g) + (d.existing === g.id ? 10 : 0)]);
  pairs.sort((a, b) => b[2] - a[2]);
  const usedDraft = new Set<DraftEvent>();
  const usedGold = new Set<Event>();
  const matched: [DraftEvent, Event][] = [];
  for (const [d, g] of pairs) {
    if (usedDraft.has(d) || usedGold.has(g)) continue;
    usedDraft.add(d);
    usedGold.add(g);
    matched.push([d, g]);
  }
  return matched;
}

/** What a draft missed or got wrong against the curated records of its source, one line each (`npm run eval -- --misses`). */
export function misses(draft: Draft, dataset: Dataset, source: Source): string[] {
  const gold = dataset.events.filter((event) => event.citations.some((citation) => citation.source === source.id));
  const remaining = new Set(recordWithout(dataset, source.id).events.map((event) => event.id));
  const matched = matchEvents(draft, gold);
  const dateOf = (d: { start: string; end?: string | undefined; basis: string }) => `${d.start}${d.end ? `..${d.end}` : ""} ${d.basis}`;
  const people = (ids: string[]) => ids.join(", ");
  const paragraphsOf = (event: Event) => event.citations.filter((c) => c.source === source.id).flatMap((c) => c.paragraphs);
  const lines: string[] = [];
  for (const g of gold) {
    if (matched.some(([, m]) => m === g)) continue;
    lines.push(`missed   ${g.id} [${g.type}] ${dateOf(g.date)} ¶${paragraphsOf(g).join(",")} (${people(g.participants.map((p) => `${p.actor}:${p.role}`))})`);
  }
  for (const d of draft.events) {
    if (matched.some(([m]) => m === d)) continue;
    lines.push(`spurious ${d.id} [${d.type}] ${dateOf(d.date)} ¶${d.paragraphs.join(",")} ${d.proposal === "corroborates" ? `→ ${d.existing} ` : ""}(${people(d.participants.map((p) => `${p.actor ?? p.name}:${p.role}`))})`);
  }
  for (const [d, g] of matched) {
    if (!dateRight(d.date, g.date)) lines.push(`date     ${d.id}→${g.id} draft ${dateOf(d.date)} · record ${dateOf(g.date)} ¶${d.paragraphs.join(",")}${d.date.note ? ` · ${d.date.note}` : ""}`);
    if (d.proposal === "new" && remaining.has(g.id)) lines.push(`twin     ${d.id} proposed new, the record has ${g.id} (${dateOf(g.date)}; candidates ${d.candidates.map((c) => c.id).join(", ") || "none"}; flags ${d.flags.join(" | ") || "none"})`);
  }
  return lines;
}

export function total(scores: Score[]): Score {
  const sum = { article: "all" } as Score;
  for (const score of scores) for (const [key, value] of Object.entries(score)) if (typeof value === "number") (sum as unknown as Record<string, number>)[key] = ((sum as unknown as Record<string, number>)[key] ?? 0) + value;
  return sum;
}

const rate = (part: number, whole: number) => (whole === 0 ? "—" : (part / whole).toFixed(2));

export interface Rates {
  eventRecall: number;
  eventPrecision: number;
  dateAccuracy: number;
  actorLinking: number;
}

export function rates(score: Score): Rates {
  const r = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    eventRecall: r(score.matchedGold, score.goldEvents),
    eventPrecision: r(score.matchedDraft, score.draftEvents),
    dateAccuracy: r(score.datesRight, score.matchedGold),
    actorLinking: r(score.actorsLinkedRight, score.actorsLinked),
  };
}

/** The table `npm run eval` prints and writes to EVAL.md. */
export function table(scores: Score[]): string {
  const header = ["article", "events (gold/draft)", "recall", "precision", "participants P/R", "dates right", "basis right", "actor linking", "actors found", "wrong merges", "corroborations", "twins", "agency credits", "ms"];
  const row = (s: Score) => [
    s.article,
    `${s.goldEvents}/${s.draftEvents}`,
    rate(s.matchedGold, s.goldEvents),
    rate(s.matchedDraft, s.draftEvents),
    `${rate(s.participantsShared, s.participantsDraft)}/${rate(s.participantsShared, s.participantsGold)}`,
    rate(s.datesRight, s.matchedGold),
    rate(s.basesRight, s.matchedGold),
    rate(s.actorsLinkedRight, s.actorsLinked),
    `${s.goldActorsFound}/${s.goldActors}`,
    String(s.wrongMerges),
    `${s.corroborationsFound}/${s.corroborationsExpected}`,
    String(s.twins),
    `${s.creditsFound}/${s.creditsExpected}`,
    String(Math.round(s.milliseconds)),
  ];
  const lines = [header, header.map(() => "---"), ...scores.map(row), row(total(scores)).map((cell, at) => (at === 0 ? "**all**" : cell))];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
