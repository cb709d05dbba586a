import { z } from "zod";
import { SlugSchema } from "./vocabularies.js";

const LEAP_YEAR = "(?:\\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)";
/** YYYY, YYYY-MM or YYYY-MM-DD with the month's real length, 29 February only in leap years. */
export const CALENDAR_DATE = new RegExp(
  [
    "^\\d{4}(?:-(?:0[1-9]|1[0-2]))?$",
    "^\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))$",
    `^${LEAP_YEAR}-02-29$`,
  ].join("|"),
);

/** A calendar date at the precision a source supports: `2018`, `2025-06` or `2025-05-27`. */
export const PartialDateSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined ? "is required" : 'expected a date as text; in YAML quote a bare year: "2018"',
  })
  // One pattern that admits only real calendar dates, so the OpenAPI document states the same rule the server applies.
  .regex(CALENDAR_DATE, {
    error: (issue) => (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(String(issue.input)) ? "not a date on the calendar" : "expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"),
  })
  .meta({ id: "PartialDate", examples: ["2018", "2025-06", "2025-05-27"] });
export type PartialDate = z.infer<typeof PartialDateSchema>;

export const DatePrecisionSchema = z.enum(["year", "month", "day"]).meta({ id: "DatePrecision" });
export type DatePrecision = z.infer<typeof DatePrecisionSchema>;

/**
 * How a date was obtained: written in the text (`stated`), resolved from a relative phrase
 * such as "on Tuesday" against the publication date (`relative`), or reasoned from context
 * or the public record (`inferred`). Anything but `stated` carries a note.
 */
export const DateBasisSchema = z.enum(["stated", "relative", "inferred"]).meta({ id: "DateBasis" });
export type DateBasis = z.infer<typeof DateBasisSchema>;

/** Precision is read off the string, so it can never disagree with it. */
export function precisionOf(date: PartialDate): DatePrecision {
  return date.length === 4 ? "year" : date.length === 7 ? "month" : "day";
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first day a partial date can mean: `2025-06` → `2025-06-01`. */
export function earliestDay(date: PartialDate): string {
  return precisionOf(date) === "year" ? `${date}-01-01` : precisionOf(date) === "month" ? `${date}-01` : date;
}

/** The last day a partial date can mean: `2025-06` → `2025-06-30`. */
export function latestDay(date: PartialDate): string {
  const [year, month] = date.split("-").map(Number);
  if (month === undefined) return `${date}-12-31`;
  if (precisionOf(date) === "month") return `${date}-${String(daysInMonth(year!, month)).padStart(2, "0")}`;
  return date;
}

/**
 * The records a date was worked out from: a source (resolved against its publication date) or an
 * event (read off its date). A relative event date without it is resolved against the sources it
 * cites. `data:check` rejects a date derived, directly or not, from a date derived from it.
 */
export const DerivedFromSchema = z
  .array(
    z.union([
      z.strictObject({ source: SlugSchema.describe("source id whose publication date this one was resolved against") }),
      z.strictObject({ event: SlugSchema.describe("event id whose date this one was read off") }),
    ]),
  )
  .min(1)
  .optional()
  .meta({ id: "DerivedFrom" });
export type DerivedFrom = z.infer<typeof DerivedFromSchema>;

/**
 * When an event happened. `start` alone is a single date; with `end` it is a span the
 * event lasted (`window: false`) or, with `window: true`, bounds within which an undated
 * event happened once ("in the past", "recently"). An open window has no `end`.
 */
export const DateSpanSchema = z
  .strictObject({
    start: PartialDateSchema,
    end: PartialDateSchema.optional(),
    window: z.boolean().optional().describe("true: the event happened once, somewhere between start and end"),
    ongoing: z
      .literal(true)
      .optional()
      .describe("true: still under way at `end`, the latest date a source shows it so; `end` is not when it ended"),
    basis: DateBasisSchema,
    note: z.string().min(1).optional().describe("the phrase resolved or the reasoning; required unless stated"),
    derivedFrom: DerivedFromSchema,
  })
  .superRefine((span, ctx) => {
    if (span.end !== undefined && latestDay(span.end) < earliestDay(span.start)) {
      ctx.addIssue({ code: "custom", path: ["end"], message: `end ${span.end} is before start ${span.start}` });
    }
    if (span.basis !== "stated" && span.note === undefined) {
      ctx.addIssue({ code: "custom", path: ["note"], message: `a ${span.basis} date needs a note saying how it was derived` });
    }
    if (span.ongoing && (span.end === undefined || span.window)) {
      ctx.addIssue({ code: "custom", path: ["ongoing"], message: "an ongoing span needs the `end` at which a source still shows it under way, and is not a window" });
    }
  })
  .meta({ id: "DateSpan" });
export type DateSpan = z.infer<typeof DateSpanSchema>;

/** The first and last days a span can cover, for overlap tests and sorting. */
export function spanBounds(span: Pick<DateSpan, "start" | "end" | "window">): { first: string; last: string } {
  const first = earliestDay(span.start);
  if (span.end !== undefined) return { first, last: latestDay(span.end) };
  return { first, last: span.window ? "9999-12-31" : latestDay(span.start) };
}

/** Precision-aware overlap: an event dated `2025-06` overlaps `to=2025-06-15`. */
export function spansOverlap(a: { first: string; last: string }, b: { first: string; last: string }): boolean {
  return a.first <= b.last && b.first <= a.last;
}
