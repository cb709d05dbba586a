import { Box, Text, useApp, useStdout } from "ink";
import { useEffect, useRef, useState } from "react";
import { Help, KEYS, TEXT_KEYS } from "./components/Help.js";
import { FILTER_FORM_HEIGHT, FilterForm, Prompt, type Filters } from "./components/Prompt.js";
import type { Connection } from "./data.js";
import type { Line, RecordKind } from "./format.js";
import { KeyRouter, useKeys } from "./keys.js";
import { DetailScreen } from "./screens/DetailScreen.js";
import { ListScreen, TABS, type Tab } from "./screens/ListScreen.js";
import { OfficesScreen } from "./screens/OfficesScreen.js";
import { SearchScreen } from "./screens/SearchScreen.js";
import { theme } from "./theme.js";

type View = { type: "list" } | { type: "detail"; kind: RecordKind; id: string } | { type: "search"; query: string };
type Overlay = "help" | "search" | "filter" | undefined;

/** The footer's reminder of the main keys (README and docs/tui.md show it in their captures). */
export const KEY_HINT = "↑↓ move  Enter open  Esc back  1–5 tabs  / search  n narrow  s sort  f filter  o link  ? help  q quit";

const PATHS: Record<RecordKind, string> = { event: "events", actor: "actors", source: "sources", place: "places", post: "posts" };

/** Follows the terminal's size, so lists re-lay themselves out on resize. */
function useTerminalSize() {
  const { stdout } = useStdout();
  const read = () => ({ width: stdout.columns || 100, height: stdout.rows || 30 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const update = () => setSize(read());
    stdout.on("resize", update);
    return () => {
      stdout.off("resize", update);
    };
  }, [stdout]);
  return size;
}

export function App(props: { connection: Connection; initialTab?: Tab }) {
  return (
    <KeyRouter>
      <Browser {...props} />
    </KeyRouter>
  );
}

function Browser({ connection, initialTab = "events" }: { connection: Connection; initialTab?: Tab }) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize();
  const [tab, setTab] = useState<Tab>(initialTab);
  // Every view of the way here stays mounted (hidden): Back shows the one below as it was left,
  // with its rows, selection and scroll, without a request.
  const [history, setHistory] = useState<View[]>([{ type: "list" }]);
  const [overlay, setOverlay] = useState<Overlay>();
  const [filters, setFilters] = useState<Filters>({});
  const [message, setMessage] = useState<string[]>();
  // A list that is narrowing keeps the keys (typing, Esc) to itself; by position in the history.
  const [captures, setCaptures] = useState<Record<number, boolean>>({});
  const selections = useRef(new Map<number, Line | undefined>());
  const view = history.at(-1)!;
  const capturing = captures[history.length - 1] === true;

  const open = (link: { kind: RecordKind; id: string }) => {
    setMessage(undefined);
    setHistory((stack) => [...stack, { type: "detail", ...link }]);
  };
  const back = () => {
    setMessage(undefined);
    setHistory((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack));
  };
  const switchTab = (next: Tab) => {
    setTab(next);
    setHistory([{ type: "list" }]);
    setMessage(undefined);
  };
  const permalink = () => {
    const record = view.type === "detail" ? { kind: view.kind, id: view.id } : selections.current.get(history.length - 1)?.link;
    if (!record) return setMessage(["Select a record first."]);
    const path = `${PATHS[record.kind]}/${record.id}`;
    setMessage([`${record.kind} ${record.id}`, `web: /${path}`, `API: ${connection.apiBase}/${path}`]);
  };

  useKeys((key) => {
    if (overlay === "help") return setOverlay(undefined);
    if (key.ctrl === "c") return exit();
    if (capturing) return;
    if (key.text === "q") return exit();
    if (key.text === "?") return setOverlay("help");
    if (key.text === "/") return setOverlay("search");
    if (key.text === "f") {
      switchTab("events");
      return setOverlay("filter");
    }
    if (key.text === "x") return setFilters({});
    if (key.text === "o") return permalink();
    if (key.name === "escape" || key.name === "backspace") return back();
    if (key.name === "tab" || key.name === "backtab") return switchTab(TABS[(TABS.indexOf(tab) + (key.name === "backtab" ? TABS.length - 1 : 1)) % TABS.length]!);
    const number = Number(key.text);
    if (key.text && number >= 1 && number <= TABS.length) return switchTab(TABS[number - 1]!);
  }, overlay === undefined || overlay === "help");

  // Header and footer take their lines; an open overlay takes its own lines from the body, so
  // the screen never grows past the terminal and scrolls the header away.
  const overlayHeight = overlay === "search" ? 3 : overlay === "filter" ? FILTER_FORM_HEIGHT : overlay === "help" ? KEYS.length + TEXT_KEYS.length + 5 : 0;
  const footer = message ?? [KEY_HINT];
  const bodyHeight = Math.max(3, height - 2 - footer.length - overlayHeight);
  const active = overlay === undefined;
  const trail = history.length > 1 ? ` › ${history.slice(1).map((v) => (v.type === "detail" ? v.id : v.type === "search" ? `search “${v.query}”` : "")).join(" › ")}` : "";
  const select = (index: number) => (line: Line | undefined) => selections.current.set(index, line);
  const capture = (index: number) => (on: boolean) => setCaptures((current) => ({ ...current, [index]: on }));
  return (
    <Box flexDirection="column" width={width}>
      <Box height={1}>
        <Box flexShrink={0}>
          <Text bold color={theme.accent}>
            Backchannel{" "}
          </Text>
          {TABS.map((name, index) => (
            <Text key={name} inverse={name === tab}>
              {` ${index + 1} ${name[0]!.toUpperCase()}${name.slice(1)} `}
            </Text>
          ))}
        </Box>
        <Box flexShrink={1}>
          <Text wrap="truncate-start">{`  ${connection.label}${trail}`}</Text>
        </Box>
      </Box>
      {overlay === "help" ? (
        <Help />
      ) : overlay === "search" ? (
        <Prompt
          label="Search:"
          onCancel={() => setOverlay(undefined)}
          onSubmit={(query) => {
            setOverlay(undefined);
            if (query.trim()) setHistory((stack) => [...stack, { type: "search", query: query.trim() }]);
          }}
        />
      ) : overlay === "filter" ? (
        <FilterForm
          connection={connection}
          initial={filters}
          onCancel={() => setOverlay(undefined)}
          onApply={(next) => {
            setFilters(next);
            setHistory([{ type: "list" }]);
            setOverlay(undefined);
          }}
        />
      ) : null}
      {history.map((shown, index) => {
        const top = index === history.length - 1;
        const common = { connection, width, height: bodyHeight, active: active && top, onOpen: open, onSelect: select(index) };
        return (
          <Box key={index === 0 ? `list:${tab}` : `${index}:${JSON.stringify(shown)}`} height={bodyHeight} flexDirection="column" display={top ? "flex" : "none"}>
            {shown.type === "list" ? (
              tab === "offices" ? (
                <OfficesScreen onCapture={capture(index)} {...common} />
              ) : (
                <ListScreen key={tab} tab={tab} filters={tab === "events" ? filters : {}} onCapture={capture(index)} {...common} />
              )
            ) : shown.type === "detail" ? (
              <DetailScreen kind={shown.kind} id={shown.id} {...common} />
            ) : (
              <SearchScreen query={shown.query} onCapture={capture(index)} {...common} />
            )}
          </Box>
        );
      })}
      {footer.map((line, index) => (
        <Text key={index} color={message ? theme.good : undefined} dimColor={!message} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
