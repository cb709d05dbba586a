import { createRequire } from "node:module";
import { Argument, Command, Option } from "commander";
import { closest, distance } from "fastest-levenshtein";
// The labels entry point holds no zod: --help stays fast.
import { EVENT_SORTS } from "@backchannel/schema/labels";
import type { Connection } from "./data.js";
import type { Format, ListCommand, Write } from "./commands.js";

/**
 * The command line. This file loads only commander: the API, SQLite and the schema are imported
 * by the command that runs, so `--help` and `--version` start at once.
 */

/** The events filters of the API (`EventFiltersSchema`), repeatable ones marked; a test keeps them in step. */
export const EVENT_FILTERS: Record<string, "one" | "many"> = {
  q: "one",
  actor: "many",
  type: "many",
  topic: "many",
  country: "many",
  place: "many",
  source: "many",
  status: "many",
  from: "one",
  to: "one",
  actorMode: "one",
  minSources: "one",
};
/** The other lists' filters (`ActorsQuerySchema`, `SourcesQuerySchema`, `PlacesQuerySchema`). */
export const LIST_FILTERS: Record<Exclude<ListCommand, "events">, Record<string, "one" | "many">> = {
  actors: { q: "one", kind: "many", country: "many" },
  sources: { q: "one" },
  places: { q: "one", kind: "many", country: "many" },
};

const LIST_DESCRIPTIONS: Record<ListCommand, string> = {
  events: "list events (every matching row; CSV and NDJSON are streamed)",
  actors: "list actors",
  sources: "list sources",
  places: "list places",
};

export interface Io {
  write: Write;
  /** The terminal's width, or undefined when stdout is not a terminal (nothing is then cut). */
  width: number | undefined;
  /** Where the local snapshot is. */
  snapshot: () => string;
}

interface GlobalOptions {
  api?: string;
  timeout: string;
}

/** Repeat a flag for any of several values: `--actor a --actor b`. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function addFilters(command: Command, filters: Record<string, "one" | "many">) {
  for (const [name, arity] of Object.entries(filters)) {
    // camelCase query keys are kebab-case flags (`minSources` is `--min-sources`); commander maps them back.
    const flag = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    const flags = `--${flag} <${name === "q" ? "text" : flag}>`;
    if (arity === "many") command.option(flags, `${name} (repeat for any of several)`, collect);
    else command.option(flags, FILTER_HELP[name] ?? flag);
  }
}

const FILTER_HELP: Record<string, string> = {
  q: "full text (any spelling of a name)",
  from: "from a date: YYYY, YYYY-MM or YYYY-MM-DD",
  to: "to a date: YYYY, YYYY-MM or YYYY-MM-DD",
  actorMode: "any (an event with any of the actors) or all (with every one of them)",
  minSources: "only events cited by at least this many sources",
};

function positiveNumber(flag: string, integer: boolean, max: number) {
  return (value: string) => {
    const number = Number(value);
    if (!(number > 0) || number > max || (integer && !Number.isInteger(number))) {
      throw new InvalidArgument(`${flag} takes a ${integer ? "whole " : ""}number from ${integer ? 1 : "above 0"} to ${max}, not "${value}"`);
    }
    return number;
  };
}

class InvalidArgument extends Error {}

/** The closest of `candidates` to `word`, when it is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  return distance(word, best) <= Math.max(1, Math.floor(word.length / 2)) ? best : undefined;
}

export function createProgram(io: Io): Command {
  const version = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
  const program = new Command("backchannel")
    .description("The Backchannel record in the terminal: with no command, browse it full-screen (press ? for keys).")
    .version(version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show this help")
    .option("--api <url>", "read a running API (e.g. http://localhost:8787) instead of the local snapshot")
    .option("--timeout <seconds>", "give up on an --api request after this many seconds", "10")
    .addHelpText(
      "after",
      `
Data: the local snapshot in-process (BACKCHANNEL_SNAPSHOT, default .snapshot/backchannel.sqlite),
or a running API with --api. Every command takes --help.

Examples:
  backchannel events --actor ali-larijani --sort -date
  backchannel events --format csv --bom > events.csv
  backchannel show event 2018-netanyahu-visits-oman`,
    )
    .showSuggestionAfterError()
    .showHelpAfterError("(backchannel --help lists the commands and options)")
    .exitOverride();

  /** Connects as the global options say, runs `body`, and closes. */
  const withConnection = async (command: Command, body: (connection: Connection) => Promise<void>) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    const timeoutSeconds = parseOrFail(command, () => positiveNumber("--timeout", false, 3600)(options.timeout));
    const { connect } = await import("./data.js");
    const connection = await connect({ api: options.api, snapshot: io.snapshot(), timeoutSeconds });
    try {
      await body(connection);
    } finally {
      connection.close();
    }
  };

  for (const list of ["events", "actors", "sources", "places"] as const) {
    const command = program.command(list).description(LIST_DESCRIPTIONS[list]);
    addFilters(command, list === "events" ? EVENT_FILTERS : LIST_FILTERS[list]);
    if (list === "events") {
      command.option(
        "--sort <key>",
        `order, any the API accepts: ${listed(EVENT_SORTS)} (type by its label, title ignoring case and accents; a leading - reverses: -date is newest first)`,
        "date",
      );
    }
    command
      .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "ndjson"]).default("table"))
      .option("--limit <n>", "print at most n rows")
      .option("--bom", "start CSV with a UTF-8 byte order mark (for spreadsheet programs)")
      .action(async (options: Record<string, string | string[] | boolean | undefined>, self: Command) => {
        const limit = options.limit === undefined ? Infinity : parseOrFail(self, () => positiveNumber("--limit", true, Number.MAX_SAFE_INTEGER)(options.limit as string));
        if (options.bom && options.format !== "csv") self.error("error: --bom goes with --format csv", { exitCode: 2, code: "backchannel.bom" });
        if (list === "events") checkSort(self, options.sort as string);
        const filters = list === "events" ? [...Object.keys(EVENT_FILTERS), "sort"] : Object.keys(LIST_FILTERS[list]);
        const query = Object.fromEntries(filters.flatMap((name) => (options[name] === undefined ? [] : [[name, options[name]]]))) as Record<string, string | string[]>;
        const { printList } = await import("./commands.js");
        await withConnection(self, (connection) => printList(connection, list, query, options.format as Format, io.write, { limit, width: io.width, bom: options.bom === true }));
      });
  }

  program
    .command("search")
    .description("search actors, events, sources and places in any spelling")
    .argument("<text...>", "what to look for")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "ndjson"]).default("table"))
    .action(async (words: string[], options: { format: Format }, self: Command) => {
      const { printSearch } = await import("./commands.js");
      await withConnection(self, (connection) => printSearch(connection, words.join(" "), options.format, io.write));
    });

  program
    .command("show")
    .description("one record as JSON")
    .addArgument(new Argument("<kind>", "what the id names").choices(["event", "actor", "source", "place", "post"]))
    .argument("<id>", "the record's id")
    .action(async (kind: string, id: string, _options: unknown, self: Command) => {
      const { printRecord } = await import("./commands.js");
      await withConnection(self, (connection) => printRecord(connection, kind, id, io.write));
    });

  program
    .command("posts")
    .description("offices and who held them")
    .option("--q <text>", "words of the office's title")
    .option("--on <date>", "who held each office on a day: YYYY-MM-DD")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .action(async (options: { q?: string; on?: string; format: "table" | "json" }, self: Command) => {
      const { printPosts } = await import("./posts.js");
      const query = { ...(options.q ? { q: options.q } : {}), ...(options.on ? { on: options.on } : {}) };
      await withConnection(self, (connection) => printPosts(connection, query, options.format, io.write));
    });

  program
    .command("changes")
    .description("what changed in the record between versions: records added, changed (which fields) and removed")
    .option("--since <version>", "every version after this one (without it: what the latest version changed)")
    .option("--limit <n>", "list at most n changes over every version (1–1000; the counts stay exact)")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .action(async (options: { since?: string; limit?: string; format: "table" | "json" }, self: Command) => {
      const { printChanges } = await import("./changes.js");
      const query = { ...(options.since ? { since: options.since } : {}), ...(options.limit ? { limit: options.limit } : {}) };
      await withConnection(self, (connection) => printChanges(connection, query, options.format, io.write));
    });

  // The curator's assistant reads its own options (curation/commands.ts), loaded only when asked for.
  const curation = { draft: "draft records from an article, for a curator to review", review: "review a draft; write what is accepted into data/" } as const;
  for (const [name, summary] of Object.entries(curation)) {
    program
      .command(name)
      .description(summary)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument("[arguments...]", "see backchannel " + name + " --help")
      .action(async (args: string[]) => {
        const { curationCommand } = await import("./curation/commands.js");
        process.exitCode = (await curationCommand([name, ...args])) ?? 0;
      });
  }

  // Further commands go here, each from its own file: program.addCommand(…).
  return program;
}

const listed = (keys: readonly string[]) => `${keys.slice(0, -1).join(", ")}${keys.length > 1 ? " or " : ""}${keys.at(-1)}`;

/** `--sort` takes what the API's schema accepts (its enum is EVENT_SORTS); anything else is refused here, with the nearest key. */
function checkSort(command: Command, sort: string) {
  const keys: readonly string[] = EVENT_SORTS;
  if (keys.includes(sort)) return;
  const near = nearest(sort, [...keys]);
  command.error(`error: --sort takes ${listed(keys)}, not "${sort}"${near ? `\n(Did you mean ${near}?)` : ""}`, { exitCode: 2, code: "backchannel.sort" });
}

function parseOrFail<T>(command: Command, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidArgument) command.error(`error: ${error.message}`, { exitCode: 2, code: "backchannel.argument" });
    throw error;
  }
}

/** True when the arguments name no command: `backchannel` or `backchannel --api URL` opens the browser. */
export function wantsBrowser(program: Command, args: string[]): boolean {
  const { operands, unknown } = program.parseOptions(args);
  return operands.length === 0 && unknown.length === 0;
}
