#!/usr/bin/env node
import { resolve } from "node:path";
import { loadDataset } from "./load.js";
import { formatProblem } from "./problems.js";
import { summarise } from "./summary.js";

const USAGE = "usage: backchannel-data check <data-dir>";

/** Runs a command and returns its exit code; prints problems, never a stack trace. */
export function main(argv: string[], out = console.log, err = console.error): number {
  const [command, dataDir, ...rest] = argv;
  if (command !== "check" || dataDir === undefined || rest.length > 0) {
    err(USAGE);
    return 2;
  }
  try {
    const result = loadDataset(dataDir);
    if (!result.ok) {
      for (const problem of result.problems) err(formatProblem(problem));
      const errors = result.problems.filter((problem) => problem.severity === "error").length;
      err(`\n${errors} error${errors === 1 ? "" : "s"} in ${resolve(dataDir)}; nothing was loaded.`);
      return 1;
    }
    out(summarise(result.dataset));
    if (result.warnings.length > 0) {
      out("");
      for (const warning of result.warnings) out(formatProblem(warning));
    }
    out(`\n✓ ${resolve(dataDir)} is valid${result.warnings.length ? ` (${result.warnings.length} warnings)` : ""}.`);
    return 0;
  } catch (error) {
    err(`cannot read the dataset in ${resolve(dataDir)}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/cli.js")) {
  process.exitCode = main(process.argv.slice(2));
}
