import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSnapshotFromDataset, loadDataset } from "@backchannel/dataset";
import { createApp, createClient, openSnapshot } from "@backchannel/api";
import type { Connection } from "../src/data.js";

export const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../data");

/** A snapshot of the curated data in a temporary folder, built once per test file. */
export function curatedSnapshot(): string {
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) throw new Error("the curated dataset does not load");
  const file = join(mkdtempSync(join(tmpdir(), "backchannel-tui-")), "snapshot.sqlite");
  buildSnapshotFromDataset(loaded.dataset, file);
  return file;
}

/** The curated data in-process, as `backchannel` without --api reads it. */
export function curatedConnection(): Connection {
  return countingConnection();
}

/** The curated data in-process, through a client that notes the path of every request. */
export function countingConnection(): Connection & { requests: string[] } {
  const snapshot = openSnapshot(curatedSnapshot());
  const app = createApp(snapshot);
  const requests: string[] = [];
  const client = createClient("http://backchannel.local", (input, init) => {
    const request = new Request(input, init);
    requests.push(new URL(request.url).pathname);
    return app.fetch(request);
  });
  return { client, label: "counted", apiBase: "http://localhost:8787/api/v1", close: () => snapshot.close(), requests };
}

/** Polls until `check` passes or the time is up, then returns the last frame for the assertion. */
export async function waitFor(frame: () => string | undefined, check: (text: string) => boolean, timeout = 8000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const text = frame() ?? "";
    if (check(text) || Date.now() - started > timeout) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const KEYS = { down: "\u001B[B", up: "\u001B[A", enter: "\r", escape: "\u001B", tab: "\t", backspace: "\u007F" };

/**
 * tmux on a server of this test file's own (`-L`): test files run in parallel, and on the shared
 * default server one file's last `kill-session` stops the server while another file is starting a
 * session there ("server exited unexpectedly").
 */
export function privateTmux(name: string) {
  const socket = join(mkdtempSync(join(tmpdir(), `backchannel-tmux-${name}-`)), "socket");
  return {
    /** A tmux command that must succeed; its output. */
    tmux: (...args: string[]) => execFileSync("tmux", ["-S", socket, ...args], { encoding: "utf8" }),
    /** A tmux command whose failure does not matter (a session already gone). */
    quietly: (...args: string[]) => void spawnSync("tmux", ["-S", socket, ...args]),
    /** Stops this file's tmux server and every session on it, and removes its socket. */
    stop: () => {
      spawnSync("tmux", ["-S", socket, "kill-server"]);
      rmSync(dirname(socket), { recursive: true, force: true });
    },
  };
}
