// Offices (posts) for the TUI and the CLI: list rows, the detail's lines and `backchannel posts`.
import type { PostDetail, PostListItem } from "@backchannel/schema";
import { unwrap, type Connection } from "./data.js";
import { fit, humanDate, wrap, type Line } from "./format.js";

type Tenure = { start?: string | undefined; end?: string | undefined; certain?: boolean | undefined };

/** A tenure's dates as a reader says them; `possibly` when its dates cannot say for sure. */
export function tenureText(tenure: Tenure): string {
  const span = tenure.start || tenure.end ? `${tenure.start ? humanDate(tenure.start) : "?"} – ${tenure.end ? humanDate(tenure.end) : "present"}` : "dates not recorded";
  return tenure.certain === false ? `${span}, possibly` : span;
}

const holderList = (post: PostListItem) => post.holders.map((holder) => `${holder.name} (${tenureText(holder)})`).join("; ") || "no holder recorded";

export function postRow(post: PostListItem, width: number): string {
  const titleWidth = Math.max(20, Math.floor(width * 0.45));
  const holders = holderList(post);
  return `${fit(post.title, titleWidth)} ${fit(holders, width - titleWidth - 1)}`;
}

export const postHeader = (width: number) => {
  const titleWidth = Math.max(20, Math.floor(width * 0.45));
  return `${fit("office", titleWidth)} ${fit("held by", width - titleWidth - 1)}`;
};

export function postLines(post: PostDetail, width: number): Line[] {
  const lines: Line[] = [];
  const add = (text: string, extra: Partial<Line> = {}) => lines.push({ key: `${lines.length}`, text, ...extra });
  add(post.title, { tone: "heading" });
  add(`${post.id} · of ${post.organisationName} · ${post.seats === 1 ? "one holder at a time" : post.seats === "unknown" ? "how many at once not in the sources" : `${post.seats} holders at once`}`, { tone: "dim" });
  add(`Organisation: ${post.organisationName}`, { link: { kind: "actor", id: post.organisation } });
  add("");
  add(post.on ? `Held on ${humanDate(post.on)}` : "Holders, the latest first", { tone: "heading" });
  if (post.holders.length === 0) add(post.on ? "  no holder is recorded on that day" : "  no holder is recorded", { tone: "dim" });
  for (const holder of post.holders) {
    add(`  ${holder.name} — ${tenureText(holder)}${holder.basis && holder.basis !== "stated" ? ` (${holder.basis})` : ""}`, { link: { kind: "actor", id: holder.actor } });
    if (holder.note) for (const part of wrap(holder.note, width - 6)) add(`      ${part}`, { tone: "dim" });
    for (const citation of holder.citations) {
      add(`      ${citation.sourceInfo.outlet.name ?? "outlet unknown"}, ${citation.sourceInfo.published.date}, ¶ ${citation.paragraphs.join(", ")}`, { link: { kind: "source", id: citation.source } });
      if (citation.quote) for (const part of wrap(`“${citation.quote}”`, width - 8)) add(`        ${part}`, { tone: "accent" });
    }
  }
  return lines;
}

/** `backchannel posts [--q T] [--on DATE]`: every office with its holders, as a table or JSON. */
export async function printPosts(connection: Connection, query: { q?: string; on?: string }, format: "table" | "json", write: (text: string) => void) {
  const rows: PostListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(connection.client.api.v1.posts.$get({ query: { ...query, limit: "500", ...(cursor ? { cursor } : {}) } }));
    rows.push(...page.data);
    cursor = page.page.next ?? undefined;
  } while (cursor);
  if (format === "json") return write(`${JSON.stringify(rows, null, 2)}\n`);
  // The last column is never cut: a script reading the table gets every holder.
  const line = (id: string, title: string, holders: string) => `${fit(id, 52)}${fit(title, 60)}${holders}\n`;
  write(line("id", "office", "held by"));
  for (const post of rows) write(line(post.id, post.title, holderList(post)));
}
