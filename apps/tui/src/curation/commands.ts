import type { Draft } from "@backchannel/schema";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const CURATION_USAGE = `backchannel draft FILE|- [--published YYYY-MM-DD[..YYYY-MM-DD]] [--url URL] [--outlet NAME] [--title T]
                  [--format table|json|yaml] [--out drafts/] [--data data/]
    draft records from an article (- reads stdin); --out writes a review folder
backchannel review drafts/<source-id> [--accept-all | --accept e1,a2] [--data data/]
    review a draft at the keyboard, or accept proposals and write them into data/ for scripts`;

/** Where the record is: --data, else ./data, else the repository's beside the built binary. */
function dataDir(given: string | undefined): string {
  if (given) return resolve(given);
  if (existsSync(resolve("data/events"))) return resolve("data");
  return join(dirname(fileURLToPath(import.meta.url)), "../../../../data");
}

/** Reads FILE or stdin, never more than the assistant takes (one byte over tells it is too big). */
async function readInput(file: string, limit: number): Promise<Uint8Array> {
  const { createReadStream } = await import("node:fs");
  const stream = file === "-" ? process.stdin : createReadStream(file, { end: limit });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Runs `draft` or `review`; undefined when the command is neither (the rest of the CLI handles it). */
export async function curationCommand(argv: string[]): Promise<number | undefined> {
  const [command] = argv;
  if (command !== "draft" && command !== "review") return undefined;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: {
        published: { type: "string" },
        url: { type: "string" },
        outlet: { type: "string" },
        title: { type: "string" },
        format: { type: "string", default: "table" },
        out: { type: "string" },
        data: { type: "string" },
        accept: { type: "string" },
        "accept-all": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`backchannel ${command}: ${(error as Error).message}\n\n${CURATION_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(CURATION_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`backchannel ${command}: name exactly one ${command === "draft" ? "article file (or - for stdin)" : "review folder"}\n\n${CURATION_USAGE}`);
    return 2;
  }
  const data = dataDir(values.data);

  if (command === "draft") {
    const curation = await import("@backchannel/curation/drafting");
    const format = values.format!;
    if (!["table", "json", "yaml"].includes(format)) {
      console.error(`backchannel draft: --format takes table, json or yaml, not "${format}"`);
      return 2;
    }
    const file = positionals[0]!;
    try {
      if (values.published !== undefined) curation.parsePublished(values.published);
      if (file !== "-" && !existsSync(file)) throw new curation.ArticleError(`no such file: ${file}`);
      const bytes = await readInput(file, curation.MAX_ARTICLE_BYTES);
      const loaded = await curation.loadRecord(data);
      if (!loaded.ok) {
        console.error(`backchannel draft: ${data} does not pass data:check:\n${loaded.problems.join("\n")}`);
        return 1;
      }
      const article = curation.readArticle(bytes);
      const draft = curation.draftArticle(bytes, loaded.dataset, {
        file: file === "-" ? "stdin.txt" : file.split(/[\\/]/).pop()!,
        ...(values.published !== undefined ? { published: values.published } : {}),
        ...(values.url ? { url: values.url } : {}),
        ...(values.outlet ? { outlet: values.outlet } : {}),
        ...(values.title ? { title: values.title } : {}),
      });
      if (values.out) {
        const dir = curation.saveReviewFolder(values.out, draft, article.paragraphs);
        console.error(`review folder written: ${dir} — open it with \`backchannel review ${dir}\``);
      }
      // The YAML library is loaded only for YAML output.
      process.stdout.write(format === "json" ? `${JSON.stringify(draft, null, 2)}\n` : format === "yaml" ? (await import("yaml")).stringify(draft) : draftTable(draft));
      for (const warning of draft.warnings) console.error(`warning: ${warning}`);
      return 0;
    } catch (error) {
      if (error instanceof curation.ArticleError || (error as NodeJS.ErrnoException).code === "EISDIR" || (error as NodeJS.ErrnoException).code === "EACCES") {
        console.error(`backchannel draft: ${(error as Error).message}`);
        return 1;
      }
      throw error;
    }
  }

  // review: the folder alone opens the screen; the record is read only to write.
  const review = await import("@backchannel/curation/review");
  let folder;
  try {
    folder = review.loadReviewFolder(positionals[0]!);
  } catch (error) {
    if (error instanceof review.ReviewFolderError) {
      console.error(`backchannel review: ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (values["accept-all"] || values.accept !== undefined) {
    if (values["accept-all"] && values.accept !== undefined) {
      console.error("backchannel review: give --accept-all or --accept IDS, not both");
      return 2;
    }
    try {
      folder.decisions = { ...folder.decisions, ...review.acceptDecisions(folder.draft, values["accept-all"] ? "all" : values.accept!.split(",").map((id) => id.trim()).filter(Boolean)) };
    } catch (error) {
      console.error(`backchannel review: ${(error as Error).message}`);
      return 2;
    }
    review.saveDecisions(folder);
    const { writeAccepted } = await import("@backchannel/curation");
    const result = writeAccepted(folder.draft, folder.decisions, data, folder.paragraphs);
    for (const note of result.skipped) console.error(`skipped: ${note}`);
    if (!result.ok) {
      console.error("nothing was written: the accepted records would not pass data:check");
      for (const problem of result.problems) console.error(problem);
      return 1;
    }
    for (const file of result.written) console.log(`wrote ${file}`);
    return 0;
  }
  if (!process.stdin.isTTY) {
    console.error("backchannel review: the review screen needs a terminal; in scripts use --accept-all or --accept e1,e2");
    return 2;
  }
  for (const name of Object.keys(process.env)) if (name === "CI" || name === "CONTINUOUS_INTEGRATION" || name.startsWith("CI_")) delete process.env[name];
  const [{ render }, { ReviewScreen }, React] = await Promise.all([import("ink"), import("./ReviewScreen.js"), import("react")]);
  const instance = render(React.createElement(ReviewScreen, { folder, dataDir: data }));
  await instance.waitUntilExit();
  return 0;
}

const pad = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));

/** The draft for a person: source, then actors, then events, one line each. */
export function draftTable(draft: Draft): string {
  const { source } = draft;
  const lines = [
    `source   ${source.id}  ·  ${source.title ?? "(no headline)"}`,
    `         published ${source.published.date} (${source.published.basis})  ·  outlet ${source.outlet.actor ?? source.outlet.name ?? "unknown"} (${source.outlet.basis})  ·  ${source.language}  ·  ${source.paragraphs} paragraphs${source.dateline ? `  ·  dateline ${source.dateline.text}` : ""}`,
    `credits  ${source.credits.map((c) => `${c.actor} (${c.role}) ¶${c.paragraphs.join(",")}`).join("  ·  ") || "none found"}`,
    "",
    "actors",
    ...draft.actors.map((a) => `  ${pad(a.id, 4)} ${pad(a.status, 9)} ${pad(a.name, 34)} → ${a.actor ?? a.candidates.map((c) => c.id).join(" | ")}${a.flags.length ? `  ⚑ ${a.flags.join("; ")}` : ""}`),
    "",
    "events",
    ...draft.events.map((e) => {
      const what = e.proposal === "corroborates" ? `cite → ${e.existing}${e.refineDate ? ` (refine date to ${e.refineDate.start})` : ""}` : "new";
      const date = `${e.date.start}${e.date.end ? `..${e.date.end}` : ""} ${e.date.basis}`;
      const who = e.participants.map((p) => `${p.actor ?? `?${p.name}`} (${p.role})`).join(", ");
      return `  ${pad(e.id, 4)} ${pad(e.type, 17)} ${pad(date, 31)} ${pad(e.status, 16)} ¶${pad(e.paragraphs.join(","), 8)} ${e.confidence.toFixed(2)}  ${what}\n       ${who}${e.flags.length ? `\n       ⚑ ${e.flags.join("; ")}` : ""}`;
    }),
    "",
  ];
  return `${lines.join("\n")}\n`;
}
