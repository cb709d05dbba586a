import { Spinner } from "@inkjs/ui";
import { Text } from "ink";
import { LineList } from "../components/LineList.js";
import { describeError, unwrap } from "../data.js";
import { count, fit, type Line } from "../format.js";
import { useRequest } from "../hooks.js";
import { theme } from "../theme.js";
import type { ScreenProps } from "./props.js";

interface Props extends ScreenProps {
  query: string;
  onCapture: (capturing: boolean) => void;
}

const SORTS = ["name", "kind"] as const;

/** Search results across kinds, ranked by the API, grouped by kind in rank order. */
export function SearchScreen({ query, connection, width, height, active, onOpen, onSelect, onCapture }: Props) {
  const result = useRequest(() => unwrap(connection.client.api.v1.search.$get({ query: { q: query, limit: "50" } })), query);
  if (result.loading) return <Spinner label={`Searching for “${query}”…`} />;
  if (result.error) return <Text color={theme.error}>{describeError(result.error, connection)}</Text>;
  const hits = result.data!.data;
  if (hits.length === 0) return <Text color={theme.warn}>Nothing matches “{query}”. (Esc goes back)</Text>;
  const lines: Line[] = [{ key: "title", text: `Search: “${query}” — ${count(hits.length, "result")}`, tone: "heading" }];
  for (const kind of ["actor", "event", "source", "place"] as const) {
    const group = hits.filter((hit) => hit.kind === kind);
    if (group.length === 0) continue;
    lines.push({ key: `h-${kind}`, text: "" }, { key: `g-${kind}`, text: `${kind}s`, tone: "heading" });
    for (const hit of group) {
      const matched = hit.matched !== hit.label && kind !== "event" && kind !== "source" ? ` (as “${hit.matched}”)` : "";
      lines.push({ key: `${kind}:${hit.id}`, text: `  ${fit(`${hit.label}${matched}`, Math.floor(width * 0.55))} ${hit.detail}`, link: { kind, id: hit.id }, sort: { name: hit.label, kind } });
    }
  }
  return <LineList key={query} lines={lines} height={height} width={width} active={active} onOpen={onOpen} onSelect={onSelect} onCapture={onCapture} sortKeys={SORTS} startAtFirstLink />;
}
