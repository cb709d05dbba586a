import { Spinner } from "@inkjs/ui";
import { vocabularyLabel, type ActorListItem, type EventListItem, type PlaceListItem, type SourceListItem } from "@backchannel/schema";
import { Box, Text } from "ink";
import type { Filters } from "../components/Prompt.js";
import { LineList } from "../components/LineList.js";
import { asEventsQuery, asTimelineQuery, describeError, unwrap, type Connection } from "../data.js";
import { count, eventRow, fit, publishedCell, sparkline, type Line } from "../format.js";
import { usePaged, useRequest } from "../hooks.js";
import { theme } from "../theme.js";
import type { ScreenProps } from "./props.js";

const LIST_TABS = ["events", "actors", "sources", "places"] as const;
type ListTab = (typeof LIST_TABS)[number];
/** Every tab; offices have a screen of their own (OfficesScreen). */
export const TABS = [...LIST_TABS, "offices"] as const;
export type Tab = (typeof TABS)[number];

interface Props extends ScreenProps {
  tab: ListTab;
  filters: Filters;
}

/** What `s` cycles through in each tab (then back to the API's order). */
export const SORTS: Record<Tab, readonly string[]> = {
  events: ["date", "type", "title"],
  actors: ["name", "kind", "country"],
  sources: ["published", "outlet", "title"],
  places: ["name", "kind", "country"],
  offices: ["name", "organisation"],
};

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [year, month] = from.split("-").map(Number) as [number, number];
  const [endYear, endMonth] = to.split("-").map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    out.push(`${year}-${String(month).padStart(2, "0")}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

/** Events per month for the active filters, as one line (empty months included). */
function TimelineStrip({ connection, filters, width }: { connection: Connection; filters: Filters; width: number }) {
  const timeline = useRequest(() => unwrap(connection.client.api.v1.timeline.$get({ query: asTimelineQuery({ bucket: "month", ...filters }) })), JSON.stringify(filters));
  // Events dated only to the year have no month: they stay off the strip rather than in January.
  const buckets = (timeline.data?.data ?? []).filter((bucket) => bucket.bucket.length === 7);
  if (buckets.length === 0) return <Text dimColor>{timeline.loading ? "timeline…" : " "}</Text>;
  const counts = new Map(buckets.map((bucket) => [bucket.bucket, bucket.count]));
  const all = months(buckets[0]!.bucket, buckets.at(-1)!.bucket);
  const label = `${all[0]} `;
  const end = ` ${all.at(-1)}`;
  return (
    <Text wrap="truncate">
      <Text>{label}</Text>
      <Text color={theme.accent}>{sparkline(all.map((month) => counts.get(month) ?? 0), width - label.length - end.length)}</Text>
      <Text>{end}</Text>
    </Text>
  );
}

const HEADERS: Record<ListTab, (width: number) => string> = {
  events: (width) => eventRow({ date: { start: "date", basis: "stated" }, sourcing: { sources: "src" }, type: "type", title: "title", participants: [{ name: "participants" }] } as unknown as EventListItem, width),
  actors: (width) => `${fit("name", Math.floor(width * 0.4))}${fit("kind", 20)}${fit("country", 8)}events`,
  sources: (width) => `${fit("published", 12)}${fit("outlet", 22)}${fit("title", width - 42)}events`,
  places: (width) => `${fit("name", Math.floor(width * 0.4))}${fit("kind", 10)}${fit("country", 8)}events`,
};

export function ListScreen({ tab, connection, filters, width, height, active, onOpen, onSelect, onCapture }: Props) {
  const api = connection.client.api.v1;
  const list = usePaged<unknown>(
    (cursor) => {
      const page = { limit: "100", ...(cursor ? { cursor } : {}) };
      if (tab === "events") return unwrap(api.events.$get({ query: asEventsQuery({ ...page, ...filters }) }));
      if (tab === "actors") return unwrap(api.actors.$get({ query: page }));
      if (tab === "sources") return unwrap(api.sources.$get({ query: page }));
      return unwrap(api.places.$get({ query: page }));
    },
    `${tab}:${JSON.stringify(filters)}`,
  );
  const rowWidth = width - 1;
  const lines = list.rows.map((row): Line => {
    if (tab === "events") {
      const event = row as EventListItem;
      return { key: event.id, text: eventRow(event, rowWidth), link: { kind: "event", id: event.id }, sort: { date: event.date.start, type: event.type, title: event.title } };
    }
    if (tab === "actors") {
      const actor = row as ActorListItem;
      return { key: actor.id, text: `${fit(actor.name, Math.floor(rowWidth * 0.4))}${fit(vocabularyLabel("actorKind", actor.kind), 20)}${fit(actor.country ?? "", 8)}${actor.eventCount}`, link: { kind: "actor", id: actor.id }, sort: { name: actor.name, kind: actor.kind, country: actor.country ?? "" } };
    }
    if (tab === "sources") {
      const source = row as SourceListItem;
      return {
        key: source.id,
        text: `${fit(publishedCell(source.published), 12)}${fit(source.outlet.actor ?? "unknown", 22)}${fit(source.title ?? source.description, rowWidth - 42)}${source.eventCount}`,
        link: { kind: "source", id: source.id },
        sort: { published: source.published.date, outlet: source.outlet.actor ?? "", title: source.title ?? source.description },
      };
    }
    const place = row as PlaceListItem;
    return { key: place.id, text: `${fit(place.name, Math.floor(rowWidth * 0.4))}${fit(vocabularyLabel("placeKind", place.kind), 10)}${fit(place.country ?? "", 8)}${place.eventCount}`, link: { kind: "place", id: place.id }, sort: { name: place.name, kind: place.kind, country: place.country ?? "" } };
  });
  const strip = tab === "events" ? 1 : 0;
  const status = list.error
    ? describeError(list.error, connection)
    : list.total
      ? `${list.total.exact ? count(list.total.total, tab.slice(0, -1)) : `${list.total.total.toLocaleString("en")}+ ${tab}`}${Object.keys(filters).length ? ` matching ${Object.entries(filters).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}${list.hasMore ? ` · ${list.rows.length.toLocaleString("en")} loaded` : ""}`
      : "";
  return (
    <Box flexDirection="column">
      {strip ? <TimelineStrip connection={connection} filters={filters} width={width} /> : null}
      {list.error ? (
        <Text color={theme.error}>{status}</Text>
      ) : list.rows.length === 0 && list.loading ? (
        <Spinner label={`Loading ${tab}…`} />
      ) : list.rows.length === 0 ? (
        <Text color={theme.warn}>No {tab} match{Object.keys(filters).length ? " these filters (x clears them)" : ""}.</Text>
      ) : (
        <LineList
          key={`${tab}:${JSON.stringify(filters)}`}
          lines={lines}
          header={HEADERS[tab](rowWidth)}
          height={height - strip}
          width={width}
          active={active}
          onOpen={onOpen}
          onNearEnd={list.fetchMore}
          onSelect={onSelect}
          onCapture={onCapture}
          sortKeys={SORTS[tab]}
          status={status}
          startAtFirstLink
        />
      )}
    </Box>
  );
}
