import {
  earliestDay,
  latestDay,
  spanBounds,
  spansOverlap,
  type Actor,
  type Citation,
  type Position,
} from "@backchannel/schema";
import type { Problem } from "./problems.js";
import { formatPath } from "./problems.js";
import type { LoadedRecord, RecordsByKind } from "./read-records.js";

type Path = readonly PropertyKey[];

/**
 * Checks what no single record can check alone: references resolve, locators fall inside
 * their sources, agencies are ones the source credits, participants held the posts they
 * acted in when the event happened, single-seat posts never have two holders at once, and
 * nothing is left unreferenced (a warning).
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
  posts: Map<string, LoadedRecord<{ id: string; seats: number }>>,
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
