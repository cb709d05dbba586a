import type { DraftCredit, DraftSource, Evidence } from "@backchannel/schema";
import { PartialDateSchema, latestDay } from "@backchannel/schema";
import { asciiDigits, findDates } from "./dates.js";
import { foldNative, type RecordIndex } from "./record.js";
import { ArticleError } from "./text.js";

export interface SourceOptions {
  file: string;
  published?: string;
  url?: string;
  outlet?: string;
  title?: string;
}

const slug = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .split("-")
    .slice(0, 6)
    .join("-");

export const slugify = slug;

/**
 * A strict YYYY-MM-DD (or YYYY-MM, YYYY) on the calendar, or a window of two days when the text only
 * bounds the date ("2024-10-01..2024-10-02", the codebook's `published.date` to `published.end`); else a clear error.
 */
export function parsePublished(value: string): { date: string; end?: string } {
  const [first, second, ...rest] = value.trim().split("..");
  const date = PartialDateSchema.safeParse(first?.trim());
  const end = second === undefined ? undefined : PartialDateSchema.safeParse(second.trim());
  if (!date.success || rest.length > 0 || (end && !end.success)) throw new ArticleError(`--published takes a date as YYYY-MM-DD (or YYYY-MM), or a window YYYY-MM-DD..YYYY-MM-DD, not "${value}"`);
  if (end?.success && publicationDay(end.data) <= publicationDay(date.data)) throw new ArticleError(`--published: a window ends after it starts, not "${value}"`);
  return { date: date.data, ...(end?.success ? { end: end.data } : {}) };
}

/** The day relative phrases resolve against: the first day a partial publication date can mean. */
export function publicationDay(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

/** The last day a publication can be from: its window's end, else the last day its date can mean. */
export function latestPublicationDay(published: { date: string; end?: string | undefined }): string {
  return latestDay(published.end ?? published.date);
}

const DATELINE = /^([A-Z][A-Z .,'’/-]{2,40}?)\s*(\(([^)]+)\))?\s*(?:[—–:-]|$)/;
const BYLINE = /^(?:By|Von|بقلم)\s+(.{2,80})$/;

/** Publication date, outlet, byline, dateline, and the agencies the article credits. */
export function describeSource(paragraphs: string[], language: string, index: RecordIndex, options: SourceOptions): DraftSource {
  const published = findPublished(paragraphs, language, options.published);
  const dateline = findDateline(paragraphs, index);
  const byline = paragraphs.slice(0, 5).map((p) => BYLINE.exec(p)?.[1]).find(Boolean);
  const outlet = findOutlet(paragraphs, index, options.outlet, dateline?.outletText);
  const title = options.title ?? guessTitle(paragraphs);
  return {
    id: `${published.date}-${slug(title ?? options.file) || "article"}`,
    file: options.file,
    ...(options.url ? { url: options.url } : {}),
    ...(title ? { title } : {}),
    outlet,
    published,
    ...(byline ? { byline } : {}),
    ...(dateline ? { dateline: { text: dateline.text, ...(dateline.place ? { place: dateline.place } : {}), paragraph: dateline.paragraph } } : {}),
    language,
    paragraphs: paragraphs.length,
    credits: findCredits(paragraphs, index),
  };
}

function guessTitle(paragraphs: string[]): string | undefined {
  // A headline is a short first line without a closing full stop.
  const first = paragraphs[0]?.replace(/^\s*date\s+\d{4}-\d{2}-\d{2}\s*/i, "").trim();
  if (first && first.length <= 160 && !/[.!?]["”]?$/.test(first) && /\p{L}{3}/u.test(first) && !/^\d/.test(first)) return first;
  return undefined;
}

function findPublished(paragraphs: string[], language: string, given: string | undefined): DraftSource["published"] {
  if (given !== undefined) {
    const { date, end } = parsePublished(given);
    return end ? { date, end, basis: "inferred", note: `Given by the curator (--published): a window, ${date} to ${end}.` } : { date, basis: "stated", note: "Given by the curator (--published)." };
  }
  // A date standing at the head of the article, or in its dateline, is its publication date.
  for (const [at, paragraph] of paragraphs.slice(0, 4).entries()) {
    const head = asciiDigits(paragraph).slice(0, 120);
    const iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(head);
    const date = iso?.[1] ?? (head.length < 40 || /^\s*(date|published|updated)\b/i.test(head) || DATELINE.test(head) ? findDates(head, { published: "2100-01-01", language, future: false }).find((d) => d.date.start.length === 10 && d.date.basis !== "relative")?.date.start : undefined);
    if (date && PartialDateSchema.safeParse(date).success) {
      const words = iso?.[1] ?? head.trim();
      return { date, basis: "stated", note: `Stated at the head of the article (paragraph ${at + 1}).`, evidence: { paragraph: at + 1, words: words.slice(0, 80), offset: Math.max(0, paragraph.indexOf(words.slice(0, 80))) } };
    }
  }
  throw new ArticleError("no publication date found in the article (no dated headline or dateline): pass it with --published YYYY-MM-DD");
}

function findDateline(paragraphs: string[], index: RecordIndex): { text: string; place?: string; paragraph: number; outletText?: string } | undefined {
  for (const [at, paragraph] of paragraphs.slice(0, 4).entries()) {
    const match = DATELINE.exec(paragraph);
    if (!match || !/[—–:-]/.test(paragraph.slice(match[0].length - 1, match[0].length + 1))) continue;
    const placeText = match[1]!.trim();
    const placeName = placeText.split(/[/,]/)[0]!.trim().toLowerCase();
    const place = index.placeNames.get(placeName);
    if (!/^[A-Z]/.test(placeText) || placeText.length < 3) continue;
    return { text: match[0].replace(/\s*[—–:-]\s*$/, "").trim(), ...(place ? { place: place.id } : {}), paragraph: at + 1, ...(match[3] ? { outletText: match[3] } : {}) };
  }
  return undefined;
}

function findOutlet(paragraphs: string[], index: RecordIndex, given: string | undefined, datelineOutlet: string | undefined): DraftSource["outlet"] {
  const outlets = [...index.actors.values()].filter((actor) => actor.kind === "news-outlet" || actor.kind === "news-agency");
  const match = (name: string) => {
    const folded = name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
    return outlets.find((actor) => [actor.name, ...actor.aliases.map((a) => a.name)].some((n) => n.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "") === folded));
  };
  if (given) {
    const actor = match(given);
    return actor ? { actor: actor.id, name: given, basis: "stated", note: "Given by the curator (--outlet)." } : { name: given, basis: "unknown", note: `"${given}" (given with --outlet) is not an outlet in the record yet: add it as an actor.` };
  }
  if (datelineOutlet) {
    const actor = match(datelineOutlet);
    if (actor) return { actor: actor.id, name: datelineOutlet, basis: "stated" };
  }
  // A signature line at the end ("Pressmediaofindia") names the outlet that ran the text.
  const last = paragraphs.at(-1) ?? "";
  if (last.length < 40) {
    const actor = match(last.trim());
    if (actor) return { actor: actor.id, name: last.trim(), basis: "inferred", note: "The outlet's name closes the text." };
  }
  return { basis: "unknown", note: "The text does not name its outlet; pass --outlet if you know it." };
}

const CREDIT_CONTEXT = /\b(reported|reports|reporting|noted|notes|said|says|quoted|according to|continued|cited|told|agency|citing|berichtete|meldete|گزارش|ذكرت|أفادت)\b/iu;
const PHOTO_CONTEXT = /\b(photo|credit|picture|image)\b/i;

/** Agencies the article credits, by paragraph: "IRNA reported", "according to ONA", "(credit: REUTERS)". */
export function findCredits(paragraphs: string[], index: RecordIndex): DraftCredit[] {
  const agencies = [...index.actors.values()].filter((actor) => actor.kind === "news-agency");
  const credits = new Map<string, DraftCredit>();
  paragraphs.forEach((paragraph, at) => {
    for (const agency of agencies) {
      for (const name of [agency.name, ...agency.aliases.map((alias) => alias.name)]) {
        const native = /[^\p{Script=Latin}\d\s'’.,()-]/u.test(name);
        const found = native ? foldNative(paragraph).indexOf(foldNative(name)) : searchWord(paragraph, name);
        if (found < 0) continue;
        const around = paragraph.slice(Math.max(0, found - 60), found + name.length + 60);
        const photo = PHOTO_CONTEXT.test(around) && /\(.*(credit|photo)/i.test(around);
        if (!photo && !CREDIT_CONTEXT.test(around)) continue;
        const role = photo ? "photo" : "agency";
        const key = `${agency.id}:${role}`;
        const evidence: Evidence = { paragraph: at + 1, words: paragraph.slice(found, found + name.length), offset: found };
        const credit = credits.get(key) ?? { actor: agency.id, role, paragraphs: [], evidence: [] };
        if (!credit.paragraphs.includes(at + 1)) {
          credit.paragraphs.push(at + 1);
          credit.evidence.push(evidence);
        }
        credits.set(key, credit);
        break;
      }
    }
  });
  return [...credits.values()];
}

/** Where a name stands as a word of its own: "IRNA" in "Iran's IRNA noted", not in "IRNAS". */
export function searchWord(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const caseSensitive = name === name.toUpperCase();
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, caseSensitive ? "u" : "iu").exec(text)?.index ?? -1;
}
