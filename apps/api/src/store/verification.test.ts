import { closeSync, copyFileSync, mkdtempSync, openSync, statSync, truncateSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { buildSnapshotFromDataset, loadDataset } from "@backchannel/dataset";
import { describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { openSnapshot, Snapshot } from "./snapshot.js";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../../data");

function curatedSnapshot(): string {
  const loaded = loadDataset(dataDir);
  if (!loaded.ok) throw new Error("the curated dataset does not load");
  const file = join(mkdtempSync(join(tmpdir(), "backchannel-verify-")), "snapshot.sqlite");
  buildSnapshotFromDataset(loaded.dataset, file);
  return file;
}

function overwrite(file: string, at: number, bytes: number) {
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(bytes, 0x5a), 0, bytes, at);
  closeSync(fd);
}

describe("a snapshot is verified before it is served", { timeout: 60_000 }, () => {
  it("refuses one with 64 KB overwritten in the middle, saying why and what to do", () => {
    const file = curatedSnapshot();
    overwrite(file, Math.floor(statSync(file).size / 2) - 32 * 1024, 64 * 1024);
    expect(() => openSnapshot(file)).toThrow(/is damaged: its SHA-256 .* Refusing to serve it: rebuild it/);
  });

  it("refuses one cut short, from its header alone, saying so", () => {
    const file = curatedSnapshot();
    truncateSync(file, statSync(file).size - 64 * 1024);
    expect(() => openSnapshot(file)).toThrow(/is damaged: it is cut short, \d+ bytes of the \d+ its SQLite header describes. Refusing to serve it/);
  });

  it("/healthz answers 503 naming a table that cannot be read, 200 when every table can", async () => {
    const file = curatedSnapshot();
    const healthz = (snapshot: Snapshot) => createApp(snapshot).fetch(new Request("http://x/api/v1/healthz"));
    expect((await healthz(openSnapshot(file))).status).toBe(200);

    // Damage the events table's first page, as a fault after verification (or during a build) could.
    const broken = join(dirname(file), "broken.sqlite");
    copyFileSync(file, broken);
    const db = new Database(broken, { readonly: true });
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    const root = (db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'events'").get() as { rootpage: number }).rootpage;
    db.close();
    overwrite(broken, (root - 1) * pageSize, pageSize);
    const answer = await healthz(new Snapshot(broken));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await answer.json()) as { detail: string }).detail).toMatch(/^the snapshot cannot be read: events: /);
  });
});
