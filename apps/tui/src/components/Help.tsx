import { Box, Text } from "ink";
import { theme } from "../theme.js";

export const KEYS: [string, string][] = [
  ["↑ ↓  j k", "move"],
  ["PgUp PgDn  space", "move a screen"],
  ["g  G  Home End", "top, bottom"],
  ["Enter", "open the selected record"],
  ["Esc  Backspace", "back (to the same list, filter, selection and scroll)"],
  ["Tab  1–5", "Events, Actors, Sources, Places, Offices"],
  ["/", "search (any spelling: Araqchi finds Araghchi)"],
  ["n", "narrow the list in view as you type, any spelling (Esc drops it)"],
  ["s", "sort the list in view: date, type, title, then the API's order"],
  ["f", "filter events: actor (offered as you type), type, topic, from, to"],
  ["x", "clear the filters"],
  ["o", "show the permalink and API URL of the selected record"],
  ["?", "this help"],
  ["q  Ctrl-C", "quit"],
];

/** Keys inside a text box (search, filter form, narrowing). */
export const TEXT_KEYS: [string, string][] = [
  ["Enter", "submit (a pasted text ending in a newline is typed, then submitted)"],
  ["Esc", "cancel"],
  ["Backspace  Ctrl-U", "delete a character, the whole text"],
  ["↑ ↓  Tab  ← →", "filter form: field, take the highlighted suggestion, pick another"],
];

export function Help() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold color={theme.heading}>
        Keys
      </Text>
      {KEYS.map(([keys, what]) => (
        <Text key={keys} wrap="truncate">
          <Text color={theme.accent}>{keys.padEnd(20)}</Text>
          {what}
        </Text>
      ))}
      <Text bold color={theme.heading}>
        In a text box
      </Text>
      {TEXT_KEYS.map(([keys, what]) => (
        <Text key={keys} wrap="truncate">
          <Text color={theme.accent}>{keys.padEnd(20)}</Text>
          {what}
        </Text>
      ))}
      <Text dimColor>Press any key to close.</Text>
    </Box>
  );
}
