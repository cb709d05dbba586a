import {
  earliestDay,
  INTERNATIONAL_ACTOR_KINDS,
  latestDay,
  spanBounds,
  spansOverlap,
  type Actor,
  type Citation,
  type Position,
} from "@backchannel/schema";
import type { Dataset } from "./load.js";
import type { Problem } from "./problems.js";
import { formatPath } from "./problems.js";
import type { LoadedRecord, RecordsByKind } from "./read-records.js";

type Path = readonly PropertyKey[];

/** Reports a problem in the record `id` of `kind`, at `path` inside it. */
export type Report = (kind: keyof Dataset, id: string, path: Path, message: string, severity?: Problem["severity"]) => void;

/** A `Report` that locates each problem in the YAML file of its record. */
export function reportInto(records: RecordsByKind, problems: Problem[]): Report {
  const files = new Map<string, LoadedRecord<unknown>>();
  for (const [kind, list] of Object.entries(records)) {
    for (const record of list as LoadedRecord<{ id: string }>[]) files.set(`${kind}/${record.value.id}`, record);
  }
  return (kind, id, path, message, severity = "error") => {
    const record = files.get(`${kind}/${id}`);
    const { line, column } = record?.locate(path) ?? { line: 1, column: 1 };
    problems.push({ severity, file: record?.file ?? `${kind}/${id}`, line, column, field: formatPath(path), message });
  };
}

/** Every citation of the dataset, with where it sits: events' and positions' alike. */
export function* citationsOf(dataset: Pick<Dataset, "events" | "actors">): Generator<{ kind: "events" | "actors"; id: string; path: Path; citation: Citation }> {
  for (const event of dataset.events) {
    for (const [c, citation] of event.citations.entries()) yield { kind: "events", id: event.id, path: ["citations", c], citation };
  }
  for (const actor of dataset.actors) {
    for (const [p, position] of actor.positions.entries()) {
      for (const [c, citation] of position.citations.entries()) yield { kind: "actors", id: actor.id, path: ["positions", p, "citations", c], citation };
    }
  }
}

/**
 * An agency credit belongs to the paragraphs that carry it: a citation with `agency: X` may cite
 * only paragraphs the source's credit for X lists (a quotation running on into the next paragraph
 * is listed in the credit, with a note).
 */
export function checkAgencyParagraphs(dataset: Dataset, report: Report): void {
  const sources = new Map(dataset.sources.map((source) => [source.id, source]));
  for (const { kind, id, path, citation } of citationsOf(dataset)) {
    if (citation.agency === undefined) continue;
    const source = sources.get(citation.source);
    const credited = new Set(source?.credits.filter((credit) => credit.actor === citation.agency).flatMap((credit) => credit.paragraphs));
    if (!source || credited.size === 0) continue; // an unknown source or an uncredited agency is reported on its own
    citation.paragraphs.forEach((paragraph, index) => {
      if (credited.has(paragraph)) return;
      report(
        kind,
        id,
        [...path, "paragraphs", index],
        `paragraph ${paragraph} of source "${source.id}" does not carry its credit to "${citation.agency}" (credited: ${[...credited].sort((a, b) => a - b).join(", ")}); cite it in a citation without that agency`,
      );
    });
  }
}

/** An international body is no one country's actor: a country would file its moves under that country. */
export function checkInternationalActors(dataset: Dataset, report: Report): void {
  for (const actor of dataset.actors) {
    if (actor.country === undefined || !INTERNATIONAL_ACTOR_KINDS.has(actor.kind)) continue;
    report("actors", actor.id, ["country"], `an actor of kind ${actor.kind} belongs to no one country (the country facet would file it under ${actor.country}); leave country out`);
  }
}

type DateNode = `sources/${string}` | `events/${string}`;

/**
 * A date may not be derived from a date that was derived from it. Edges run from a date to the
 * dates it was worked out from: `derivedFrom` on a source's publication date or an event's date,
 * and, for a relative event date without one, the publication dates of the sources it cites.
 * Every explicit edge that closes a cycle is reported, with the cycle.
 */
export function checkDateDerivations(dataset: Dataset, report: Report): void {
  const edges = new Map<DateNode, DateNode[]>();
  const explicit: { kind: "sources" | "events"; id: string; path: Path; from: DateNode; to: DateNode }[] = [];
  const target = (reference: { source: string } | { event: string }): DateNode =>
    "source" in reference ? `sources/${reference.source}` : `events/${reference.event}`;
  for (const source of dataset.sources) {
    const from: DateNode = `sources/${source.id}`;
    const references = source.published.derivedFrom ?? [];
    edges.set(from, references.map(target));
    references.forEach((reference, index) => explicit.push({ kind: "sources", id: source.id, path: ["published", "derivedFrom", index], from, to: target(reference) }));
  }
  for (const event of dataset.events) {
    const from: DateNode = `events/${event.id}`;
    const references = event.date.derivedFrom;
    if (references) {
      edges.set(from, references.map(target));
      references.forEach((reference, index) => explicit.push({ kind: "events", id: event.id, path: ["date", "derivedFrom", index], from, to: target(reference) }));
    } else if (event.date.basis === "relative") {
      edges.set(from, [...new Set(event.citations.map((citation) => `sources/${citation.source}` as DateNode))]);
    }
  }
  for (const edge of explicit) {
    const back = pathBetween(edges, edge.to, edge.from);
    if (!back) continue;
    report(
      edge.kind,
      edge.id,
      edge.path,
      `circular date: ${edge.to} is itself worked out from this date (${[edge.from, ...back].join(" → ")}); derive it from a stated date, the outlet's convention or the public record`,
    );
  }
}

/** The nodes from `from` to `to` along `edges` (breadth first, so the shortest), or undefined. */
function pathBetween(edges: Map<DateNode, DateNode[]>, from: DateNode, to: DateNode): DateNode[] | undefined {
  const previous = new Map<DateNode, DateNode | null>([[from, null]]);
  const queue = [from];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (node === to) {
      const path: DateNode[] = [];
      for (let at: DateNode | null = node; at !== null; at = previous.get(at)!) path.unshift(at);
      return path;
    }
    for (const next of edges.get(node) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/**
 * Checks what no single record can check alone: references resolve, locators fall inside
 * their sources, agencies are ones the source credits (for the paragraphs cited), participants
 * held the posts they acted in when the event happened, single-seat posts never have two holders
 * at once, international bodies have no country, no date is derived from itself, and nothing is
 * left unreferenced (a warning). The rules over a whole `Dataset` take a `Report`, so any reader
 * of records can run them.
 */
export function checkIntegrity(records: RecordsByKind, problems: Problem[]): void {
  const byId = <T extends { id: string }>(list: LoadedRecord<T>[]) => new Map(list.map((record) => [record.value.id, record]));
  const places = byId(records.places);
  const actors = byId(records.actors);
  const posts = byId(records.posts);
  const sources = byId(records.sources);
  const events = byId(records.events);
  const used = { actors: new Set<string>(), places: new Set<string>(), posts: new Set<string>() };

  const report = (record: LoadedRecord<unknown>, path: Path, message: string, severity: Problem["severity"] = "error") => {
    const { line, column } = record.locate(path);
    problems.push({ severity, file: record.file, line, column, field: formatPath(path), message });
  };
  const reference = (
    record: LoadedRecord<unknown>,
    path: Path,
    kind: keyof typeof used | "sources" | "events",
    id: string | undefined,
  ) => {
    if (id === undefined) return;
    const table = { actors, places, posts, sources, events }[kind] as Map<string, unknown>;
    if (!table.has(id)) report(record, path, `unknown ${kind.slice(0, -1)} "${id}"`);
    if (kind in used) used[kind as keyof typeof used].add(id);
  };
  const referenceDate = (record: LoadedRecord<unknown>, path: Path, from: { source: string } | { event: string }) =>
    "source" in from ? reference(record, [...path, "source"], "sources", from.source) : reference(record, [...path, "event"], "events", from.event);
  const checkCitation = (record: LoadedRecord<unknown>, path: Path, citation: Citation) => {
    reference(record, [...path, "source"], "sources", citation.source);
    const source = sources.get(citation.source)?.value;
    citation.paragraphs.forEach((paragraph, index) => {
      if (source && paragraph > source.paragraphs) {
        report(record, [...path, "paragraphs", index], `paragraph ${paragraph} is beyond the ${source.paragraphs} paragraphs of source "${source.id}"`);
      }
    });
    if (citation.agency !== undefined) {
      reference(record, [...path, "agency"], "actors", citation.agency);
      if (source && !source.credits.some((credit) => credit.actor === citation.agency)) {
        report(record, [...path, "agency"], `source "${source.id}" does not credit "${citation.agency}"; add it to the source's credits or drop it here`);
      }
    }
    citation.quotes?.forEach((quote, index) => reference(record, [...path, "quotes", index, "speaker"], "actors", quote.speaker));
  };

  for (const place of records.places) reference(place, ["within"], "places", place.value.within);
  for (const post of records.posts) reference(post, ["organisation"], "actors", post.value.organisation);

  for (const actor of records.actors) {
    actor.value.aliases.forEach((alias, a) =>
      alias.usedBy?.forEach((source, s) => reference(actor, ["aliases", a, "usedBy", s], "sources", source)),
    );
    actor.value.positions.forEach((position, p) => {
      reference(actor, ["positions", p, "post"], "posts", position.post);
      position.citations.forEach((citation, c) => checkCitation(actor, ["positions", p, "citations", c], citation));
    });
  }

  for (const source of records.sources) {
    const { outlet, dateline, credits, paragraphs } = source.value;
    source.value.published.derivedFrom?.forEach((from, index) => referenceDate(source, ["published", "derivedFrom", index], from));
    reference(source, ["outlet", "actor"], "actors", outlet.actor);
    reference(source, ["dateline", "place"], "places", dateline?.place);
    credits.forEach((credit, c) => {
      reference(source, ["credits", c, "actor"], "actors", credit.actor);
      credit.paragraphs.forEach((paragraph, index) => {
        if (paragraph > paragraphs) report(source, ["credits", c, "paragraphs", index], `paragraph ${paragraph} is beyond the ${paragraphs} paragraphs of this source`);
      });
    });
  }

  for (const event of records.events) {
    const { value } = event;
    const eventSpan = spanBounds(value.date);
    value.places.forEach((place, index) => reference(event, ["places", index], "places", place));
    value.date.derivedFrom?.forEach((from, index) => referenceDate(event, ["date", "derivedFrom", index], from));
    value.citations.forEach((citation, index) => checkCitation(event, ["citations", index], citation));
    value.relations.forEach((relation, index) => {
      if (relation.event === value.id) report(event, ["relations", index, "event"], "an event cannot relate to itself");
      else reference(event, ["relations", index, "event"], "events", relation.event);
    });
    value.participants.forEach((participant, index) => {
      const path = ["participants", index] as const;
      reference(event, [...path, "actor"], "actors", participant.actor);
      if (participant.post === undefined) return;
      reference(event, [...path, "post"], "posts", participant.post);
      const actor = actors.get(participant.actor)?.value;
      if (!actor || !posts.has(participant.post)) return;
      const tenures = actor.positions.filter((position) => position.post === participant.post);
      if (tenures.length === 0) {
        report(event, [...path, "post"], `${actor.name} holds no position "${participant.post}"; record it on the actor with a citation`);
      } else if (!tenures.some((tenure) => spansOverlap(eventSpan, tenureBounds(tenure)))) {
        report(event, [...path, "post"], `${actor.name}'s tenure as ${participant.post} (${describeTenure(tenures)}) does not cover the event's date (${describeSpan(value.date)})`);
      }
    });
  }

  checkSeats(records.actors, posts, report);
  const dataset = valuesOf(records);
  const reportIn = reportInto(records, problems);
  checkAgencyParagraphs(dataset, reportIn);
  checkInternationalActors(dataset, reportIn);
  checkDateDerivations(dataset, reportIn);

  const warnUnused = (list: LoadedRecord<{ id: string }>[], kind: keyof typeof used, hint: string) => {
    for (const record of list) {
      if (!used[kind].has(record.value.id)) report(record, ["id"], `${kind.slice(0, -1)} "${record.value.id}" is referenced by nothing; ${hint}`, "warning");
    }
  };
  warnUnused(records.places, "places", "place an event there or remove it");
  warnUnused(records.posts, "posts", "record who held it or remove it");
  for (const actor of records.actors) {
    if (actor.value.positions.length > 0) used.actors.add(actor.value.id); // holding a post is enough
  }
  warnUnused(records.actors, "actors", "name it in an event, a citation or a source, or remove it");
}

/** The records' values, as a `Dataset`. */
export function valuesOf(records: RecordsByKind): Dataset {
  const values = <T>(list: { value: T }[]) => list.map((record) => record.value);
  return {
    places: values(records.places),
    actors: values(records.actors),
    posts: values(records.posts),
    sources: values(records.sources),
    events: values(records.events),
  };
}

function tenureBounds(position: Position): { first: string; last: string } {
  return {
    first: position.start ? earliestDay(position.start) : "0000-01-01",
    last: position.end ? latestDay(position.end) : "9999-12-31",
  };
}

function describeTenure(tenures: Position[]): string {
  return tenures.map((tenure) => `${tenure.start ?? "?"}–${tenure.end ?? ""}`).join(", ");
}

function describeSpan(span: { start: string; end?: string | undefined }): string {
  return span.end ? `${span.start}–${span.end}` : span.start;
}

/**
 * Two people in a single-seat post at once is an error — but only when it is certain:
 * a handover inside the same month is fine at month precision.
 */
function checkSeats(
  actors: LoadedRecord<Actor>[],
  posts: Map<string, LoadedRecord<{ id: string; seats: number | "unknown" }>>,
  report: (record: LoadedRecord<unknown>, path: Path, message: string) => void,
): void {
  const holders = new Map<string, { actor: LoadedRecord<Actor>; index: number; position: Position }[]>();
  for (const actor of actors) {
    actor.value.positions.forEach((position, index) => {
      if (position.start === undefined) return; // an undated tenure cannot be shown to overlap
      const list = holders.get(position.post) ?? [];
      list.push({ actor, index, position });
      holders.set(position.post, list);
    });
  }
  for (const [postId, list] of holders) {
    if ((posts.get(postId)?.value.seats ?? Infinity) !== 1) continue;
    const certain = ({ position }: (typeof list)[number]) => ({
      first: latestDay(position.start!),
      last: position.end ? earliestDay(position.end) : "9999-12-31",
    });
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        if (a.actor === b.actor) continue;
        const [x, y] = [certain(a), certain(b)];
        if (x.first < y.last && y.first < x.last) {
          report(b.actor, ["positions", b.index, "start"], `${postId} has one seat, but ${b.actor.value.name}'s tenure overlaps ${a.actor.value.name}'s`);
        }
      }
    }
  }
}
