import { codeEventType, QUAD_CLASSES, type EventType } from "@backchannel/schema";
import type { Dataset } from "./load.js";

function countBy<T>(items: T[], key: (item: T) => string | string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const keys = key(item);
    for (const k of Array.isArray(keys) ? keys : [keys]) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function table(title: string, rows: [string, number][], width = 34): string {
  return [`${title}`, ...rows.map(([name, count]) => `  ${name.padEnd(width)} ${String(count).padStart(3)}`)].join("\n");
}

function columns(left: string, right: string, gap = 46): string {
  const a = left.split("\n");
  const b = right.split("\n");
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? "").padEnd(gap) + (b[i] ?? "")).join("\n").trimEnd();
}

/** The one-screen summary `data:check` prints for a clean dataset. */
export function summarise(dataset: Dataset): string {
  const { events, actors, sources, places, posts } = dataset;
  const citations = events.reduce((sum, event) => sum + event.citations.length, 0);
  const header = `Backchannel dataset — ${events.length} events, ${actors.length} actors, ${sources.length} sources, ${places.length} places, ${posts.length} posts, ${citations} event citations`;
  const byType = countBy(events, (event) => {
    const coding = codeEventType(event.type as EventType);
    return `${event.type} (${coding.cameo ?? "uncoded"})`;
  });
  const byYear = countBy(events, (event) => event.date.start.slice(0, 4)).sort((a, b) => a[0].localeCompare(b[0]));
  const bySource = countBy(events, (event) => [...new Set(event.citations.map((citation) => citation.source))]);
  const byStatus = countBy(events, (event) => event.status);
  const byQuad = countBy(events, (event) => {
    const quad = codeEventType(event.type as EventType).quadClass;
    return quad === null ? "uncoded" : `${quad} ${QUAD_CLASSES[quad]}`;
  });
  const byKind = countBy(actors, (actor) => actor.kind);
  return [
    header,
    "",
    columns(table("Events by type (CAMEO)", byType, 32), table("Events by year", byYear, 8) + "\n\n" + table("Events by status", byStatus, 18)),
    "",
    columns(table("Events by quad class", byQuad, 32), table("Actors by kind", byKind, 20)),
    "",
    table("Events by source", bySource, 48),
  ].join("\n");
}
