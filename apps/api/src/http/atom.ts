import type { Context } from "hono";
import { generateAtomFeed } from "feedsmith";
import { EVENT_TYPES, vocabularyLabel, type EventListItem, type EventsQuery } from "@backchannel/schema";
import { lastChanged } from "../store/changes.js";
import type { Snapshot } from "../store/snapshot.js";

export const ATOM_MEDIA_TYPE = "application/atom+xml";

/** The parameters that choose a view's events: what names the feed (paging and format do not). */
function viewOf(url: URL): URLSearchParams {
  const view = new URLSearchParams();
  const kept = [...url.searchParams].filter(([name]) => !["format", "cursor", "limit", "bom"].includes(name)).sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
  for (const [name, value] of kept) view.append(name, value);
  return view;
}

/**
 * An Atom feed (RFC 4287) of a filtered view of the events: its `limit` newest events (50 unless
 * asked), each entry `updated` when the event last changed in the record (the snapshot's change
 * log). Links are relative, so that read through the dashboard (which serves the API under
 * /api/v1) an entry links to the dashboard's page of the event.
 */
export function atomResponse(c: Context, snapshot: Snapshot, query: EventsQuery): Response {
  const url = new URL(c.req.url);
  const page = snapshot.listEvents({ ...query, sort: url.searchParams.has("sort") ? query.sort : "-date", cursor: undefined });
  const events: EventListItem[] = page.data;
  const changed = lastChanged(snapshot.db, "events", events.map((event) => event.id), snapshot.meta.builtAt);
  const view = viewOf(url);
  const described = [...view].map(([name, value]) => `${name}: ${value}`).join(", ");
  const updated = events.reduce((latest, event) => (changed.get(event.id)! > latest ? changed.get(event.id)! : latest), "");
  const xml = generateAtomFeed({
    id: `urn:backchannel:events${view.size ? `:${view}` : ""}`,
    title: { value: `Backchannel: events${described ? ` (${described})` : ""}` },
    subtitle: { value: `The newest ${events.length} of ${page.page.total.toLocaleString("en")} matching events, each updated when it last changed in the record.` },
    updated: new Date(updated || snapshot.meta.builtAt),
    authors: [{ name: "Backchannel" }],
    generator: { text: "Backchannel API", version: snapshot.meta.datasetVersion },
    links: [
      { rel: "self", type: ATOM_MEDIA_TYPE, href: `${url.pathname}${url.search}` },
      { rel: "alternate", type: "text/html", href: `/events${view.size ? `?${view}` : ""}` },
    ],
    entries: events.map((event) => ({
      id: `urn:backchannel:event:${event.id}`,
      title: { value: event.title },
      updated: new Date(changed.get(event.id)!),
      summary: { value: event.summary },
      links: [
        { rel: "alternate", type: "text/html", href: `/events/${event.id}` },
        { rel: "related", type: "application/json", href: `/api/v1/events/${event.id}` },
      ],
      categories: [
        { term: event.type, label: EVENT_TYPES[event.type]?.label ?? event.type, scheme: "urn:backchannel:type" },
        ...event.topics.map((topic) => ({ term: topic, label: vocabularyLabel("topic", topic), scheme: "urn:backchannel:topic" })),
      ],
    })),
  });
  return c.body(xml, 200, { "content-type": `${ATOM_MEDIA_TYPE}; charset=utf-8`, "content-disposition": 'inline; filename="events.atom"' });
}
