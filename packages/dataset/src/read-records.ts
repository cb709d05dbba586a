import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { RECORD_SCHEMAS, type RecordKind } from "@backchannel/schema";
import { isAlias, isNode, LineCounter, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { formatPath, type Problem } from "./problems.js";

/** A record that passed its schema, with the means to point back into its file. */
export interface LoadedRecord<T> {
  file: string;
  value: T;
  /** Line and column of the field at `path`, or of the nearest enclosing node that exists. */
  locate(path: readonly PropertyKey[]): { line: number; column: number };
}

type Parsed<K extends RecordKind> = z.infer<(typeof RECORD_SCHEMAS)[K]>;
export type RecordsByKind = { [K in RecordKind]: LoadedRecord<Parsed<K>>[] };

export const RECORD_KINDS = Object.keys(RECORD_SCHEMAS) as RecordKind[];

/** A record file larger than this is refused before it is parsed (the largest curated one is under 2 KB). */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** Aliases a record may expand; a few are handy, thousands are an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

function locator(document: Document, lines: LineCounter) {
  return (path: readonly PropertyKey[]) => {
    // A missing field has no node: fall back to the nearest enclosing one.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return "is required";
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  return issue.message;
}

/** Reads one `.yaml` file and validates it against its kind's schema. */
export function readRecord<K extends RecordKind>(
  kind: K,
  file: string,
  problems: Problem[],
): LoadedRecord<Parsed<K>> | undefined {
  const text = readFileSync(file, "utf8");
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const locate = locator(document, lines);
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = error.linePos?.[0] ?? { line: 1, col: 1 };
      const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      problems.push({ severity: "error", file, line: position.line, column: position.col, field: "", message: `YAML: ${message}` });
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The `yaml` package refuses excessive alias expansion with an error that has no position.
    let firstAlias: { line: number; col: number } | undefined;
    visit(document, {
      Alias(_, node) {
        if (isAlias(node) && node.range) firstAlias = lines.linePos(node.range[0]);
        return visit.BREAK;
      },
    });
    const { line, col } = firstAlias ?? { line: 1, col: 1 };
    const message = `YAML: ${(error as Error).message.replace(/\.$/, "")}; write the values out instead of expanding aliases (at most ${MAX_ALIAS_COUNT})`;
    problems.push({ severity: "error", file, line, column: col, field: "", message });
    return undefined;
  }
  if (data === null || data === undefined) {
    problems.push({ severity: "error", file, line: 1, column: 1, field: "", message: "the file is empty" });
    return undefined;
  }
  const result = RECORD_SCHEMAS[kind].safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
      const { line, column } = locate(path);
      problems.push({ severity: "error", file, line, column, field: formatPath(path), message: describeIssue(issue) });
    }
    return undefined;
  }
  const value = result.data as Parsed<K>;
  const expectedName = `${value.id}.yaml`;
  if (!file.endsWith(`/${expectedName}`)) {
    const { line, column } = locate(["id"]);
    problems.push({ severity: "error", file, line, column, field: "id", message: `id "${value.id}" does not match the file name; name the file ${expectedName}` });
  }
  return { file, value, locate };
}

/**
 * Why a file below `dataDir` must not be read, or nothing: a link that leaves `dataDir` (it could
 * read any file the process can), a link to nothing, or a file too large to be a record.
 */
function refusal(dataRoot: string, file: string): string | undefined {
  if (lstatSync(file).isSymbolicLink()) {
    let target: string;
    try {
      target = realpathSync(file);
    } catch {
      return `a symbolic link to ${readlinkSync(file)}, which does not exist; point it at a record inside data/ or remove it`;
    }
    const inside = relative(dataRoot, target);
    if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      return `a symbolic link to ${target}, outside data/; copy the record into data/ instead of linking to it`;
    }
  }
  const stat = statSync(file);
  const size = stat.size;
  if (stat.isFile() && size > MAX_RECORD_BYTES) {
    return `${(size / 1024 / 1024).toFixed(1)} MB, above the ${MAX_RECORD_BYTES / 1024 / 1024} MB a record may take; a record is one event, actor, source, place or post — split the file, or load bulk data from NDJSON`;
  }
  return undefined;
}

/** Reads every record of every kind below `dataDir`, one folder per kind. */
export function readAllRecords(dataDir: string, problems: Problem[]): RecordsByKind {
  const records = {} as RecordsByKind;
  let dataRoot = resolve(dataDir);
  try {
    dataRoot = realpathSync(dataDir);
  } catch {
    // A missing data folder is reported below, once per kind.
  }
  for (const kind of RECORD_KINDS) {
    const folder = join(dataDir, kind);
    const list: LoadedRecord<unknown>[] = [];
    let names: string[] = [];
    try {
      names = readdirSync(folder).sort();
    } catch {
      problems.push({ severity: "error", file: folder, line: 1, column: 1, field: "", message: `missing folder for ${kind}` });
    }
    const folderRefused = names.length > 0 ? refusal(dataRoot, folder) : undefined;
    if (folderRefused) {
      problems.push({ severity: "error", file: folder, line: 1, column: 1, field: "", message: folderRefused });
      names = [];
    }
    for (const name of names) {
      const file = join(folder, name);
      if (name.startsWith(".")) continue;
      const refused = refusal(dataRoot, file);
      if (refused) {
        problems.push({ severity: "error", file, line: 1, column: 1, field: "", message: refused });
        continue;
      }
      if (statSync(file).isDirectory()) continue;
      if (!name.endsWith(".yaml")) {
        problems.push({ severity: "error", file, line: 1, column: 1, field: "", message: "not a .yaml record; rename it or move it out of data/" });
        continue;
      }
      const record = readRecord(kind, file, problems);
      if (record) list.push(record);
    }
    (records as Record<RecordKind, LoadedRecord<unknown>[]>)[kind] = list;
  }
  return records;
}
