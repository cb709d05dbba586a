import type { DateSpan } from "@backchannel/schema";
import type * as chrono from "chrono-node";
// Only the locales read here: the package's main entry loads sixteen.
import { casual as arabicCasual } from "chrono-node/ar";
import { casual as germanCasual } from "chrono-node/de";
import { Chrono, casual as englishCasual } from "chrono-node/en";
import { toGregorian } from "jalaali-js";

/** A date expression found in a sentence, resolved to a span the record can hold. */
export interface DateMention {
  index: number;
  text: string;
  date: DateSpan;
  /** "recent", "recently": a window up to the day it is said on, which a speech may move (see draft.ts). */
  recent?: boolean;
}

export interface DateContext {
  /** Publication date, YYYY-MM-DD: what "Tuesday" and "last week" are resolved against. */
  published: string;
  /** The last day of a publication window (the article is from `published` to `latest`): phrases resolve against each end. */
  latest?: string | undefined;
  language: string;
  /** The sentence speaks of the future ("will visit", "is due to"): a bare weekday lies ahead. */
  future: boolean;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
/** Solar Hijri months: English transliterations (with common variants) and Persian script. */
const PERSIAN_MONTHS: [RegExp, number][] = [
  [/^(farvardin|فروردین)$/i, 1],
  [/^(ordibehesht|ordibehesht|اردیبهشت)$/i, 2],
  [/^(khordad|خرداد)$/i, 3],
  [/^(tir|تیر)$/i, 4],
  [/^(mordad|amordad|مرداد|امرداد)$/i, 5],
  [/^(shahrivar|shahrivar|شهریور)$/i, 6],
  [/^(mehr|مهر)$/i, 7],
  [/^(aban|ābān|آبان)$/i, 8],
  [/^(azar|āzar|آذر)$/i, 9],
  [/^(dey|dei|دی)$/i, 10],
  [/^(bahman|بهمن)$/i, 11],
  [/^(esfand|esfand|اسفند)$/i, 12],
];
const PERSIAN_MONTH_WORD = "farvardin|ordibehesht|khordad|tir|mordad|amordad|shahrivar|mehr|aban|ābān|azar|āzar|dey|dei|bahman|esfand|فروردین|اردیبهشت|خرداد|تیر|مرداد|امرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند";

const pad = (n: number) => String(n).padStart(2, "0");
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utc = (iso: string) => new Date(`${iso}T12:00:00Z`);
/** The day `days` after (or before) an ISO day. */
export const addDays = (iso: string, days: number) => ymd(new Date(utc(iso).getTime() + days * 86_400_000));
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, several: NaN, few: NaN };

/** Persian and Arabic-Indic digits read as ASCII ones, so one pattern serves every script. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (digit) => String((digit.charCodeAt(0) & 0xf) % 10));
}

function persianMonth(word: string): number | undefined {
  return PERSIAN_MONTHS.find(([pattern]) => pattern.test(word))?.[1];
}

function solarHijri(jy: number, jm: number, jd: number): string | undefined {
  if (jy < 1200 || jy > 1500 || jm < 1 || jm > 12 || jd < 1 || jd > 31) return undefined;
  try {
    const { gy, gm, gd } = toGregorian(jy, jm, jd);
    return `${gy}-${pad(gm)}-${pad(gd)}`;
  } catch {
    return undefined;
  }
}

interface Rule {
  pattern: RegExp;
  resolve: (match: RegExpExecArray, context: DateContext) => DateSpan | undefined;
}

const relative = (start: string, phrase: string, context: DateContext, extra: Partial<DateSpan> = {}): DateSpan => ({
  start,
  ...extra,
  basis: "relative",
  note: `"${phrase}", resolved against the publication date ${context.published}.`,
});

function monthsBefore(published: string, months: number): string {
  const [year, month] = published.split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) - months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** Monday of the ISO week holding the day. */
function mondayOf(iso: string): string {
  const weekday = utc(iso).getUTCDay();
  return addDays(iso, -((weekday + 6) % 7));
}

/** Our own rules, tried before chrono: they fix only what the phrase says (a year is a year). */
const RULES: Rule[] = [
  // Solar Hijri, day month year: "2 Khordad 1401", "۲ خرداد ۱۴۰۱".
  {
    pattern: new RegExp(`\\b(\\d{1,2})\\s+(${PERSIAN_MONTH_WORD})\\s+(1[2-4]\\d{2})\\b`, "giu"),
    resolve: (m) => {
      const date = solarHijri(Number(m[3]), persianMonth(m[2]!)!, Number(m[1]));
      return date ? { start: date, basis: "stated", note: `Solar Hijri date "${m[0]}" converted to the Gregorian calendar.` } : undefined;
    },
  },
  // Solar Hijri, numeric: "1404/03/06".
  {
    pattern: /\b(1[34]\d{2})\/(\d{1,2})\/(\d{1,2})\b/g,
    resolve: (m) => {
      const date = solarHijri(Number(m[1]), Number(m[2]), Number(m[3]));
      return date ? { start: date, basis: "stated", note: `Solar Hijri date "${m[0]}" converted to the Gregorian calendar.` } : undefined;
    },
  },
  // Numeric day-first dates as most of the world writes them: "12-02-2026", "12/02/2026", "12.02.2026".
  {
    pattern: /\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})\b/g,
    resolve: (m) => {
      const [a, b, year] = [Number(m[1]), Number(m[2]), m[3]!];
      const monthFirst = a <= 12 && b > 12;
      const [day, month] = monthFirst ? [b, a] : [a, b];
      if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
      const ambiguous = a <= 12 && b <= 12 && a !== b;
      return ambiguous
        ? { start: `${year}-${pad(month)}-${pad(day)}`, basis: "inferred", note: `"${m[0]}" read day first (${year}-${pad(month)}-${pad(day)}); month first it would be ${year}-${pad(a)}-${pad(b)}.` }
        : { start: `${year}-${pad(month)}-${pad(day)}`, basis: "stated" };
    },
  },
  {
    pattern: /\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(year|month|week|day)s?\s+ago\b/gi,
    resolve: (m, context) => {
      const count = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
      const unit = m[2]!.toLowerCase();
      const [year] = context.published.split("-").map(Number) as [number];
      if (unit === "year") return relative(String(year - count), m[0], context);
      if (unit === "month") return relative(monthsBefore(context.published, count), m[0], context);
      if (unit === "week") {
        const monday = addDays(mondayOf(context.published), -7 * count);
        return relative(monday, m[0], context, { end: addDays(monday, 6), window: true });
      }
      return relative(addDays(context.published, -count), m[0], context);
    },
  },
  {
    pattern: /\b(last|this|next)\s+(year|month|week)(?:'s)?\b/gi,
    resolve: (m, context) => {
      const step = { last: -1, this: 0, next: 1 }[m[1]!.toLowerCase() as "last" | "this" | "next"];
      const unit = m[2]!.toLowerCase();
      const [year] = context.published.split("-").map(Number) as [number];
      if (unit === "year") return relative(String(year + step), m[0], context);
      if (unit === "month") return relative(monthsBefore(context.published, -step), m[0], context);
      const monday = addDays(mondayOf(context.published), 7 * step);
      // This week ends, as far as the article knows, on the day it was published.
      const end = step === 0 && !context.future ? context.published : addDays(monday, 6);
      return relative(monday, m[0], context, { end, window: true });
    },
  },
  {
    pattern: /\b(earlier|early|later|late)\s+this\s+(year|month)\b/gi,
    resolve: (m, context) => {
      const [year] = context.published.split("-").map(Number) as [number];
      return relative(m[2]!.toLowerCase() === "year" ? String(year) : context.published.slice(0, 7), m[0], context);
    },
  },
  {
    pattern: /\b(last|this|next)\s+(january|february|march|april|may|june|july|august|september|october|november|december)\b/gi,
    resolve: (m, context) => {
      const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
      const [year, current] = context.published.split("-").map(Number) as [number, number];
      const which = m[1]!.toLowerCase();
      const chosen = which === "last" ? (month < current ? year : year - 1) : which === "next" ? (month > current ? year : year + 1) : year;
      return relative(`${chosen}-${pad(month)}`, m[0], context);
    },
  },
  // "Recent", "recently": a reading, not a date — from the start of the month before to the day of the report.
  {
    pattern: /\b(?:recent(?:ly)?|lately)\b(?!\s+(?:years|decades|centuries))/gi,
    resolve: (m, context) => recentWindow(m[0], context.published),
  },
  {
    pattern: /\b(yesterday|today|tomorrow)\b/gi,
    resolve: (m, context) => relative(addDays(context.published, { yesterday: -1, today: 0, tomorrow: 1 }[m[1]!.toLowerCase() as "today"]), m[0], context),
  },
];

/** "Recent" as of a day: from the first of the month before it to that day, a window (the codebook's reading of "recent"). */
export function recentWindow(phrase: string, asOf: string): DateSpan {
  return { start: monthsBefore(asOf, 1), end: asOf, window: true, basis: "relative", note: `"${phrase}" as of ${asOf}: a window from the start of the month before to that day (a reading of "recent").` };
}

/** The weekday nearest the publication date in the sentence's direction: back for the past, ahead for plans. */
export function resolveWeekday(weekday: number, context: DateContext): string {
  const published = utc(context.published).getUTCDay();
  const offset = context.future ? (weekday - published + 7) % 7 : -((published - weekday + 7) % 7);
  return addDays(context.published, offset);
}

/**
 * A parser without chrono's clock-time and "N units ago/later/within" parsers: the record holds days,
 * our own rules read relative units, and those parsers cost most of chrono's time (measured: a
 * 1,500-word article parses about eight times faster without them, finding the same dates).
 */
const withoutClockTimes = (casual: chrono.Chrono): chrono.Chrono => new Chrono({ parsers: casual.parsers.filter((parser) => !/TimeExpression|CasualTime|TimeUnit/.test(parser.constructor.name)), refiners: casual.refiners });
const english = withoutClockTimes(englishCasual);
const german = withoutClockTimes(germanCasual);
const arabic = withoutClockTimes(arabicCasual);

function parserFor(language: string): chrono.Chrono {
  if (language.startsWith("de")) return german;
  if (language.startsWith("ar")) return arabic;
  return english;
}

/** The year a month (and day) without one most likely has: the latest not after publication, or the next one for plans. */
function impliedYear(month: number, day: number | undefined, context: DateContext): number {
  const [year, pubMonth, pubDay] = context.published.split("-").map(Number) as [number, number, number];
  const before = month < pubMonth || (month === pubMonth && (day === undefined || day <= pubDay));
  const after = month > pubMonth || (month === pubMonth && (day === undefined || day >= pubDay));
  if (context.future) return after ? year : year + 1;
  return before ? year : year - 1;
}

function fromChrono(result: chrono.ParsedResult, context: DateContext): DateSpan | undefined {
  const start = result.start;
  const has = (component: chrono.Component) => start.isCertain(component);
  const phrase = result.text;
  if (has("day") && has("month")) {
    const month = start.get("month")!;
    const day = start.get("day")!;
    const stated = has("year");
    const year = stated ? start.get("year")! : impliedYear(month, day, context);
    const date = `${year}-${pad(month)}-${pad(day)}`;
    const endDay = result.end?.isCertain("day") ? result.end : undefined;
    const end = endDay ? `${endDay.isCertain("year") ? endDay.get("year") : year}-${pad(endDay.get("month")!)}-${pad(endDay.get("day")!)}` : undefined;
    const span: DateSpan = stated
      ? { start: date, basis: "stated" }
      : { start: date, basis: "inferred", note: `"${phrase}" has no year: the latest ${context.future ? "after" : "not after"} the publication date ${context.published}.` };
    if (end && end > date) span.end = end;
    return span;
  }
  if (has("month") && has("year")) return { start: `${start.get("year")}-${pad(start.get("month")!)}`, basis: "stated" };
  if (has("month") && !has("day")) {
    const month = start.get("month")!;
    const year = impliedYear(month, undefined, context);
    return { start: `${year}-${pad(month)}`, basis: "inferred", note: `"${phrase}" has no year: the latest such month ${context.future ? "after" : "not after"} the publication date ${context.published}.` };
  }
  if (has("weekday") && !has("day")) {
    const day = resolveWeekday(start.get("weekday")!, context);
    return {
      start: day,
      basis: "relative",
      note: `"${phrase}" resolved against the publication date ${context.published} (${WEEKDAYS[start.get("weekday")!]}, the ${context.future ? "next" : "most recent"} one).`,
    };
  }
  return undefined;
}

const RECENT = /^(?:recent(?:ly)?|lately)$/i;
const BARE_YEAR = /\b((?:19|20)\d{2})\b(?![-/.]\d)(?!\s*(?:km|kilometres|people|troops|delegations))/g;

/**
 * Every date expression of a sentence, each resolved; overlapping readings keep the first rule's.
 * Against a publication window, each phrase is resolved on the window's first and last day: where the
 * two agree, that is the date; where they differ, the date is the window between them (the codebook's rule).
 */
export function findDates(sentence: string, context: DateContext): DateMention[] {
  const { latest, ...day } = context;
  const first = findDatesOn(sentence, day);
  if (!latest || latest <= context.published) return first;
  const last = findDatesOn(sentence, { ...day, published: latest });
  const window = `the publication window ${context.published} to ${latest}`;
  return first.map((mention) => {
    const other = last.find((m) => m.index === mention.index && m.text === mention.text);
    const note = mention.date.note?.replace(`the publication date ${context.published}`, window);
    if (!other || (other.date.start === mention.date.start && other.date.end === mention.date.end)) return { ...mention, date: { ...mention.date, ...(note ? { note } : {}) } };
    const start = other.date.start < mention.date.start ? other.date.start : mention.date.start;
    const end = [mention.date.end ?? mention.date.start, other.date.end ?? other.date.start].sort().at(-1)!;
    return { ...mention, date: { ...mention.date, start, end, window: true, note: `${note ?? `"${mention.text}"`} On the window's last day it gives ${other.date.start}${other.date.end ? `..${other.date.end}` : ""}: the date is the window between.` } };
  });
}

function findDatesOn(sentence: string, context: DateContext): DateMention[] {
  const text = asciiDigits(sentence);
  const found: DateMention[] = [];
  const taken: [number, number][] = [];
  const free = (index: number, length: number) => taken.every(([from, to]) => index + length <= from || index >= to);
  const add = (index: number, phrase: string, date: DateSpan | undefined) => {
    if (!date || !free(index, phrase.length)) return;
    taken.push([index, index + phrase.length]);
    found.push({ index, text: sentence.slice(index, index + phrase.length), date });
  };
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) add(match.index, match[0], rule.resolve(match as RegExpExecArray, context));
  }
  // chrono is the slow step: only sentences with a digit or a calendar word can hold what it finds.
  const worthParsing = /\d|january|february|march|april|may|june|july|august|september|october|november|december|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|januar|februar|märz|mai|juni|juli|oktober|dezember|[\u0600-\u06ff]/i;
  const results = worthParsing.test(text) ? parserFor(context.language).parse(text, utc(context.published), { forwardDate: context.future }) : [];
  for (const result of results) {
    // chrono reads "May" the verb and "March" the noun as months; a month alone needs a capital.
    if (!result.start.isCertain("day") && !result.start.isCertain("weekday") && !/^\p{Lu}|\d/u.test(result.text.replace(/^(in|on|since|from|until|by|am|im|der|den)\s+/i, ""))) continue;
    if (/^(now|tonight|this morning|this evening|[\d:]+)$/i.test(result.text.trim())) continue;
    // "for two days" is a duration, not a date.
    if (/\b(days?|weeks?|months?|years?|hours?|minutes?|tage?n?|wochen?)\b/i.test(result.text) && !/\d{4}|\b(ago|last|next|yesterday|tomorrow)\b/i.test(result.text)) continue;
    add(result.index, result.text, fromChrono(result, context));
  }
  for (const match of text.matchAll(BARE_YEAR)) {
    const year = Number(match[1]);
    if (year > Number(context.published.slice(0, 4)) + 10) continue;
    add(match.index, match[0], { start: match[1]!, basis: "stated" });
  }
  // "Recently signed … last week": the phrase that says more dates it; "recent" dates only what nothing else does.
  const dated = found.filter((mention) => !RECENT.test(mention.text));
  if (dated.length > 0) return dated.sort((a, b) => a.index - b.index);
  return found.map((mention) => ({ ...mention, recent: true })).sort((a, b) => a.index - b.index);
}

/** Whether a resolved date lies after the day the article was published (a report cannot see it happen). */
export function isAfterPublication(date: DateSpan, published: string): boolean {
  const start = date.start.length === 4 ? `${date.start}-01-01` : date.start.length === 7 ? `${date.start}-01` : date.start;
  return start > published;
}
