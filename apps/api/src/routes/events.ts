import { EVENT_COLUMNS } from "@backchannel/dataset/csv";
import { createRoute } from "@hono/zod-openapi";
import { EventDetailSchema, EventPageSchema, EventsQuerySchema, IdParamSchema, NoQuerySchema, type EventFeature, type EventListItem } from "@backchannel/schema";
import type { z } from "zod";
import { atomResponse } from "../http/atom.js";
import { alternate, geojsonResponse, negotiate, storedCsvResponse, streamResponse, textStream } from "../http/formats.js";
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
      // CSV is the lines the build laid out from the same columns, as NDJSON is the stored JSON.
      if (format === "csv") return alternate(storedCsvResponse(c, EVENT_COLUMNS, snapshot.allEventsCsv(query), "events", query));
      return alternate(geojsonResponse(c, eventFeatures(snapshot, snapshot.allEvents(query)), "events"));
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
