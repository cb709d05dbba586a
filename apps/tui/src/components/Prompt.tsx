import { TextInput } from "@inkjs/ui";
import { Box, Text, useInput } from "ink";
import { useState } from "react";
import { theme } from "../theme.js";

/** One line of input: Enter submits, Esc cancels. */
export function Prompt({ label, initial, onSubmit, onCancel }: { label: string; initial?: string; onSubmit: (value: string) => void; onCancel: () => void }) {
  useInput((_, key) => {
    if (key.escape) onCancel();
  });
  return (
    <Box borderStyle="round" paddingX={1}>
      <Text color={theme.accent}>{label} </Text>
      <TextInput defaultValue={initial ?? ""} placeholder="type, then Enter (Esc cancels)" onSubmit={onSubmit} />
    </Box>
  );
}

export const FILTER_FIELDS = ["actor", "type", "topic", "from", "to"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type Filters = Partial<Record<FilterField, string>>;

const HINTS: Record<FilterField, string> = {
  actor: "actor id, e.g. ali-larijani",
  type: "event type, e.g. visit",
  topic: "topic, e.g. us-iran-talks",
  from: "YYYY, YYYY-MM or YYYY-MM-DD",
  to: "YYYY, YYYY-MM or YYYY-MM-DD",
};

/** The events filter: ↑/↓ between fields, Enter applies them all, Esc cancels. */
export function FilterForm({ initial, onApply, onCancel }: { initial: Filters; onApply: (filters: Filters) => void; onCancel: () => void }) {
  const [values, setValues] = useState<Filters>(initial);
  const [focus, setFocus] = useState(0);
  useInput((_, key) => {
    if (key.escape) onCancel();
    else if (key.downArrow || key.tab) setFocus((focus + 1) % FILTER_FIELDS.length);
    else if (key.upArrow) setFocus((focus + FILTER_FIELDS.length - 1) % FILTER_FIELDS.length);
  });
  // Enter passes the focused field's own value: the last keystroke may not have reached the state yet.
  const apply = (field: FilterField, value: string) =>
    onApply(Object.fromEntries(Object.entries({ ...values, [field]: value }).filter(([, v]) => v && v.trim())) as Filters);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold color={theme.heading}>
        Filter events (↑/↓ move, Enter applies, Esc cancels)
      </Text>
      {FILTER_FIELDS.map((field, index) => (
        <Box key={field}>
          <Text color={index === focus ? theme.accent : theme.dim}>{`${index === focus ? "›" : " "} ${field.padEnd(7)}`}</Text>
          <TextInput
            isDisabled={index !== focus}
            defaultValue={initial[field] ?? ""}
            placeholder={HINTS[field]}
            onChange={(value) => setValues((current) => ({ ...current, [field]: value }))}
            onSubmit={(value) => apply(field, value)}
          />
        </Box>
      ))}
    </Box>
  );
}
