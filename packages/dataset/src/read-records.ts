import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { RECORD_SCHEMAS, type RecordKind } from "@backchannel/schema";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
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
  const data: unknown = document.toJS();
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

/** Reads every record of every kind below `dataDir`, one folder per kind. */
export function readAllRecords(dataDir: string, problems: Problem[]): RecordsByKind {
  const records = {} as RecordsByKind;
  for (const kind of RECORD_KINDS) {
    const folder = join(dataDir, kind);
    const list: LoadedRecord<unknown>[] = [];
    let names: string[] = [];
    try {
      names = readdirSync(folder).sort();
    } catch {
      problems.push({ severity: "error", file: folder, line: 1, column: 1, field: "", message: `missing folder for ${kind}` });
    }
    for (const name of names) {
      const file = join(folder, name);
      if (statSync(file).isDirectory() || name.startsWith(".")) continue;
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
