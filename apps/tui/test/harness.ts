import { mkdtempSync } from "node:fs";
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
