// `backchannel changes`: what changed in the record between versions, for a reader or a script.
import { vocabularyLabel, type Changes } from "@backchannel/schema";
import { line } from "./commands.js";
import { unwrap, type Connection } from "./data.js";
import { humanDate } from "./format.js";

const builtText = (at: string) => (at ? `${humanDate(at.slice(0, 10))}, ${at.slice(11, 16)} UTC` : "build time not recorded");

/** The change log as lines: each version with its counts, then one line a record (never cut: ids are pasted into `show`). */
export function changesLines(log: Changes): string[] {
  const lines: string[] = [];
  if (log.versions.length === 0) lines.push(`Nothing has changed since version ${log.since ?? log.datasetVersion}: the record served is version ${log.datasetVersion}.`);
  for (const version of log.versions) {
    if (lines.length) lines.push("");
    lines.push(`version ${version.version}, built ${builtText(version.builtAt)}`);
    if (version.replaces === null) {
      lines.push("  the first version on record: the history of changes starts here");
      continue;
    }
    const { added, changed, removed } = version.counts;
    lines.push(`  replacing ${version.replaces}: ${added} added, ${changed} changed, ${removed} removed${version.complete ? "" : ` (the first ${version.changes.length} listed)`}`);
    const rows = version.changes.map((change) => [
      vocabularyLabel("recordChange", change.change),
      vocabularyLabel("recordKind", change.kind),
      change.id,
      `${change.title}${change.fields.length ? ` (${change.fields.join(", ")})` : ""}`,
    ]);
    const widths = [0, 1, 2].map((column) => Math.max(0, ...rows.map((row) => [...row[column]!].length)));
    for (const row of rows) lines.push(`  ${line(row, widths, undefined)}`);
  }
  lines.push("", `The log goes back to version ${log.oldest.version} (${builtText(log.oldest.builtAt)}): backchannel changes --since ${log.oldest.version} lists everything since.`);
  return lines;
}

/** `backchannel changes [--since VERSION] [--limit N]`: the change log, as text or JSON. */
export async function printChanges(connection: Connection, query: { since?: string; limit?: string }, format: "table" | "json", write: (text: string) => void | Promise<void>) {
  const log = await unwrap(connection.client.api.v1.changes.$get({ query }));
  if (format === "json") return write(`${JSON.stringify(log, null, 2)}\n`);
  return write(`${changesLines(log).join("\n")}\n`);
}
