import type { Citation, Event, EventDetail, EventListItem, Place, Source } from "@backchannel/schema";

/**
 * How records are shown joined to the records they name: an event's detail and the citations of
 * an event or an office. Pure functions over lookups, so any reader of a snapshot shows them alike.
 */
export interface Lookups {
  source(id: string): Source | undefined;
  actorName(id: string): string | undefined;
}

/** A source as a citation shows it: its metadata and its outlet by name. */
export function sourceRef(source: Source, { actorName }: Pick<Lookups, "actorName">) {
  return {
    id: source.id,
    ...(source.title ? { title: source.title } : {}),
    description: source.description,
    kind: source.kind,
    published: source.published,
    outlet: {
      id: source.outlet.actor ?? null,
      name: source.outlet.actor ? (actorName(source.outlet.actor) ?? source.outlet.actor) : null,
      basis: source.outlet.basis,
    },
  };
}

/** Citations with their source's metadata, the credited agency's name and each speaker's. */
export function citationViews(citations: Citation[], lookups: Lookups) {
  return citations.map(({ quotes, ...citation }) => {
    const source = lookups.source(citation.source)!;
    return {
      ...citation,
      ...(quotes ? { quotes: quotes.map((quote) => ({ ...quote, speakerName: lookups.actorName(quote.speaker) ?? quote.speaker })) } : {}),
      sourceInfo: sourceRef(source, lookups),
      agencyName: citation.agency ? (lookups.actorName(citation.agency) ?? citation.agency) : null,
    };
  });
}

export interface DetailLookups extends Lookups {
  place(id: string): Place | undefined;
  postTitle(id: string): string | undefined;
  /** An event by id, for the summaries of related events. */
  event(id: string): Event | undefined;
  /** Events that relate to `id`, in date order, with the relation's type. */
  relatedTo(id: string): { type: Event["relations"][number]["type"]; event: Event }[];
}

/** One event in full: its places, citations joined to their sources, related events both ways. */
export function eventDetail(event: EventListItem, lookups: DetailLookups): EventDetail {
  const summary = (other: Event) => ({ id: other.id, title: other.title, date: other.date, type: other.type });
  // An event is not its own relative: a relation back to itself is left out.
  const outgoing = event.relations.flatMap((relation) => {
    if (relation.event === event.id) return [];
    const other = lookups.event(relation.event);
    return other ? [{ type: relation.type, direction: "outgoing" as const, ...(relation.note ? { note: relation.note } : {}), event: summary(other) }] : [];
  });
  const incoming = lookups
    .relatedTo(event.id)
    .filter(({ event: other }) => other.id !== event.id)
    .map(({ type, event: other }) => {
      const note = other.relations.find((relation) => relation.event === event.id && relation.type === type)?.note;
      return { type, direction: "incoming" as const, ...(note ? { note } : {}), event: summary(other) };
    });
  const participants = event.participants.map((participant) => {
    const postTitle = participant.post ? lookups.postTitle(participant.post) : undefined;
    return postTitle !== undefined ? { ...participant, postTitle } : participant;
  });
  return {
    ...event,
    participants,
    placeDetails: event.places.map((place) => lookups.place(place)).filter((place): place is Place => place !== undefined),
    citations: citationViews(event.citations, lookups),
    related: [...outgoing, ...incoming],
  };
}
