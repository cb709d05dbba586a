import { EventTypeSchema, TopicSchema } from "@backchannel/schema";
import { Box, Text } from "ink";
import { useEffect, useState } from "react";
import { unwrap, type Connection } from "../data.js";
import { useRequest } from "../hooks.js";
import { useKeys, type Keystroke } from "../keys.js";
import { theme } from "../theme.js";

/** What a key does to a line of text: typed characters append, Backspace and Ctrl-U delete. */
export function editText(value: string, key: Keystroke): string {
  if (key.text) return value + key.text;
  if (key.name === "backspace") return [...value].slice(0, -1).join("");
  if (key.ctrl === "u") return "";
  return value;
}

/** A line of text with a cursor, or the placeholder when it is empty. */
function Field({ value, placeholder, focused }: { value: string; placeholder: string; focused: boolean }) {
  if (!value) {
    return (
      <Text>
        {focused ? <Text inverse> </Text> : null}
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  return (
    <Text>
      {value}
      {focused ? <Text inverse> </Text> : null}
    </Text>
  );
}

/** One line of input: Enter submits, Esc cancels. A pasted `text⏎` is typing, then Enter. */
export function Prompt({ label, initial, onSubmit, onCancel }: { label: string; initial?: string; onSubmit: (value: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(initial ?? "");
  useKeys((key) => {
    if (key.name === "escape") onCancel();
    else if (key.name === "return") onSubmit(value);
    else setValue((current) => editText(current, key));
  }, true, true);
  return (
    <Box borderStyle="round" paddingX={1}>
      <Text color={theme.accent}>{label} </Text>
      <Field value={value} placeholder="type, then Enter (Esc cancels)" focused />
    </Box>
  );
}

export const FILTER_FIELDS = ["actor", "type", "topic", "from", "to"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type Filters = Partial<Record<FilterField, string>>;

const HINTS: Record<FilterField, string> = {
  actor: "a name in any spelling, e.g. Larijani",
  type: "event type, e.g. visit",
  topic: "topic, e.g. us-iran-talks",
  from: "YYYY, YYYY-MM or YYYY-MM-DD",
  to: "YYYY, YYYY-MM or YYYY-MM-DD",
};

/** The vocabularies the schema accepts, offered as the type and topic fields are typed. */
const VOCABULARIES: Partial<Record<FilterField, readonly string[]>> = { type: EventTypeSchema.options, topic: TopicSchema.options };

const SUGGESTIONS = 5;

export interface Suggestion {
  value: string;
  label: string;
}

/** Terms of a vocabulary that contain what was typed (or all of them, for an empty field). */
export function vocabularySuggestions(words: readonly string[], typed: string): Suggestion[] {
  const wanted = typed.trim().toLowerCase();
  return words.filter((word) => word.includes(wanted)).slice(0, SUGGESTIONS).map((word) => ({ value: word, label: word }));
}

/** `value` once it has stopped changing for `ms`: one request when typing pauses, not one a key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

/** The record's actors whose names or aliases match what was typed, in any spelling (the API's search). */
function useActorSuggestions(connection: Connection, typed: string, enabled: boolean): Suggestion[] {
  const q = useSettled(typed.trim(), 150);
  const found = useRequest(
    async () => (enabled && q.length >= 2 ? (await unwrap(connection.client.api.v1.search.$get({ query: { q, kind: "actor", limit: String(SUGGESTIONS) } }))).data : []),
    `${enabled}:${q}`,
  );
  return (found.data ?? []).map((hit) => ({ value: hit.id, label: hit.matched === hit.label ? hit.label : `${hit.label} (as ${hit.matched})` }));
}

/**
 * The events filter: ↑/↓ between fields, Tab takes the highlighted suggestion, Enter applies
 * them all, Esc cancels.
 */
export function FilterForm({ connection, initial, onApply, onCancel }: { connection: Connection; initial: Filters; onApply: (filters: Filters) => void; onCancel: () => void }) {
  const [values, setValues] = useState<Filters>(initial);
  const [focus, setFocus] = useState(0);
  const [choice, setChoice] = useState(0);
  const field = FILTER_FIELDS[focus]!;
  const typed = values[field] ?? "";
  const actors = useActorSuggestions(connection, typed, field === "actor");
  const vocabulary = VOCABULARIES[field];
  const suggestions = field === "actor" ? actors.filter((s) => s.value !== typed) : vocabulary ? vocabularySuggestions(vocabulary, typed).filter((s) => s.value !== typed) : [];
  const chosen = Math.min(choice, Math.max(0, suggestions.length - 1));

  useKeys((key) => {
    if (key.name === "escape") return onCancel();
    if (key.name === "return") return onApply(Object.fromEntries(Object.entries(values).filter(([, v]) => v && v.trim()).map(([k, v]) => [k, v!.trim()])) as Filters);
    if (key.name === "tab" && suggestions[chosen]) {
      setValues((current) => ({ ...current, [field]: suggestions[chosen]!.value }));
      return setChoice(0);
    }
    if (key.name === "down" || key.name === "up") {
      setChoice(0);
      return setFocus((current) => (current + (key.name === "down" ? 1 : FILTER_FIELDS.length - 1)) % FILTER_FIELDS.length);
    }
    if (key.name === "right" || key.name === "left") return setChoice((current) => Math.max(0, current + (key.name === "right" ? 1 : -1)));
    setChoice(0);
    setValues((current) => ({ ...current, [field]: editText(current[field] ?? "", key) }));
  }, true, true);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold color={theme.heading}>
        Filter events (↑/↓ field, Tab completes, ←/→ picks, Enter applies, Esc cancels)
      </Text>
      {FILTER_FIELDS.map((name, index) => (
        <Box key={name}>
          <Text color={index === focus ? theme.accent : undefined} dimColor={index !== focus}>{`${index === focus ? "›" : " "} ${name.padEnd(7)}`}</Text>
          <Field value={values[name] ?? ""} placeholder={HINTS[name]} focused={index === focus} />
        </Box>
      ))}
      <Text wrap="truncate">
        {suggestions.length ? (
          suggestions.map((suggestion, index) => (
            <Text key={suggestion.value} inverse={index === chosen}>
              {` ${suggestion.label}${suggestion.label.includes(suggestion.value) ? "" : ` [${suggestion.value}]`} `}
            </Text>
          ))
        ) : (
          <Text dimColor> </Text>
        )}
      </Text>
    </Box>
  );
}

/** Lines the filter form takes on screen (border, title, fields, suggestions). */
export const FILTER_FORM_HEIGHT = FILTER_FIELDS.length + 4;
