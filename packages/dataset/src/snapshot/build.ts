import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { RECORD_SCHEMAS, SCHEMA_VERSION, type Event, type Meta, type RecordKind } from "@backchannel/schema";
import { loadDataset, type Dataset } from "../load.js";
import { formatPath, type Problem } from "../problems.js";
import { SnapshotWriter } from "./writer.js";

export type BuildResult = { ok: true; meta: Meta } | { ok: false; problems: Problem[] };

/** Dependency order: everything an event refers to is written before it. */
const ORDER: RecordKind[] = ["places", "actors", "posts", "sources", "events"];
const MAX_PROBLEMS = 100;

/** Builds the snapshot of a curated dataset already loaded and checked. */
export function buildSnapshotFromDataset(dataset: Dataset, target: string): Meta {
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
  return writer.finish(version);
}

/** `data/` of YAML records, or a folder of `<kind>.ndjson` files for bulk data. */
export function isNdjsonDir(dir: string): boolean {
  return existsSync(join(dir, "events.ndjson"));
}

export async function buildSnapshot(dir: string, target: string): Promise<BuildResult> {
  if (isNdjsonDir(dir)) return buildSnapshotFromNdjson(dir, target);
  const loaded = loadDataset(dir);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  return { ok: true, meta: buildSnapshotFromDataset(loaded.dataset, target) };
}

/**
 * Streams `<kind>.ndjson` files (one record a line) through the same schemas into a snapshot,
 * for data too large to hold as YAML. References are checked as records arrive; any problem
 * aborts the build and leaves the previous snapshot untouched.
 */
export async function buildSnapshotFromNdjson(dir: string, target: string): Promise<BuildResult> {
  const problems: Problem[] = [];
  const ids = Object.fromEntries(ORDER.map((kind) => [kind, new Set<string>()])) as Record<RecordKind, Set<string>>;
  const relationTargets: { file: string; line: number; field: string; id: string }[] = [];
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
      let line = 0;
      for await (const text of createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })) {
        line++;
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
        const need = (set: RecordKind, id: string | undefined, field: string) => {
          if (id !== undefined && !ids[set].has(id)) problem(file, line, field, `unknown ${set.slice(0, -1)} "${id}"`);
        };
        if (kind === "posts") need("actors", (record as { organisation: string }).organisation, "organisation");
        if (kind === "events") {
          const event = record as Event;
          event.participants.forEach((p, i) => need("actors", p.actor, `participants[${i}].actor`));
          event.places.forEach((p, i) => need("places", p, `places[${i}]`));
          event.citations.forEach((c, i) => need("sources", c.source, `citations[${i}].source`));
          event.relations.forEach((r, i) => relationTargets.push({ file, line, field: `relations[${i}].event`, id: r.event }));
        }
        // After the first problem, keep checking but stop writing: the build will be discarded.
        if (problems.length === 0) write[kind](record as never);
      }
    }
    for (const relation of relationTargets) {
      if (!ids.events.has(relation.id)) problem(relation.file, relation.line, relation.field, `unknown event "${relation.id}"`);
    }
    if (ids.events.size === 0 && problems.length === 0) problem(join(dir, "events.ndjson"), 1, "", "no events");
  } catch (error) {
    writer.abort();
    throw error;
  }
  if (problems.length > 0) {
    writer.abort();
    return { ok: false, problems };
  }
  return { ok: true, meta: writer.finish(hash.digest("hex").slice(0, 16)) };
}

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestModification(join(path, name))), stat.mtimeMs);
}

/** A snapshot must be rebuilt when it is missing or older than anything in the data folder. */
export function isSnapshotStale(snapshot: string, dataDir: string): boolean {
  return !existsSync(snapshot) || statSync(snapshot).mtimeMs < newestModification(dataDir);
}
