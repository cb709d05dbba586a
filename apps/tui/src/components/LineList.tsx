import { Box, Text } from "ink";
import { useEffect, useMemo, useState } from "react";
import { narrowMatcher, type Line } from "../format.js";
import { useKeys } from "../keys.js";
import { theme } from "../theme.js";
import { editText } from "./Prompt.js";

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
  /** Lists can be narrowed (`n`) and sorted (`s`) by the keys of their lines' `sort`. */
  sortKeys?: readonly string[];
  /** Tells the screen when this list takes the keys a screen would otherwise use (typing, Esc). */
  onCapture?: (capturing: boolean) => void;
  /** What the status line says, beside the narrowing and the sort. */
  status?: string;
}

/**
 * A window onto many lines: renders only the rows that fit, moves with arrows, j/k, g/G and
 * PgUp/PgDn, opens the selected line's link on Enter; in lists, `n` narrows to the rows that
 * match what is typed (any spelling of a name) and `s` cycles the sort.
 */
export function LineList({ lines, height, width, active, onOpen, onNearEnd, header, startAtFirstLink, onSelect, sortKeys, onCapture, status }: Props) {
  const [selectedKey, setSelectedKey] = useState<string>();
  const [narrow, setNarrow] = useState<{ text: string; typing: boolean }>();
  const [sort, setSort] = useState(-1);
  const sortKey = sort >= 0 ? sortKeys?.[sort] : undefined;

  const shown = useMemo(() => {
    const matches = narrow?.text ? narrowMatcher(narrow.text) : undefined;
    const kept = matches ? lines.filter((line) => line.link && matches(line.text)) : lines;
    if (!sortKey) return kept;
    return [...kept].sort((a, b) => (a.sort?.[sortKey] ?? "").localeCompare(b.sort?.[sortKey] ?? ""));
  }, [lines, narrow?.text, sortKey]);

  const footer = sortKeys ? 1 : 0;
  const rows = Math.max(1, height - (header ? 1 : 0) - footer);
  const found = selectedKey === undefined ? -1 : shown.findIndex((line) => line.key === selectedKey);
  const firstLink = startAtFirstLink ? Math.max(0, shown.findIndex((line) => line.link)) : 0;
  const index = found >= 0 ? found : Math.min(firstLink, Math.max(0, shown.length - 1));
  const top = Math.min(Math.max(0, index - Math.floor(rows / 2)), Math.max(0, shown.length - rows));

  useEffect(() => {
    onSelect?.(shown[index]);
    if (onNearEnd && !narrow?.text && index >= shown.length - rows) onNearEnd();
  }, [index, shown]);
  useEffect(() => onCapture?.(narrow !== undefined), [narrow !== undefined]);

  useKeys((key) => {
    // In lists, only rows that open something can be selected (headings and gaps are skipped).
    const selectable = (at: number) => !startAtFirstLink || shown[at]?.link !== undefined;
    const move = (to: number) => {
      let at = Math.max(0, Math.min(shown.length - 1, to));
      const step = at >= index ? 1 : -1;
      while (!selectable(at) && at + step >= 0 && at + step < shown.length) at += step;
      if (!selectable(at)) while (!selectable(at) && at - step >= 0 && at - step < shown.length) at -= step;
      setSelectedKey(shown[at]?.key);
    };
    if (narrow?.typing) {
      if (key.name === "escape") setNarrow(undefined);
      else if (key.name === "return") setNarrow({ text: narrow.text, typing: false });
      else if (key.name === "down" || key.name === "up") move(index + (key.name === "down" ? 1 : -1));
      else setNarrow({ text: editText(narrow.text, key), typing: true });
      return;
    }
    if (key.name === "down" || key.text === "j") move(index + 1);
    else if (key.name === "up" || key.text === "k") move(index - 1);
    else if (key.name === "pagedown" || key.text === " ") move(index + rows);
    else if (key.name === "pageup") move(index - rows);
    else if (key.name === "home" || key.text === "g") move(0);
    else if (key.name === "end" || key.text === "G") move(shown.length - 1);
    else if (key.name === "return") {
      const link = shown[index]?.link;
      if (link) onOpen?.(link);
    } else if (sortKeys && key.text === "n") setNarrow({ text: narrow?.text ?? "", typing: true });
    else if (sortKeys && key.text === "s") setSort((current) => (current + 2) % (sortKeys.length + 1) - 1);
    else if (narrow && key.name === "escape") setNarrow(undefined);
  }, active, narrow?.typing === true);

  const visible = shown.slice(top, top + rows);
  const narrowing = narrow ? `narrow: ${narrow.text}${narrow.typing ? "▏" : ""} (${shown.length} of ${lines.filter((line) => line.link).length}) · ` : "";
  const sorting = sortKey ? `sorted by ${sortKey} · ` : "";
  return (
    <Box flexDirection="column" height={height}>
      {header ? (
        <Text bold wrap="truncate">
          {header.slice(0, width)}
        </Text>
      ) : null}
      <Box flexDirection="column" height={rows}>
        {visible.map((line, offset) => {
          const isSelected = top + offset === index;
          const color = line.tone === "heading" ? theme.heading : line.tone === "accent" ? theme.accent : line.tone === "warn" ? theme.warn : line.link ? theme.link : undefined;
          return (
            <Text key={line.key} inverse={isSelected} bold={line.tone === "heading"} dimColor={!isSelected && line.tone === "dim"} color={isSelected ? undefined : color} wrap="truncate">
              {`${isSelected ? "›" : " "}${line.text}`.slice(0, width)}
            </Text>
          );
        })}
      </Box>
      {sortKeys ? (
        <Text wrap="truncate">
          {narrowing || sorting ? <Text color={theme.accent}>{`${narrowing}${sorting}`}</Text> : null}
          {status ?? ""}
        </Text>
      ) : null}
    </Box>
  );
}
