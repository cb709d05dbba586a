import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { join } from "node:path";
import { RECORD_SCHEMAS, SCHEMA_VERSION, type Meta, type RecordKind } from "@backchannel/schema";
import { loadDataset, type Dataset } from "../load.js";
import { checkIntegrity } from "../integrity.js";
import { formatPath, sortProblems, type Problem } from "../problems.js";
import { MAX_RECORD_BYTES, type LoadedRecord, type RecordsByKind } from "../read-records.js";
import { sourceHash } from "./verify.js";
import { SnapshotWriter } from "./writer.js";

export type BuildResult = { ok: true; meta: Meta } | { ok: false; problems: Problem[] };

/** Dependency order: everything an event refers to is written before it. */
const ORDER: RecordKind[] = ["places", "actors", "posts", "sources", "events"];
const MAX_PROBLEMS = 100;

/** Builds the snapshot of a curated dataset already loaded and checked. */
export function buildSnapshotFromDataset(dataset: Dataset, target: string, provenance: { sourceHash?: string } = {}): Meta {
  const version = createHash("sha256").update(SCHEMA_VERSION).update(JSON.stringify(dataset)).digest("hex").slice(0, 16);
  const writer = new SnapshotWriter(target);
  try {
    dataset.places.forEach((record) => writer.place(record));
    dataset.actors.forEach((record) => writer.actor(record));
    dataset.posts.forEach((record) => writer.post(record));
    dataset.sources.forEach((record) => writer.source(record));
    dataset.events.forEach((record) => writer.event(record));
  } catch (error) {
    writer.abort();
    throw error;
  }
  return writer.finish(version, provenance);
}

/** `data/` of YAML records, or a folder of `<kind>.ndjson` files for bulk data. */
export function isNdjsonDir(dir: string): boolean {
  return existsSync(join(dir, "events.ndjson"));
}

/** Builds the snapshot of a data folder, recording the folder's content hash so a rebuild is needed only when it changes. */
export async function buildSnapshot(dir: string, target: string): Promise<BuildResult> {
  const provenance = { sourceHash: sourceHash(dir) };
  if (isNdjsonDir(dir)) return buildSnapshotFromNdjson(dir, target, provenance);
  const loaded = loadDataset(dir);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  return { ok: true, meta: buildSnapshotFromDataset(loaded.dataset, target, provenance) };
}

/** A line of NDJSON longer than this is refused without being held whole (a record is a few KB). */
export const MAX_NDJSON_LINE_BYTES = MAX_RECORD_BYTES;

type NdjsonLine = { line: number; text: string } | { line: number; tooLong: number };

/** The lines of a file, each at most `maxBytes`: a longer one is skipped and reported by its length. */
async function* boundedLines(file: string, maxBytes: number): AsyncGenerator<NdjsonLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let line = 1;
  const finish = (): NdjsonLine => {
    const result: NdjsonLine = skipping ? { line, tooLong: pendingBytes } : { line, text: Buffer.concat(pending).toString("utf8").replace(/\r$/, "") };
    pending = [];
    pendingBytes = 0;
    skipping = false;
    line++;
    return result;
  };
  const take = (piece: Buffer) => {
    pendingBytes += piece.length;
    if (pendingBytes > maxBytes) {
      skipping = true;
      pending = [];
    }
    if (!skipping) pending.push(piece);
  };
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let newline = chunk.indexOf(10, from); newline !== -1; newline = chunk.indexOf(10, from)) {
      take(chunk.subarray(from, newline));
      yield finish();
      from = newline + 1;
    }
    if (from < chunk.length) take(chunk.subarray(from));
  }
  if (pendingBytes > 0 || skipping) yield finish();
}

/**
 * Streams `<kind>.ndjson` files (one record a line) through the same schemas into a snapshot,
 * for data too large to hold as YAML, then runs the same integrity pass as `data/` over what was
 * read. Any problem aborts the build and leaves the previous snapshot untouched. The pass needs
 * every record at once, so memory grows with the data (about 1 KB an event).
 */
export async function buildSnapshotFromNdjson(dir: string, target: string, provenance: { sourceHash?: string } = {}): Promise<BuildResult> {
  const problems: Problem[] = [];
  const records = Object.fromEntries(ORDER.map((kind) => [kind, []])) as unknown as RecordsByKind;
  const ids = Object.fromEntries(ORDER.map((kind) => [kind, new Set<string>()])) as Record<RecordKind, Set<string>>;
  const hash = createHash("sha256").update(SCHEMA_VERSION);
  const writer = new SnapshotWriter(target);
  const write: Record<RecordKind, (record: never) => void> = {
    places: (record) => writer.place(record),
    actors: (record) => writer.actor(record),
    posts: (record) => writer.post(record),
    sources: (record) => writer.source(record),
    events: (record) => writer.event(record),
  };
  const problem = (file: string, line: number, field: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ severity: "error", file, line, column: 1, field, message });
  };
  try {
    for (const kind of ORDER) {
      const file = join(dir, `${kind}.ndjson`);
      if (!existsSync(file)) continue;
      for await (const next of boundedLines(file, MAX_NDJSON_LINE_BYTES)) {
        const { line } = next;
        if ("tooLong" in next) {
          problem(file, line, "", `the line is longer than ${MAX_NDJSON_LINE_BYTES / 1024 / 1024} MB (${(next.tooLong / 1024 / 1024).toFixed(1)} MB read before it was skipped); write one record a line, each under that`);
          continue;
        }
        const { text } = next;
        if (!text.trim()) continue;
        hash.update(text);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (error) {
          problem(file, line, "", `not JSON: ${(error as Error).message}`);
          continue;
        }
        const parsed = RECORD_SCHEMAS[kind].safeParse(json);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) problem(file, line, formatPath(issue.path), issue.message);
          // Its id still counts, so records that refer to it do not report a second, consequent problem.
          const id = (json as { id?: unknown } | null)?.id;
          if (typeof id === "string") ids[kind].add(id);
          continue;
        }
        const record = parsed.data;
        if (ids[kind].has(record.id)) problem(file, line, "id", `duplicate ${kind.slice(0, -1)} id "${record.id}"`);
        ids[kind].add(record.id);
        (records[kind] as LoadedRecord<unknown>[]).push({ file, value: record, locate: () => ({ line, column: 1 }) });
        // After the first problem, keep checking but stop writing: the build will be discarded.
        if (problems.length === 0) write[kind](record as never);
      }
    }
    if (ids.events.size === 0 && problems.length === 0) problem(join(dir, "events.ndjson"), 1, "", "no events");
    // The rules `data/` is held to, over the same records; a record that failed its schema is
    // left out, and its id is not reported again as unknown (problems already stop the build).
    if (problems.length === 0) {
      const integrity: Problem[] = [];
      checkIntegrity(records, integrity);
      for (const found of sortProblems(integrity)) if (found.severity === "error") problem(found.file, found.line, found.field, found.message);
    }
  } catch (error) {
    writer.abort();
    throw error;
  }
  if (problems.length > 0) {
    writer.abort();
    return { ok: false, problems };
  }
  return { ok: true, meta: writer.finish(hash.digest("hex").slice(0, 16), provenance) };
}
