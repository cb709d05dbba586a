import type { EventListItem } from "@backchannel/schema";

/**
 * CSV as every export writes it (RFC 4180), and the events' columns. The builder stores each
 * event's line from these definitions and the API writes the header (and other resources' rows)
 * from them, so a stored line and a line rendered now cannot differ.
 */
export interface Column<T> {
  name: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break (a number or a boolean never does). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
}

/** One row's fields joined by commas, without its line break. */
export function csvLine<T>(row: T, columns: readonly Column<T>[]): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) line += i === 0 ? csvField(columns[i]!.value(row)) : `,${csvField(columns[i]!.value(row))}`;
  return line;
}

/** The header row: the columns' names, without its line break. */
export const csvHeader = (columns: readonly Column<never>[]): string => columns.map((column) => csvField(column.name)).join(",");

/** The non-empty values, joined with "; ": a list in one CSV field. */
export function join(values: readonly (string | undefined)[]): string {
  let joined = "";
  for (const value of values) if (value) joined = joined ? `${joined}; ${value}` : value;
  return joined;
}

/** An event as a CSV row: the columns of `/events?format=csv`, from the event's list item. */
export const EVENT_COLUMNS: readonly Column<EventListItem>[] = [
  { name: "id", value: (e) => e.id },
  { name: "title", value: (e) => e.title },
  { name: "start", value: (e) => e.date.start },
  { name: "end", value: (e) => e.date.end },
  { name: "window", value: (e) => e.date.window ?? false },
  { name: "precision", value: (e) => e.precision },
  { name: "date_basis", value: (e) => e.date.basis },
  { name: "date_note", value: (e) => e.date.note },
  { name: "status", value: (e) => e.status },
  { name: "type", value: (e) => e.type },
  { name: "cameo", value: (e) => e.coding.cameo },
  { name: "goldstein", value: (e) => e.coding.goldstein },
  { name: "quad_class", value: (e) => e.coding.quadClass },
  { name: "places", value: (e) => join(e.places) },
  { name: "participants", value: (e) => join(e.participants.map((p) => `${p.name} (${p.role})`)) },
  { name: "participant_ids", value: (e) => join(e.participants.map((p) => p.actor)) },
  { name: "topics", value: (e) => join(e.topics) },
  { name: "sources", value: (e) => join([...new Set(e.citations.map((c) => c.source))]) },
  { name: "source_count", value: (e) => e.sourcing.sources },
  { name: "outlet_count", value: (e) => e.sourcing.outlets },
  { name: "reporting_lines", value: (e) => e.sourcing.lines },
  { name: "citations", value: (e) => join(e.citations.map((c) => `${c.source} ¶${c.paragraphs.join(",")}${c.agency ? ` (${c.agency})` : ""}`)) },
  { name: "summary", value: (e) => e.summary },
];
