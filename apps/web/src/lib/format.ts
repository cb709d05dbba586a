import type { EventListItem } from "@backchannel/schema";
import { plural } from "@backchannel/schema/labels";

export { sourcingSummary, vocabularyLabel } from "@backchannel/schema/labels";

type DateSpan = EventListItem["date"];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A partial ISO date at its own precision: `2026` · `Feb 2026` · `10 Feb 2026`. */
export function formatDate(date: string): string {
  const [year, month, day] = date.split("-");
  if (!month) return year!;
  const name = MONTHS[Number(month) - 1]!;
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`;
}

/** The weekday of a full date, for showing how a relative phrase was resolved. */
export function weekday(date: string): string | undefined {
  if (date.length !== 10) return undefined;
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

/** A span as a reader says it: one date, a range, or "sometime between". */
export function formatSpan(span: Pick<DateSpan, "start" | "end" | "window" | "ongoing">): string {
  if (span.ongoing && span.end) return `${formatDate(span.start)} – still under way in ${formatDate(span.end)}`;
  if (span.window) return span.end ? `sometime between ${formatDate(span.start)} and ${formatDate(span.end)}` : `sometime after ${formatDate(span.start)}`;
  return span.end ? `${formatDate(span.start)} – ${formatDate(span.end)}` : formatDate(span.start);
}

/** A publication date, or the window an undated article was published in. */
export function formatPublished(published: { date: string; end?: string | undefined }): string {
  return published.end ? `between ${formatDate(published.date)} and ${formatDate(published.end)}` : formatDate(published.date);
}

export const PRECISION_LABEL = { year: "to the year", month: "to the month", day: "to the day" } as const;

export const BASIS_LABEL = {
  stated: "stated in the source",
  relative: "resolved from a relative phrase against the publication date",
  inferred: "inferred",
} as const;

export const QUAD_CLASSES = [
  { key: "1", label: "Verbal cooperation" },
  { key: "2", label: "Material cooperation" },
  { key: "3", label: "Verbal conflict" },
  { key: "4", label: "Material conflict" },
  { key: "uncoded", label: "Not coded" },
] as const;

/** `reported-planned` → `reported planned`; the vocabularies are slugs. */
export function humanize(slug: string): string {
  return slug.replace(/-/g, " ");
}

/** Counts read "1 event", "2 events": one rule for the dashboard, the API and the terminal. */
// From the labels module: the main one would bring zod (and its eval probe) into the browser.
export { noun, plural } from "@backchannel/schema/labels";

/**
 * A place page's count: the events at the place itself and those at places within it
 * (a palace within its city) are both told when they differ.
 */
export function placeCounts(name: string, itself: number, including: number): string {
  if (itself === including) return `${plural(itself, "event")} here`;
  return `${plural(itself, "event")} in ${name} itself, ${including.toLocaleString("en")} including places within it`;
}

export function paragraphs(list: readonly number[]): string {
  return `${list.length > 1 ? "¶¶" : "¶"} ${list.join(", ")}`;
}

export function goldstein(score: number | null): string {
  if (score === null) return "—";
  return score > 0 ? `+${score}` : String(score);
}

const regions = new Intl.DisplayNames(["en"], { type: "region" });

/** `IR` → `Iran`; anything that is not a region code is returned as it is. */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return regions.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A page's meta description: whole words, at most about 160 characters (what search results show). */
export function description(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max / 2)).replace(/[\s,;:.]+$/, "")}…`;
}

/** A tenure's dates as a reader says them; a tenure without an end runs to the latest source. */
export function tenureSpan(tenure: { start?: string | undefined; end?: string | undefined }): string {
  if (!tenure.start && !tenure.end) return "dates not given by the sources";
  const from = tenure.start ? formatDate(tenure.start) : "?";
  return `${from} – ${tenure.end ? formatDate(tenure.end) : "present (as of the sources)"}`;
}
