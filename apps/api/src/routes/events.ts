import { createRoute } from "@hono/zod-openapi";
import { EventDetailSchema, EventPageSchema, EventsQuerySchema, IdParamSchema, NoQuerySchema, type EventFeature, type EventListItem } from "@backchannel/schema";
import type { z } from "zod";
import { atomResponse } from "../http/atom.js";
import { alternate, csvResponse, geojsonResponse, join, negotiate, streamResponse, textStream, type Column } from "../http/formats.js";
import { jsonText } from "../http/json-text.js";
import { createRouter, errorResponses } from "../http/router.js";
import type { Snapshot } from "../store/snapshot.js";

const listEvents = createRoute({
  method: "get",
  path: "/events",
  operationId: "listEvents",
  tags: ["events"],
  summary: "Events, filtered, sorted by date, type or title, paged by cursor",
  request: { query: EventsQuerySchema },
  responses: {
    200: {
      description: "a page of events (JSON), every matching event (CSV, NDJSON, GeoJSON) or an Atom feed of the newest",
      content: { "application/json": { schema: EventPageSchema } },
    },
    400: errorResponses[400],
  },
});

const getEvent = createRoute({
  method: "get",
  path: "/events/{id}",
  operationId: "getEvent",
  tags: ["events"],
  summary: "One event with participants, places, citations and related events",
  request: { params: IdParamSchema, query: NoQuerySchema },
  responses: {
    200: { description: "the event", content: { "application/json": { schema: EventDetailSchema } } },
    ...errorResponses,
  },
});

export const EVENT_COLUMNS: Column<EventListItem>[] = [
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

export function eventRoutes(snapshot: Snapshot) {
  return createRouter()
    .openapi(listEvents, (c) => {
      const query = c.req.valid("query");
      const format = negotiate(c, query.format, ["json", "csv", "ndjson", "geojson", "atom"]);
      // The page's JSON is joined from the rows' stored JSON: nothing is parsed or encoded per event.
      if (format === "json") return jsonText<z.output<typeof EventPageSchema>>(c, snapshot.listEventsJson(query));
      if (format === "atom") return alternate(atomResponse(c, snapshot, query));
      // NDJSON is the stored rows as they are, one a line.
      if (format === "ndjson") return alternate(streamResponse(c, "ndjson", textStream(ndjsonOf(snapshot.allEventsJson(query))), "events"));
      const rows = snapshot.allEvents(query);
      if (format === "csv") return alternate(csvResponse(c, rows, EVENT_COLUMNS, "events", query));
      return alternate(geojsonResponse(c, eventFeatures(snapshot, rows), "events"));
    })
    .openapi(getEvent, (c) => jsonText<z.output<typeof EventDetailSchema>>(c, snapshot.getEventJson(c.req.valid("param").id)));
}

function* ndjsonOf(rows: Iterable<string>): Generator<string> {
  for (const row of rows) yield `${row}\n`;
}

/**
 * One feature per event of the list, none left out: a MultiPoint of every place it happened at,
 * or `"geometry": null` for an event with no place (RFC 7946, 3.2).
 */
function* eventFeatures(snapshot: Snapshot, events: Iterable<EventListItem>): Generator<EventFeature> {
  for (const event of events) {
    const places = event.places.map((id) => snapshot.placeCoordinates(id)).filter((place) => place !== undefined);
    yield {
      type: "Feature",
      id: event.id,
      geometry: places.length ? { type: "MultiPoint", coordinates: places.map((place): [number, number] => [place.longitude, place.latitude]) } : null,
      properties: {
        id: event.id,
        title: event.title,
        start: event.date.start,
        end: event.date.end ?? null,
        precision: event.precision,
        type: event.type,
        status: event.status,
        cameo: event.coding.cameo,
        goldstein: event.coding.goldstein,
        quadClass: event.coding.quadClass,
        places: places.map((place) => place.id),
        placeNames: places.map((place) => place.name),
        participants: event.participants.map((p) => p.name),
      },
    };
  }
}
