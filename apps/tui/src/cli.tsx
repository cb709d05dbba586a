#!/usr/bin/env node
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import type { Connection } from "./data.js";
import { createProgram, wantsBrowser } from "./program.js";

function snapshotPath(): string {
  if (process.env.BACKCHANNEL_SNAPSHOT) return resolve(process.env.BACKCHANNEL_SNAPSHOT);
  const here = resolve(".snapshot/backchannel.sqlite");
  if (existsSync(here)) return here;
  // The built binary also finds the repository's snapshot from anywhere.
  return join(dirname(fileURLToPath(import.meta.url)), "../../../.snapshot/backchannel.sqlite");
}

// A reader that stops early (`| head`) closes the pipe: that is the end of the output, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

/** Writes, and waits when the reader is slower than we are, so nothing piles up in memory. */
function write(chunk: string | Uint8Array): void | Promise<void> {
  if (process.stdout.write(chunk)) return;
  return new Promise((resolve) => process.stdout.once("drain", resolve));
}

async function main(args: string[]): Promise<number> {
  const program = createProgram({
    write,
    width: process.stdout.isTTY ? process.stdout.columns || 80 : undefined,
    snapshot: snapshotPath,
  });
  try {
    if (wantsBrowser(program, args)) return await browse(program.opts<{ api?: string; timeout: string }>());
    await program.parseAsync(args, { from: "user" });
    // A command that has its own status (the curator's assistant) leaves it here.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are answers; anything else is a mistake in the arguments, said above.
      return error.code === "commander.helpDisplayed" || error.code === "commander.help" || error.code === "commander.version" ? 0 : 2;
    }
    const { describeError, ConnectionError } = await import("./data.js");
    if (error instanceof ConnectionError) {
      console.error(`backchannel: ${error.message}`);
      return 1;
    }
    console.error(`backchannel: ${describeError(error, { label: program.opts<{ api?: string }>().api ?? "the local snapshot" })}`);
    return 1;
  }
}

/** `backchannel [--api URL] [--timeout S]`: the full-screen browser. */
async function browse(options: { api?: string; timeout: string }): Promise<number> {
  const timeoutSeconds = Number(options.timeout);
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 3600)) {
    console.error(`error: --timeout takes a number from above 0 to 3600, not "${options.timeout}"`);
    return 2;
  }
  if (!process.stdin.isTTY) {
    console.error("backchannel: the interactive view needs a terminal; for pipes use a command such as `backchannel events --format csv`");
    return 2;
  }
  // Ink must not believe it runs in CI (it would draw only a final frame): a real terminal is
  // interactive whatever the environment says, so the CI markers go before it loads.
  for (const name of Object.keys(process.env)) if (name === "CI" || name === "CONTINUOUS_INTEGRATION" || name.startsWith("CI_")) delete process.env[name];
  // The data and the UI load side by side: the first screen waits for the slower, not for both.
  const [connection, ui] = await Promise.all([
    import("./data.js").then(({ connect }) => connect({ api: options.api, snapshot: snapshotPath(), timeoutSeconds })),
    Promise.all([import("ink"), import("./App.js")]),
  ]);
  return interactive(connection, ui);
}

const ALTERNATE_SCREEN = "\u001B[?1049h\u001B[H";
const MAIN_SCREEN = "\u001B[?1049l";
const CLEAR = "\u001B[2J\u001B[H";

async function interactive(connection: Connection, [{ render }, { App }]: [typeof import("ink"), typeof import("./App.js")]): Promise<number> {
  // The browser draws on the alternate screen, and the terminal comes back as it was on quit,
  // on Ctrl-C, on a signal and on a crash.
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.stdout.write(MAIN_SCREEN);
  };
  process.stdout.write(ALTERNATE_SCREEN);
  process.on("exit", restore);
  // Cleared before Ink redraws (this listener comes first), so a resize leaves nothing behind.
  const clear = () => process.stdout.write(CLEAR);
  process.stdout.on("resize", clear);
  const instance = render(<App connection={connection} />, { exitOnCtrlC: true });
  const leave = (code: number, message?: string) => {
    instance.unmount();
    restore();
    if (message) console.error(`backchannel: ${message}`);
    process.exit(code);
  };
  process.on("uncaughtException", (error) => leave(1, error instanceof Error ? error.message : String(error)));
  process.on("unhandledRejection", (error) => leave(1, error instanceof Error ? error.message : String(error)));
  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) process.on(signal, () => leave(128 + (signal === "SIGHUP" ? 1 : signal === "SIGINT" ? 2 : 15)));
  await instance.waitUntilExit();
  process.stdout.off("resize", clear);
  instance.unmount();
  restore();
  connection.close();
  return 0;
}

// Exit as soon as the answer is out: a request abandoned on a timeout must not hold the process.
// (stdout to a pipe or a file is written synchronously on Linux, and writes above wait for drain.)
process.exit(await main(process.argv.slice(2)));
