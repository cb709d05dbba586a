import { Spinner } from "@inkjs/ui";
import { Text } from "ink";
import { LineList } from "../components/LineList.js";
import { describeError, unwrap } from "../data.js";
import { actorLines, eventLines, placeLines, sourceLines, type Line, type RecordKind } from "../format.js";
import { useRequest } from "../hooks.js";
import { postLines } from "../posts.js";
import { theme } from "../theme.js";
import type { ScreenProps } from "./props.js";

interface Props extends Pick<ScreenProps, "connection" | "width" | "height" | "active" | "onOpen"> {
  kind: RecordKind;
  id: string;
}

/** One record, as scrollable lines whose links open further records. */
export function DetailScreen({ kind, id, connection, width, height, active, onOpen }: Props) {
  const api = connection.client.api.v1;
  const detail = useRequest<Line[]>(async () => {
    if (kind === "event") return eventLines(await unwrap(api.events[":id"].$get({ param: { id }, query: {} })), width - 2);
    if (kind === "actor") return actorLines(await unwrap(api.actors[":id"].$get({ param: { id }, query: { limit: "50" } })), width - 2);
    if (kind === "post") return postLines(await unwrap(api.posts[":id"].$get({ param: { id }, query: {} })), width - 2);
    if (kind === "source") return sourceLines(await unwrap(api.sources[":id"].$get({ param: { id }, query: {} })), width - 2);
    return placeLines(await unwrap(api.places[":id"].$get({ param: { id }, query: {} })), width - 2);
  }, `${kind}:${id}:${width}`);
  if (detail.loading) return <Spinner label={`Loading ${kind} ${id}…`} />;
  if (detail.error) return <Text color={theme.error}>{describeError(detail.error, connection)} (Esc goes back)</Text>;
  return <LineList key={`${kind}:${id}`} lines={detail.data!} height={height} width={width} active={active} onOpen={onOpen} />;
}
