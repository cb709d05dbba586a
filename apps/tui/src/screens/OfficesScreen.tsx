import { Spinner } from "@inkjs/ui";
import type { PostListItem } from "@backchannel/schema";
import { Box, Text } from "ink";
import { LineList } from "../components/LineList.js";
import { describeError, unwrap } from "../data.js";
import type { Line } from "../format.js";
import { useRequest } from "../hooks.js";
import { postHeader, postRow } from "../posts.js";
import { theme } from "../theme.js";
import { SORTS } from "./ListScreen.js";
import type { ScreenProps } from "./props.js";

type Props = ScreenProps;

/** The Offices tab: every post with its holders over time; Enter opens one. */
export function OfficesScreen({ connection, width, height, active, onOpen, onSelect, onCapture }: Props) {
  // Offices are few (20 in the record): one page of the API's largest size holds them.
  const posts = useRequest(() => unwrap(connection.client.api.v1.posts.$get({ query: { limit: "500" } })), "offices");
  if (posts.loading) return <Spinner label="Loading offices…" />;
  if (posts.error) return <Text color={theme.error}>{describeError(posts.error, connection)}</Text>;
  const rowWidth = width - 1;
  const lines: Line[] = posts.data!.data.map((post: PostListItem) => ({ key: post.id, text: postRow(post, rowWidth), link: { kind: "post", id: post.id }, sort: { name: post.title, organisation: post.organisationName } }));
  const { total, totalExact } = posts.data!.page;
  return (
    <Box flexDirection="column">
      <LineList lines={lines} header={postHeader(rowWidth)} height={height - 1} width={width} active={active} onOpen={onOpen} onSelect={onSelect} onCapture={onCapture} sortKeys={SORTS.offices} startAtFirstLink />
      <Text dimColor wrap="truncate">{`${total}${totalExact ? "" : "+"} offices${posts.data!.page.next ? ` · the first ${lines.length} shown` : ""}`}</Text>
    </Box>
  );
}
