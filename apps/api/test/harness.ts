import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSnapshotFromDataset, loadDataset } from "@backchannel/dataset";
import { createApp } from "../src/app.js";
import { createClient } from "../src/client.js";
import { openSnapshot } from "../src/store/snapshot.js";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../data");

/** The curated dataset as a fresh snapshot, served in-process: no port, the same path as production. */
export function curatedApi() {
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) throw new Error("the curated dataset does not load");
  return apiOver(loaded.dataset);
}

/** A dataset (the curated one, changed by a test) as a fresh snapshot served in-process. */
export function apiOver(dataset: Parameters<typeof buildSnapshotFromDataset>[0]) {
  const file = join(mkdtempSync(join(tmpdir(), "backchannel-api-")), "snapshot.sqlite");
  buildSnapshotFromDataset(dataset, file);
  const snapshot = openSnapshot(file);
  const app = createApp(snapshot);
  const client = createClient("http://backchannel.test", (input, init) => app.fetch(new Request(input, init)));
  /** A raw GET, for headers, formats and error bodies. */
  const get = (path: string, headers: Record<string, string> = {}) => app.fetch(new Request(`http://backchannel.test${path}`, { headers }));
  return { app, client, get, snapshot, dataset };
}
