import type { WriteResult } from "@backchannel/curation";
import { saveDecisions, saveDraft, type ReviewFolder } from "@backchannel/curation/review";
import { DateSpanSchema, EVENT_TYPES, EventTypeSchema, ParticipantRoleSchema, type Decision, type DraftActor, type DraftEvent, type Evidence } from "@backchannel/schema";
import { Box, Text, useApp, useStdout } from "ink";
import { useRef, useState } from "react";
import { Prompt } from "../components/Prompt.js";
import { KeyRouter, useKeys } from "../keys.js";
import { theme } from "../theme.js";

type Proposal = { kind: "event"; event: DraftEvent } | { kind: "actor"; actor: DraftActor };
type Editing = { field: "type" | "date" | "role" | "link" | "actor"; label: string; initial: string } | undefined;

const MARK: Record<Decision, string> = { pending: "·", accepted: "✓", rejected: "✗" };

function proposalsOf(folder: ReviewFolder): Proposal[] {
  return [...folder.draft.events.map((event) => ({ kind: "event" as const, event })), ...folder.draft.actors.map((actor) => ({ kind: "actor" as const, actor }))];
}

const idOf = (proposal: Proposal) => (proposal.kind === "event" ? proposal.event.id : proposal.actor.id);

function summaryLine(proposal: Proposal): string {
  if (proposal.kind === "event") {
    const { event } = proposal;
    const what = event.proposal === "corroborates" ? `cite → ${event.existing}` : "new";
    return `${event.type} ${event.date.start} ${what} · ${event.title}`;
  }
  const { actor } = proposal;
  return `actor ${actor.status} · ${actor.name} → ${actor.actor ?? actor.candidates.map((c) => c.id).join(" | ")}`;
}

/** The paragraph with the supporting words set apart, so the curator reads the claim in place. */
function Highlighted({ paragraph, evidence, width }: { paragraph: string; evidence: Evidence[]; width: number }) {
  const spans = evidence
    .map((e) => ({ from: paragraph.indexOf(e.words, Math.max(0, e.offset - 5)) >= 0 ? paragraph.indexOf(e.words, Math.max(0, e.offset - 5)) : paragraph.indexOf(e.words), length: e.words.length }))
    .filter((s) => s.from >= 0)
    .sort((a, b) => a.from - b.from);
  const parts: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.from < at) continue;
    parts.push({ text: paragraph.slice(at, span.from), marked: false }, { text: paragraph.slice(span.from, span.from + span.length), marked: true });
    at = span.from + span.length;
  }
  parts.push({ text: paragraph.slice(at), marked: false });
  return (
    <Box width={width}>
      <Text wrap="wrap">
        {parts.map((part, index) =>
          part.marked ? (
            // «» as well as inverse video: the marking survives NO_COLOR and a capture as plain text.
            <Text key={index} inverse color={theme.accent}>
              {`«${part.text}»`}
            </Text>
          ) : (
            <Text key={index}>{part.text}</Text>
          ),
        )}
      </Text>
    </Box>
  );
}

/**
 * The review of one draft: proposals on the left, the paragraph with its supporting words on the
 * right. Keys: a accept, r reject, space undecided, t/d/o edit type, date, role, c pick a candidate,
 * l link to an existing event, n make an ambiguous actor new, w write into data/, q quit.
 */
/** `articles`: where a new source's article text goes (default: where data:check looks, BACKCHANNEL_ARTICLES). */
export function ReviewScreen(props: { folder: ReviewFolder; dataDir: string; articles?: string; onWrite?: (result: WriteResult) => void }) {
  // One router for the screen and its prompts: a key that opens a prompt is handled, and drawn,
  // before the next key goes anywhere, so keys typed quickly after `t` reach the prompt.
  return (
    <KeyRouter>
      <Review {...props} />
    </KeyRouter>
  );
}

function Review({ folder, dataDir, articles, onWrite }: { folder: ReviewFolder; dataDir: string; articles?: string; onWrite?: (result: WriteResult) => void }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const columns = stdout?.columns ?? 110;
  const rows = stdout?.rows ?? 30;
  const [selected, setSelected] = useState(0);
  const [decisions, setDecisions] = useState<Record<string, Decision>>({ ...folder.decisions });
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Editing>();
  const [message, setMessage] = useState<string>("");
  const [result, setResult] = useState<WriteResult>();
  const proposals = proposalsOf(folder);
  const current = proposals[selected];

  // Keys can arrive faster than frames: decisions and the selection are read from refs, not the last render.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const decide = (decision: Decision) => {
    const proposal = proposals[selectedRef.current];
    if (!proposal) return;
    folder.decisions = { ...folder.decisions, [idOf(proposal)]: decision };
    saveDecisions(folder);
    setDecisions(folder.decisions);
    selectedRef.current = Math.min(proposals.length - 1, selectedRef.current + 1);
    setSelected(selectedRef.current);
  };
  const move = (step: number) => {
    selectedRef.current = Math.max(0, Math.min(proposals.length - 1, selectedRef.current + step));
    setSelected(selectedRef.current);
  };

  const changed = (note: string) => {
    saveDraft(folder);
    setVersion(version + 1);
    setMessage(note);
  };

  useKeys(
    (key) => {
      const input = key.text;
      if (result && key.name !== "escape" && input !== "q") setResult(undefined);
      if (input === "q" || key.ctrl === "c") exit();
      else if (key.name === "down" || input === "j") move(1);
      else if (key.name === "up" || input === "k") move(-1);
      else if (input === "a") decide("accepted");
      else if (input === "r") decide("rejected");
      else if (input === " ") decide("pending");
      else if (input === "t" && current?.kind === "event") setEditing({ field: "type", label: `type (${Object.keys(EVENT_TYPES).length} types, e.g. visit, meeting)`, initial: current.event.type });
      else if (input === "d" && current?.kind === "event") setEditing({ field: "date", label: "date start[..end] (YYYY, YYYY-MM, YYYY-MM-DD)", initial: `${current.event.date.start}${current.event.date.end ? `..${current.event.date.end}` : ""}` });
      else if (input === "o" && current?.kind === "event") setEditing({ field: "role", label: "participant=role (e.g. oman=host)", initial: "" });
      else if (input === "l" && current?.kind === "event") setEditing({ field: "link", label: `existing event id to cite (${current.event.candidates.map((c) => c.id).join(", ") || "none weighed"}); empty: new`, initial: current.event.existing ?? current.event.candidates[0]?.id ?? "" });
      else if (input === "c" && current?.kind === "actor") setEditing({ field: "actor", label: `actor id (${current.actor.candidates.map((c) => c.id).join(", ")})`, initial: current.actor.candidates[0]?.id ?? "" });
      else if (input === "n" && current?.kind === "actor" && current.actor.status !== "existing") {
        current.actor.status = "new";
        current.actor.actor ??= current.actor.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
        changed(`${current.actor.id} becomes a new actor`);
      } else if (input === "w") {
        // The writer loads the whole record: only when asked to write, so the screen opens at once.
        setMessage("writing: checking the accepted records like data:check…");
        void import("@backchannel/curation").then(({ writeAccepted }) => {
          const outcome = writeAccepted(folder.draft, folder.decisions, dataDir, folder.paragraphs, articles ? { articles } : {});
          setMessage("");
          setResult(outcome);
          onWrite?.(outcome);
        });
      }
    },
    editing === undefined,
  );

  const applyEdit = (value: string) => {
    const edit = editing!;
    setEditing(undefined);
    const trimmed = value.trim();
    if (current?.kind === "event") {
      const event = current.event;
      if (edit.field === "type") {
        const parsed = EventTypeSchema.safeParse(trimmed);
        if (!parsed.success) return setMessage(`"${trimmed}" is not an event type`);
        event.type = parsed.data;
        event.cameo = EVENT_TYPES[parsed.data].cameo;
        return changed(`${event.id}: type ${parsed.data}`);
      }
      if (edit.field === "date") {
        const [start, end] = trimmed.split("..");
        const parsed = DateSpanSchema.safeParse({ start, ...(end ? { end } : {}), basis: "inferred", note: "Set by the curator in review." });
        if (!parsed.success) return setMessage(`not a date: ${parsed.error.issues[0]?.message}`);
        event.date = parsed.data;
        return changed(`${event.id}: date ${trimmed}`);
      }
      if (edit.field === "role") {
        const [who, role] = trimmed.split("=").map((part) => part?.trim());
        const participant = event.participants.find((p) => p.actor === who || p.name === who);
        const parsed = ParticipantRoleSchema.safeParse(role);
        if (!participant || !parsed.success) return setMessage(`write participant=role with one of: ${event.participants.map((p) => p.actor ?? p.name).join(", ")}`);
        participant.role = parsed.data;
        return changed(`${event.id}: ${who} is ${parsed.data}`);
      }
      if (edit.field === "link") {
        if (!trimmed) {
          event.proposal = "new";
          delete event.existing;
          return changed(`${event.id}: a new event`);
        }
        event.proposal = "corroborates";
        event.existing = trimmed;
        return changed(`${event.id}: cites ${trimmed}`);
      }
    } else if (current?.kind === "actor" && edit.field === "actor") {
      const actor = current.actor;
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(trimmed)) return setMessage(`"${trimmed}" is not an actor id`);
      actor.status = "existing";
      actor.actor = trimmed;
      for (const event of folder.draft.events) for (const p of event.participants) if (p.proposal === actor.id) p.actor = trimmed;
      return changed(`${actor.id} → ${trimmed}`);
    }
  };

  const listHeight = Math.max(5, rows - 8);
  const top = Math.max(0, Math.min(selected - Math.floor(listHeight / 2), proposals.length - listHeight));
  const visible = proposals.slice(top, top + listHeight);
  const leftWidth = Math.min(56, Math.floor(columns * 0.42));
  const rightWidth = Math.max(30, columns - leftWidth - 3);
  const counts = Object.values(decisions);
  const evidence = current ? (current.kind === "event" ? current.event.evidence : current.actor.evidence) : [];
  const paragraphNumber = evidence[0]?.paragraph;
  const paragraph = paragraphNumber ? folder.paragraphs[paragraphNumber - 1] : undefined;

  return (
    <Box flexDirection="column" width={columns}>
      <Text>
        <Text bold color={theme.heading}>
          Review {folder.draft.source.id}
        </Text>
        <Text dimColor>
          {"  "}
          {proposals.length} proposals · {counts.filter((d) => d === "accepted").length} accepted · {counts.filter((d) => d === "rejected").length} rejected
        </Text>
      </Text>
      <Box>
        <Box flexDirection="column" width={leftWidth}>
          {visible.map((proposal, index) => {
            const id = idOf(proposal);
            const isSelected = top + index === selected;
            const decision = decisions[id] ?? "pending";
            return (
              <Text key={`${id}-${version}`} color={isSelected ? theme.accent : undefined} dimColor={!isSelected && decision === "rejected"} wrap="truncate">
                {`${isSelected ? "›" : " "}${MARK[decision]} ${id.padEnd(4)} ${summaryLine(proposal)}`}
              </Text>
            );
          })}
        </Box>
        <Box flexDirection="column" width={rightWidth} marginLeft={2}>
          {current?.kind === "event" ? (
            <>
              <Text bold wrap="truncate">{current.event.title}</Text>
              <Text wrap="truncate">
                {current.event.type} ({current.event.cameo ?? "uncoded"}) · {current.event.status} · {current.event.date.start}
                {current.event.date.end ? `..${current.event.date.end}` : ""} {current.event.date.basis} · confidence {current.event.confidence.toFixed(2)}
              </Text>
              <Text wrap="truncate">{current.event.participants.map((p) => `${p.actor ?? `?${p.name}`} (${p.role})`).join(", ")}</Text>
              {current.event.date.note ? <Text dimColor wrap="truncate">{current.event.date.note}</Text> : null}
              {current.event.flags.map((flag) => (
                <Text key={flag} color={theme.warn} wrap="truncate">
                  ⚑ {flag}
                </Text>
              ))}
            </>
          ) : current?.kind === "actor" ? (
            <>
              <Text bold wrap="truncate">{current.actor.name}</Text>
              <Text wrap="truncate">
                {current.actor.status} → {current.actor.actor ?? "?"} ({current.actor.via ?? "name"}) · confidence {current.actor.confidence.toFixed(2)}
              </Text>
              {current.actor.candidates.slice(0, 4).map((c) => (
                <Text key={c.id} dimColor wrap="truncate">
                  {c.id} {c.score.toFixed(2)} — {c.reason}
                </Text>
              ))}
              {current.actor.flags.map((flag) => (
                <Text key={flag} color={theme.warn} wrap="truncate">
                  ⚑ {flag}
                </Text>
              ))}
            </>
          ) : null}
          {paragraph ? (
            <Box flexDirection="column" marginTop={1}>
              <Text dimColor>¶{paragraphNumber}</Text>
              <Highlighted paragraph={paragraph} evidence={evidence.filter((e) => e.paragraph === paragraphNumber)} width={rightWidth} />
            </Box>
          ) : null}
        </Box>
      </Box>
      {editing ? (
        <Prompt label={editing.label} initial={editing.initial} onSubmit={applyEdit} onCancel={() => setEditing(undefined)} />
      ) : null}
      {result ? (
        result.ok ? (
          <Box flexDirection="column">
            <Text color={theme.accent}>written ({result.written.length} files), data:check clean:</Text>
            {result.written.slice(0, 8).map((file) => (
              <Text key={file}> {file}</Text>
            ))}
            {result.skipped.map((note) => (
              <Text key={note} dimColor>
                skipped: {note}
              </Text>
            ))}
          </Box>
        ) : (
          <Box flexDirection="column">
            <Text color={theme.error}>nothing written: the accepted records would not pass data:check</Text>
            {result.problems.slice(0, 8).map((problem) => (
              <Text key={problem} wrap="truncate">
                {problem}
              </Text>
            ))}
          </Box>
        )
      ) : null}
      {message ? <Text dimColor>{message}</Text> : null}
      <Text dimColor wrap="truncate">
        ↑↓ move · a accept · r reject · space undecided · t type · d date · o role · c candidate · n new actor · l link · w write · q quit
      </Text>
    </Box>
  );
}
