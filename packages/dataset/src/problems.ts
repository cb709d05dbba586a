/** One thing wrong with the data, located in its file the way an editor can jump to it. */
export interface Problem {
  severity: "error" | "warning";
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field inside the record, e.g. `participants[2].actor`; empty for the whole file. */
  field: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/** `file:line:column field — message`, the format every check prints. */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const prefix = problem.severity === "warning" ? "warning: " : "";
  return `${where} ${problem.field || "(file)"} — ${prefix}${problem.message}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
}
