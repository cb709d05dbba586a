import { Box, Text, useApp, useInput, useStdout } from "ink";
import { useEffect, useState } from "react";
import { Help, KEYS } from "./components/Help.js";
import { FILTER_FIELDS, FilterForm, Prompt, type Filters } from "./components/Prompt.js";
import type { Connection } from "./data.js";
import type { Line, RecordKind } from "./format.js";
import { DetailScreen } from "./screens/DetailScreen.js";
import { ListScreen, TABS, type Tab } from "./screens/ListScreen.js";
import { OfficesScreen } from "./screens/OfficesScreen.js";
import { SearchScreen } from "./screens/SearchScreen.js";
import { theme } from "./theme.js";

type View = { type: "list" } | { type: "detail"; kind: RecordKind; id: string } | { type: "search"; query: string };
type Overlay = "help" | "search" | "filter" | undefined;

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

export function App({ connection, initialTab = "events" }: { connection: Connection; initialTab?: Tab }) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize();
  const [tab, setTab] = useState<Tab>(initialTab);
  const [history, setHistory] = useState<View[]>([{ type: "list" }]);
  const [overlay, setOverlay] = useState<Overlay>();
  const [filters, setFilters] = useState<Filters>({});
  const [message, setMessage] = useState<string>();
  const [selected, setSelected] = useState<Line>();
  const view = history.at(-1)!;

  const open = (link: { kind: RecordKind; id: string }) => {
    setMessage(undefined);
    setHistory((stack) => [...stack, { type: "detail", ...link }]);
  };
  const back = () => setHistory((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack));
  const switchTab = (next: Tab) => {
    setTab(next);
    setHistory([{ type: "list" }]);
    setMessage(undefined);
  };
  const permalink = () => {
    const record = view.type === "detail" ? { kind: view.kind, id: view.id } : selected?.link;
    if (!record) return setMessage("Select a record first.");
    setMessage(`${record.kind} ${record.id} — web: /${PATHS[record.kind]}/${record.id} · API: ${connection.apiBase}/${PATHS[record.kind]}/${record.id}`);
  };

  useInput(
    (input, key) => {
      if (overlay === "help") return setOverlay(undefined);
      if (input === "q") return exit();
      if (input === "?") return setOverlay("help");
      if (input === "/") return setOverlay("search");
      if (input === "f") {
        switchTab("events");
        return setOverlay("filter");
      }
      if (input === "x") return setFilters({});
      if (input === "o") return permalink();
      if (key.escape || key.backspace || key.delete) return back();
      if (key.tab) return switchTab(TABS[(TABS.indexOf(tab) + (key.shift ? TABS.length - 1 : 1)) % TABS.length]!);
      const number = Number(input);
      if (number >= 1 && number <= TABS.length) return switchTab(TABS[number - 1]!);
    },
    { isActive: overlay === undefined || overlay === "help" },
  );

  // Header and footer take a line each; an open overlay takes its own lines from the body, so
  // the screen never grows past the terminal and scrolls the header away.
  const overlayHeight = overlay === "search" ? 3 : overlay === "filter" ? FILTER_FIELDS.length + 3 : overlay === "help" ? KEYS.length + 4 : 0;
  const bodyHeight = Math.max(3, height - 3 - overlayHeight);
  const active = overlay === undefined;
  const trail = history.length > 1 ? ` › ${history.slice(1).map((v) => (v.type === "detail" ? v.id : v.type === "search" ? `search “${v.query}”` : "")).join(" › ")}` : "";
  return (
    <Box flexDirection="column" width={width}>
      <Box height={1}>
        <Box flexShrink={0}>
          <Text bold color={theme.accent}>
            Backchannel{" "}
          </Text>
          {TABS.map((name, index) => (
            <Text key={name} inverse={name === tab} color={name === tab ? undefined : theme.dim}>
              {` ${index + 1} ${name[0]!.toUpperCase()}${name.slice(1)} `}
            </Text>
          ))}
        </Box>
        <Box flexShrink={1}>
          <Text color={theme.dim} wrap="truncate-start">
            {`  ${connection.label}${trail}`}
          </Text>
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
          initial={filters}
          onCancel={() => setOverlay(undefined)}
          onApply={(next) => {
            setFilters(next);
            setHistory([{ type: "list" }]);
            setOverlay(undefined);
          }}
        />
      ) : null}
      <Box height={bodyHeight} flexDirection="column">
        {view.type === "list" ? (
          tab === "offices" ? (
            <OfficesScreen connection={connection} width={width} height={bodyHeight} active={active} onOpen={open} onSelect={setSelected} />
          ) : (
            <ListScreen key={tab} tab={tab} connection={connection} filters={tab === "events" ? filters : {}} width={width} height={bodyHeight} active={active} onOpen={open} onSelect={setSelected} />
          )
        ) : view.type === "detail" ? (
          <DetailScreen key={`${view.kind}:${view.id}:${history.length}`} kind={view.kind} id={view.id} connection={connection} width={width} height={bodyHeight} active={active} onOpen={open} />
        ) : (
          <SearchScreen key={view.query} query={view.query} connection={connection} width={width} height={bodyHeight} active={active} onOpen={open} />
        )}
      </Box>
      <Text color={message ? theme.good : theme.dim} wrap="truncate">
        {message ?? "↑↓ move · Enter open · Esc back · Tab/1–5 tabs · / search · f filter · o link · ? help · q quit"}
      </Text>
    </Box>
  );
}
