#!/usr/bin/env node
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { printList, printRecord, printSearch, type Format, type ListCommand } from "./commands.js";
import { connect, ConnectionError, describeError, type Connection } from "./data.js";
import { curationCommand, CURATION_USAGE } from "./curation/commands.js";

const USAGE = `backchannel — the Backchannel record in the terminal

  backchannel [--api URL]                      browse interactively (press ? for keys)
  backchannel events  [filters] [--format F]   list events (F: table, json, csv, ndjson)
  backchannel actors  [--q T] [--kind K] [--country CC] [--format F]
  backchannel sources [--q T] [--format F]
  backchannel places  [--q T] [--kind K] [--country CC] [--format F]
  backchannel search  <text> [--format table|json]
  backchannel show    <event|actor|source|place> <id>
${CURATION_USAGE.replace(/^/gm, "  ")}

Event filters (repeat a flag for any of several values):
  --q TEXT --actor ID --type TYPE --topic TOPIC --country CC --place ID --source ID
  --status STATUS --from DATE --to DATE --sort date|-date --limit N

Data: the local snapshot in-process (BACKCHANNEL_SNAPSHOT, default .snapshot/backchannel.sqlite),
or a running API with --api http://localhost:8787.`;

const LIST_FLAGS = ["q", "actor", "type", "topic", "country", "place", "source", "status", "from", "to", "sort", "kind"] as const;

function snapshotPath(): string {
  if (process.env.BACKCHANNEL_SNAPSHOT) return resolve(process.env.BACKCHANNEL_SNAPSHOT);
  const here = resolve(".snapshot/backchannel.sqlite");
  if (existsSync(here)) return here;
  // The built binary also finds the repository's snapshot from anywhere.
  return join(dirname(fileURLToPath(import.meta.url)), "../../../.snapshot/backchannel.sqlite");
}

async function main(): Promise<number> {
  const curation = await curationCommand(process.argv.slice(2));
  if (curation !== undefined) return curation;
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        api: { type: "string" },
        format: { type: "string", default: "table" },
        limit: { type: "string" },
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(LIST_FLAGS.map((flag) => [flag, { type: "string", multiple: true }])),
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  const format = values.format as Format;
  if (!["table", "json", "csv", "ndjson"].includes(format)) {
    console.error(`--format takes table, json, csv or ndjson, not "${format}"`);
    return 2;
  }
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(limit > 0)) {
    console.error(`--limit takes a positive number, not "${values.limit}"`);
    return 2;
  }

  let connection: Connection;
  try {
    connection = connect({ api: values.api, snapshot: snapshotPath() });
  } catch (error) {
    console.error(error instanceof ConnectionError ? error.message : String(error));
    return 1;
  }
  // A reader that stops early (`| head`) closes the pipe: that is the end of the output, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const write = (text: string) => process.stdout.write(text);
  try {
    if (command === undefined) return await interactive(connection);
    const given = values as unknown as Record<string, string[] | undefined>;
    const query = Object.fromEntries(LIST_FLAGS.flatMap((flag) => (given[flag] ? [[flag, given[flag].length === 1 ? given[flag][0]! : given[flag]]] : []))) as Record<string, string | string[]>;
    if (["events", "actors", "sources", "places"].includes(command)) {
      await printList(connection, command as ListCommand, query, format, write, process.stdout.columns || 120, limit);
    } else if (command === "search" && rest.length > 0) {
      await printSearch(connection, rest.join(" "), format, write);
    } else if (command === "show" && rest.length === 2) {
      await printRecord(connection, rest[0]!, rest[1]!, write);
    } else {
      console.error(USAGE);
      return 2;
    }
    return 0;
  } catch (error) {
    console.error(`backchannel: ${describeError(error, connection)}`);
    return 1;
  } finally {
    if (command !== undefined) connection.close();
  }
}

async function interactive(connection: Connection): Promise<number> {
  if (!process.stdin.isTTY) {
    console.error("backchannel: the interactive view needs a terminal; for pipes use a command such as `backchannel events --format csv`");
    return 2;
  }
  // Ink renders only a final frame when it believes it runs in CI; a real terminal is interactive
  // whatever the environment says, so drop the CI markers before loading it.
  for (const name of Object.keys(process.env)) if (name === "CI" || name === "CONTINUOUS_INTEGRATION" || name.startsWith("CI_")) delete process.env[name];
  const [{ render }, { App }] = await Promise.all([import("ink"), import("./App.js")]);
  const instance = render(<App connection={connection} />);
  // Whatever happens, leave the terminal as it was: unmount restores raw mode and the cursor.
  const fail = (error: unknown) => {
    instance.unmount();
    console.error(`backchannel: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  await instance.waitUntilExit();
  connection.close();
  return 0;
}

process.exitCode = await main();
