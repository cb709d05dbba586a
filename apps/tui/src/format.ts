import { nameKeys, nameTokens } from "@backchannel/dataset/names";
import { EVENT_TYPES, groupBySource, sourcingSummary, vocabularyLabel, type ActorDetail, type EventDetail, type EventListItem, type PlaceDetail, type SourceDetail } from "@backchannel/schema";

export type RecordKind = "event" | "actor" | "source" | "place" | "post";

/** One row of a scrollable view; a row with a link opens that record on Enter. */
export interface Line {
  key: string;
  text: string;
  link?: { kind: RecordKind; id: string };
  tone?: "heading" | "dim" | "accent" | "warn";
  /** Values a list can be sorted by (`s`), by sort key. */
  sort?: Record<string, string>;
}

/** "1 event", "2 events", "0 events": every count a person reads goes through here. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? singular : plural}`;
}

/**
 * A test for the rows of a list in view: every word typed must begin a word of the row, or sound
 * like one (the same transliteration-tolerant keys as the API's name search: Araqchi finds Araghchi).
 */
export function narrowMatcher(typed: string): (text: string) => boolean {
  const wanted = nameTokens(typed).map((token) => ({ token, sounds: new Set(nameKeys(token).filter((k) => k.key.startsWith("p:")).map((k) => k.key)) }));
  return (text) => {
    const tokens = nameTokens(text);
    const sounds = new Set(nameKeys(text).map((k) => k.key));
    return wanted.every(({ token, sounds: like }) => tokens.some((word) => word.startsWith(token)) || [...like].some((key) => sounds.has(key)));
  };
}

/** Cuts or pads to exactly `width` cells (an ellipsis marks a cut). */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  const flat = text.replace(/\s+/g, " ");
  const chars = [...flat];
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
  return flat + " ".repeat(width - chars.length);
}

/** Wraps prose to `width`, for summaries and notes in detail views. */
export function wrap(text: string, width: number): string[] {
  const words = text.replace(/\s+/g, " ").trim().split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2025-05-27` → `27 May 2025`, `2025-06` → `Jun 2025`, `2018` → `2018`. */
export function humanDate(date: string): string {
  const [year, month, day] = date.split("-");
  if (!month) return year!;
  const name = MONTHS[Number(month) - 1];
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`;
}

/** A publication date, or the window an undated article was published in. */
export function publishedDate(published: { date: string; end?: string | undefined }): string {
  return published.end ? `between ${humanDate(published.date)} and ${humanDate(published.end)}` : humanDate(published.date);
}

/** A compact publication date column: `~` marks a window, as for undated events. */
export function publishedCell(published: { date: string; end?: string | undefined }): string {
  return `${published.end ? "~" : ""}${published.date}`;
}

/** A compact date column: the ISO string at its precision, `~` for an undated window. */
export function dateCell(event: Pick<EventListItem, "date">): string {
  return `${event.date.window ? "~" : ""}${event.date.start}${event.date.end && !event.date.window ? "+" : ""}`;
}

/** The date as a reader should understand it: precision, span or window, and how it was derived. */
export function describeDate(event: Pick<EventListItem, "date" | "precision">): string {
  const { start, end, window, ongoing, basis, note } = event.date;
  const span = end && ongoing ? `${humanDate(start)} – still under way in ${humanDate(end)}` : end ? (window ? `sometime between ${humanDate(start)} and ${humanDate(end)}` : `${humanDate(start)} – ${humanDate(end)}`) : window ? `not before ${humanDate(start)}` : humanDate(start);
  const how = basis === "stated" ? "stated in the source" : basis === "relative" ? "resolved from a relative phrase" : "inferred";
  return `${span} (${event.precision} precision, ${how}${note ? `: ${note}` : ""})`;
}

/** An event type's label; the list's header row passes its column name through as it is. */
const typeLabel = (type: string) => (EVENT_TYPES as Record<string, { label: string } | undefined>)[type]?.label ?? type;

export function eventRow(event: EventListItem, width: number): string {
  const dateWidth = 12;
  const typeWidth = Math.min(18, Math.max(10, Math.floor(width * 0.14)));
  const rest = Math.max(10, width - dateWidth - typeWidth - 2);
  const titleWidth = Math.ceil(rest * 0.6);
  const sourcesWidth = 4;
  const who = event.participants.map((participant) => participant.name).join(", ");
  // Last, the number of distinct sources: a 1 is an uncorroborated event.
  return `${fit(dateCell(event), dateWidth)}${fit(typeLabel(event.type), typeWidth)} ${fit(event.title, titleWidth)} ${fit(who, rest - titleWidth - 1 - sourcesWidth)}${fit(String(event.sourcing.sources).padStart(sourcesWidth - 1), sourcesWidth)}`;
}

/** Lines with keys in order, added one at a time. */
function lineBuilder() {
  const lines: Line[] = [];
  const add = (text: string, extra: Partial<Line> = {}) => lines.push({ key: `${lines.length}`, text, ...extra });
  return { lines, add };
}

const ROLE_ORDER = ["host", "visitor", "mediator", "party", "speaker", "caller", "addressee", "inviter", "invitee", "organiser", "attendee", "initiator", "attacker", "target", "welcoming-official", "delegation-member", "supporting-force", "subject"];

/** Everything about an event, as lines: facts, participants by role, citations, related events. */
export function eventLines(event: EventDetail, width: number): Line[] {
  const { lines, add } = lineBuilder();
  add(event.title, { tone: "heading" });
  add(`${event.id}`, { tone: "dim" });
  add("");
  for (const part of wrap(`When: ${describeDate(event)}`, width)) add(part);
  add(`Status: ${vocabularyLabel("status", event.status)}`);
  add(`Sourcing: ${sourcingSummary(event.sourcing)}`, event.sourcing.sources === 1 ? { tone: "warn" } : {});
  const { coding } = event;
  add(`Type: ${coding.label}${coding.cameo ? ` — CAMEO ${coding.cameo} ${coding.cameoName}, Goldstein ${coding.goldstein}, quad class ${coding.quadClass}` : " — not CAMEO-coded"}`);
  for (const place of event.placeDetails) add(`Where: ${place.name} (${vocabularyLabel("placeKind", place.kind)}${place.country ? `, ${place.country}` : ""}) ${place.latitude.toFixed(3)}, ${place.longitude.toFixed(3)}`, { link: { kind: "place", id: place.id } });
  if (event.topics.length) add(`Topics: ${event.topics.map((topic) => vocabularyLabel("topic", topic)).join(", ")}`);
  add("");
  for (const part of wrap(event.summary, width)) add(part);
  add("");
  add("Participants", { tone: "heading" });
  const byRole = [...event.participants].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  for (const participant of byRole) {
    add(`  ${fit(vocabularyLabel("role", participant.role), 20)}${participant.name}${participant.post ? ` — as ${participant.postTitle ?? participant.post}` : ""}${participant.note ? ` (${participant.note})` : ""}`, {
      link: { kind: "actor", id: participant.actor },
    });
  }
  if (event.related.length) {
    add("");
    add("Related events", { tone: "heading" });
    for (const related of event.related) {
      const relation = vocabularyLabel("relation", related.type).toLowerCase();
      const arrow = related.direction === "outgoing" ? `this ${relation} →` : `← ${relation} this`;
      add(`  ${fit(arrow, 26)}${related.event.date.start}  ${related.event.title}`, { link: { kind: "event", id: related.event.id } });
      if (related.note) for (const part of wrap(related.note, width - 6)) add(`      ${part}`, { tone: "dim" });
    }
  }
  add("");
  add("Sources", { tone: "heading" });
  // One block per article, then each passage of it the event cites.
  for (const group of groupBySource(event.citations)) {
    const source = group.citations[0]!.sourceInfo;
    const outlet = source.outlet.name ? `${source.outlet.name}${source.outlet.basis === "inferred" ? " (inferred)" : ""}` : "outlet unknown";
    const agencies = [...new Set(group.citations.flatMap((citation) => (citation.agencyName ? [citation.agencyName] : [])))];
    add(`  ${fit(source.title ?? source.description, width - 2)}`, { link: { kind: "source", id: source.id } });
    add(`    ${outlet}, ${publishedDate(source.published)}${source.published.basis === "inferred" ? " (date inferred)" : ""}${agencies.length ? ` — credits ${agencies.join(", ")}` : ""}`, { tone: "dim" });
    for (const citation of group.citations) {
      add(`    ¶ ${citation.paragraphs.join(", ")}${citation.agencyName ? ` — credited to ${citation.agencyName}` : ""}`, { link: { kind: "source", id: source.id } });
      if (citation.quote) for (const part of wrap(`“${citation.quote}”`, width - 8)) add(`      ${part}`, { tone: "accent" });
      if (citation.note) for (const part of wrap(citation.note, width - 8)) add(`      ${part}`, { tone: "dim" });
      for (const quote of citation.quotes ?? []) for (const part of wrap(`“${quote.text}” — ${quote.speakerName}`, width - 8)) add(`      ${part}`, { tone: "accent" });
    }
  }
  return lines;
}

export function actorLines(actor: ActorDetail, width: number): Line[] {
  const { lines, add } = lineBuilder();
  add(actor.name, { tone: "heading" });
  add(`${actor.id} · ${vocabularyLabel("actorKind", actor.kind)}${actor.country ? ` · ${actor.country}` : ""} · ${count(actor.eventCount, "event")}`, { tone: "dim" });
  add("");
  for (const part of wrap(actor.description, width)) add(part);
  if (actor.aliases.length) {
    add("");
    add("Names", { tone: "heading" });
    for (const alias of actor.aliases) add(`  ${alias.name}${alias.lang ? ` (${alias.lang})` : ""}${alias.usedBy?.length ? ` — used by ${count(alias.usedBy.length, "source")}` : ""}${alias.common ? " — common spelling, used by no source" : ""}`);
  }
  if (actor.positions.length) {
    add("");
    add("Positions", { tone: "heading" });
    for (const position of actor.positions) {
      const tenure = position.start || position.end ? `${position.start ?? "?"} – ${position.end ?? "present"}` : "dates not recorded";
      add(`  ${position.postTitle}: ${tenure}${position.basis && position.basis !== "stated" ? ` (${vocabularyLabel("dateBasis", position.basis).toLowerCase()})` : ""}`);
    }
  }
  add("");
  add(`Events (${actor.events.page.total}${actor.events.page.totalExact ? "" : "+"})`, { tone: "heading" });
  for (const event of actor.events.data) add(`  ${eventRow(event, width - 2)}`, { link: { kind: "event", id: event.id } });
  if (actor.events.page.next) add("  … more in the Events tab with this actor as filter", { tone: "dim" });
  if (actor.counterparts.length) {
    add("");
    add("Counterparts (shared events)", { tone: "heading" });
    for (const other of actor.counterparts) add(`  ${fit(String(other.sharedEvents), 4)}${other.name} (${vocabularyLabel("actorKind", other.kind)})`, { link: { kind: "actor", id: other.id } });
  }
  return lines;
}

export function sourceLines(source: SourceDetail, width: number): Line[] {
  const { lines, add } = lineBuilder();
  add(source.title ?? source.description, { tone: "heading" });
  add(`${source.id} · ${vocabularyLabel("sourceKind", source.kind)} · ${count(source.paragraphs, "paragraph")} · ${source.file}`, { tone: "dim" });
  add("");
  for (const part of wrap(source.description, width)) add(part);
  add(`Outlet: ${source.outletName ?? "unknown"} (${source.outlet.basis})`);
  if (source.outlet.note) for (const part of wrap(source.outlet.note, width - 2)) add(`  ${part}`, { tone: "dim" });
  add(`Published: ${publishedDate(source.published)} (${source.published.basis})`);
  if (source.published.note) for (const part of wrap(source.published.note, width - 2)) add(`  ${part}`, { tone: "dim" });
  if (source.byline) add(`Byline: ${source.byline}`);
  if (source.dateline) add(`Dateline: ${source.dateline.text}`);
  if (source.credited.length) {
    add("");
    add("Credits", { tone: "heading" });
    for (const credit of source.credited) add(`  ${fit(vocabularyLabel("creditRole", credit.role), 10)}${credit.name} — ¶ ${credit.paragraphs.join(", ")}`, { link: { kind: "actor", id: credit.id } });
  }
  add(`Web address: ${source.url ?? "none known"}`);
  add("");
  add("What each paragraph supports", { tone: "heading" });
  const uncited = source.paragraphIndex.filter((entry) => entry.citedByTotal === 0).map((entry) => entry.paragraph);
  for (const entry of source.paragraphIndex) {
    entry.citedBy.forEach((citer, i) => {
      const label = citer.kind === "event" ? citer.label : `${citer.label} as ${citer.post?.title ?? "?"}`;
      add(`  ${fit(i ? "" : `¶ ${entry.paragraph}`, 7)}${label}`, { link: { kind: citer.kind === "event" ? "event" : "actor", id: citer.id } });
      if (citer.quote) for (const part of wrap(`“${citer.quote}”`, width - 10)) add(`         ${part}`, { tone: "accent" });
    });
    if (entry.citedByTotal > entry.citedBy.length) add(`         … and ${entry.citedByTotal - entry.citedBy.length} more`, { tone: "dim" });
  }
  if (uncited.length) for (const part of wrap(`Not cited: ¶ ${uncited.join(", ")}`, width - 2)) add(`  ${part}`, { tone: "dim" });
  add("");
  add(`Events it supports (${source.eventCount})`, { tone: "heading" });
  for (const event of source.events) add(`  ${eventRow(event, width - 2)}`, { link: { kind: "event", id: event.id } });
  return lines;
}

export function placeLines(place: PlaceDetail, width: number): Line[] {
  const { lines, add } = lineBuilder();
  add(place.name, { tone: "heading" });
  add(`${place.id} · ${vocabularyLabel("placeKind", place.kind)}${place.country ? ` · ${place.country}` : ""} · ${place.latitude}, ${place.longitude}`, { tone: "dim" });
  if (place.aliases.length) add(`Also: ${place.aliases.join(", ")}`);
  if (place.within) add(`Within: ${place.within}`, { link: { kind: "place", id: place.within } });
  if (place.note) for (const part of wrap(place.note, width)) add(part, { tone: "dim" });
  add("");
  add(`Events here (${place.events.length})`, { tone: "heading" });
  for (const event of place.events) add(`  ${eventRow(event, width - 2)}`, { link: { kind: "event", id: event.id } });
  return lines;
}

const BLOCKS = "▁▂▃▄▅▆▇█";

/** Counts as a one-line bar chart, `width` cells wide (buckets are merged when there are more). */
export function sparkline(counts: number[], width: number): string {
  if (counts.length === 0 || width <= 0) return "";
  const per = Math.max(1, Math.ceil(counts.length / width));
  const merged: number[] = [];
  for (let i = 0; i < counts.length; i += per) merged.push(counts.slice(i, i + per).reduce((a, b) => a + b, 0));
  const max = Math.max(...merged);
  return merged.map((count) => (count === 0 ? " " : BLOCKS[Math.min(BLOCKS.length - 1, Math.floor((count / max) * (BLOCKS.length - 1)))])).join("");
}
