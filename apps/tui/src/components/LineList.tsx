import { Box, Text, useInput } from "ink";
import { useEffect, useState } from "react";
import type { Line } from "../format.js";
import { theme } from "../theme.js";

interface Props {
  lines: Line[];
  height: number;
  width: number;
  /** Only the focused view listens to keys. */
  active: boolean;
  onOpen?: (link: NonNullable<Line["link"]>) => void;
  /** Called when the selection comes near the end, to fetch the next page. */
  onNearEnd?: () => void;
  /** Column titles above the rows, for lists. */
  header?: string;
  /** Start on the first line that links somewhere (lists), or at the top (details). */
  startAtFirstLink?: boolean;
  onSelect?: (line: Line | undefined) => void;
}

/**
 * A window onto many lines: renders only the rows that fit, moves with arrows, j/k, g/G and
 * PgUp/PgDn, and opens the selected line's link on Enter.
 */
export function LineList({ lines, height, width, active, onOpen, onNearEnd, header, startAtFirstLink, onSelect }: Props) {
  const firstLink = startAtFirstLink ? Math.max(0, lines.findIndex((line) => line.link)) : 0;
  const [selected, setSelected] = useState(firstLink);
  const rows = Math.max(1, height - (header ? 1 : 0));
  const index = Math.min(selected, Math.max(0, lines.length - 1));
  const top = Math.min(Math.max(0, index - Math.floor(rows / 2)), Math.max(0, lines.length - rows));

  useEffect(() => {
    onSelect?.(lines[index]);
    if (onNearEnd && index >= lines.length - rows) onNearEnd();
  }, [index, lines.length]);

  useInput(
    (input, key) => {
      const move = (to: number) => setSelected(Math.max(0, Math.min(lines.length - 1, to)));
      if (key.downArrow || input === "j") move(index + 1);
      else if (key.upArrow || input === "k") move(index - 1);
      else if (key.pageDown || input === " ") move(index + rows);
      else if (key.pageUp) move(index - rows);
      else if (input === "g") move(0);
      else if (input === "G") move(lines.length - 1);
      else if (key.return) {
        const link = lines[index]?.link;
        if (link) onOpen?.(link);
      }
    },
    { isActive: active },
  );

  const visible = lines.slice(top, top + rows);
  return (
    <Box flexDirection="column" height={height}>
      {header ? (
        <Text bold color={theme.dim} wrap="truncate">
          {header.slice(0, width)}
        </Text>
      ) : null}
      {visible.map((line, offset) => {
        const isSelected = top + offset === index;
        const color = line.tone === "heading" ? theme.heading : line.tone === "dim" ? theme.dim : line.tone === "accent" ? theme.accent : line.tone === "warn" ? theme.warn : line.link ? theme.link : undefined;
        return (
          <Text key={line.key} inverse={isSelected} bold={line.tone === "heading"} color={isSelected ? undefined : color} wrap="truncate">
            {`${isSelected ? "›" : " "}${line.text}`.slice(0, width)}
          </Text>
        );
      })}
    </Box>
  );
}
