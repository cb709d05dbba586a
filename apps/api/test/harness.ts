import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSnapshot, buildSnapshotFromDataset, loadDataset } from "@backchannel/dataset";
import { generateSynthetic } from "../src/bench/generate.js";
import { createApp } from "../src/app.js";
import { createClient } from "../src/client.js";
import { openSnapshot, type Snapshot, type SnapshotOptions } from "../src/store/snapshot.js";
import { contractChecker } from "./contract.js";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../data");

/** The curated dataset as a fresh snapshot, served in-process: no port, the same path as production. */
export function curatedApi() {
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) throw new Error("the curated dataset does not load");
  return apiOver(loaded.dataset);
}

type Dataset = Parameters<typeof buildSnapshotFromDataset>[0];

/**
 * A dataset (the curated one, changed by a test) as a fresh snapshot served in-process; with
 * `before`, earlier versions are built into the same file first, so the change log holds them.
 */
export function apiOver(dataset: Dataset, { before = [] }: { before?: Dataset[] } = {}) {
  const file = join(mkdtempSync(join(tmpdir(), "backchannel-api-")), "snapshot.sqlite");
  for (const earlier of before) buildSnapshotFromDataset(earlier, file);
  buildSnapshotFromDataset(dataset, file);
  const snapshot = openSnapshot(file);
  const app = createApp(snapshot);
  // Every answer a test receives is checked against the OpenAPI document the API serves: the
  // document is the contract, and a broken answer fails the test that asked for it.
  const check = contractChecker(async () => (await app.fetch(new Request("http://backchannel.test/api/v1/openapi.json"))).json() as Promise<Record<string, any>>);
  const fetchChecked = async (request: Request): Promise<Response> => {
    const response = await app.fetch(request);
    const problems = await check(request, response.clone());
    if (problems.length) throw new Error(`the answer breaks the OpenAPI document:\n${problems.join("\n")}`);
    return response;
  };
  const client = createClient("http://backchannel.test", (input, init) => fetchChecked(new Request(input, init)));
  /** A raw GET, for headers, formats and error bodies. */
  const get = (path: string, headers: Record<string, string> = {}) => fetchChecked(new Request(`http://backchannel.test${path}`, { headers }));
  return { app, client, get, snapshot, dataset };
}

/**
 * A synthetic snapshot of some thousands of events, served in-process: for what the curated few
 * dozen cannot show (query plans, which SQLite chooses by the build's statistics; exports that
 * span many batches). Built in a temporary folder; the caller closes the snapshot.
 */
export async function syntheticApi(size: Parameters<typeof generateSynthetic>[1], options: SnapshotOptions = {}): Promise<{ snapshot: Snapshot; get: (path: string) => Promise<Response> }> {
  const dir = mkdtempSync(join(tmpdir(), "backchannel-synthetic-"));
  await generateSynthetic(join(dir, "data"), size);
  const built = await buildSnapshot(join(dir, "data"), join(dir, "snapshot.sqlite"));
  if (!built.ok) throw new Error("the synthetic data does not build");
  const snapshot = openSnapshot(join(dir, "snapshot.sqlite"), options);
  const app = createApp(snapshot);
  return { snapshot, get: async (path) => app.fetch(new Request(`http://backchannel.test${path}`)) };
}

/** The statements the store runs (through its statement cache) while `run` runs, in order. */
export async function statementsDuring(snapshot: Snapshot, run: () => unknown): Promise<string[]> {
  const reader = snapshot.reader as unknown as { sql: (text: string) => unknown };
  const original = reader.sql;
  const ran: string[] = [];
  reader.sql = (text: string) => {
    ran.push(text);
    return original(text);
  };
  try {
    await run();
  } finally {
    reader.sql = original;
  }
  return ran;
}
