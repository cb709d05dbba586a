import { Box, Text } from "ink";
import { theme } from "../theme.js";

export const KEYS: [string, string][] = [
  ["↑ ↓  j k", "move"],
  ["PgUp PgDn  space", "move a screen"],
  ["g  G", "top, bottom"],
  ["Enter", "open the selected record"],
  ["Esc  Backspace", "back"],
  ["Tab  1–5", "Events, Actors, Sources, Places, Offices"],
  ["/", "search (any spelling: Araqchi finds Araghchi)"],
  ["f", "filter events: actor, type, topic, from, to"],
  ["x", "clear the filters"],
  ["o", "show the permalink and API URL of this record"],
  ["?", "this help"],
  ["q  Ctrl-C", "quit"],
];

export function Help() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold color={theme.heading}>
        Keys
      </Text>
      {KEYS.map(([keys, what]) => (
        <Text key={keys}>
          <Text color={theme.accent}>{keys.padEnd(20)}</Text>
          {what}
        </Text>
      ))}
      <Text color={theme.dim}>Press any key to close.</Text>
    </Box>
  );
}
