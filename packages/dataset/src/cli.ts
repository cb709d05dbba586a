#!/usr/bin/env node
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ARTICLES_ENV, articlesDir, haveArticles } from "./articles.js";
import { loadDataset } from "./load.js";
import { formatProblem, type Problem } from "./problems.js";
import { buildSnapshot } from "./snapshot/build.js";
import { whyRebuild } from "./snapshot/verify.js";
import { summarise } from "./summary.js";

const USAGE = [
  "usage: backchannel-data check <data-dir>",
  "       backchannel-data snapshot <data-dir | ndjson-dir> <snapshot.sqlite> [--if-stale]",
].join("\n");

type Print = (line: string) => void;

function printProblems(problems: Problem[], dir: string, err: Print): number {
  for (const problem of problems) err(formatProblem(problem));
  const errors = problems.filter((problem) => problem.severity === "error").length;
  err(`\n${errors} error${errors === 1 ? "" : "s"} in ${resolve(dir)}; nothing was loaded.`);
  return 1;
}

/**
 * Validates `dataDir` and, with the articles at hand (`BACKCHANNEL_ARTICLES`, by default
 * `../shared/sources` beside the data's repository), every quote and spelling against them.
 * Without them it says loudly what it could not verify, and in CI it fails.
 */
function check(dataDir: string, out: Print, err: Print, env: NodeJS.ProcessEnv): number {
  const articles = articlesDir(resolve(dataDir, ".."), env);
  const verify = haveArticles(articles);
  if (!verify && env.CI) {
    err(`data:check: the source articles are not at ${articles}; set ${ARTICLES_ENV} to their folder. CI verifies every quote against them.`);
    return 1;
  }
  const result = loadDataset(dataDir, verify ? { articles } : {});
  if (!result.ok) return printProblems(result.problems, dataDir, err);
  out(summarise(result.dataset));
  if (result.warnings.length > 0) {
    out("");
    for (const warning of result.warnings) out(formatProblem(warning));
  }
  out(`\n✓ ${resolve(dataDir)} is valid${result.warnings.length ? ` (${result.warnings.length} warnings)` : ""}.`);
  if (verify) out(`✓ quotes, quotations and source spellings verified against the articles in ${articles}.`);
  else {
    err(`\n⚠ QUOTES WERE NOT VERIFIED: no articles at ${articles}. Citation quotes, quotations and alias spellings`);
    err(`  were not checked against the sources. Set ${ARTICLES_ENV} to the folder of the articles to check them.`);
  }
  return 0;
}

async function snapshot(dataDir: string, target: string, ifStale: boolean, out: Print, err: Print): Promise<number> {
  // Current means: whole (its checksum matches), built from this data (by content) by this builder.
  if (ifStale) {
    const reason = whyRebuild(target, dataDir);
    if (!reason) {
      out(`snapshot ${target} is up to date`);
      return 0;
    }
    out(`rebuilding the snapshot: ${reason}`);
  }
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const started = performance.now();
  const result = await buildSnapshot(dataDir, target);
  if (!result.ok) return printProblems(result.problems, dataDir, err);
  const { counts, datasetVersion } = result.meta;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  out(`snapshot ${target} built in ${seconds}s: version ${datasetVersion}, ${counts.events} events, ${counts.actors} actors, ${counts.sources} sources, ${counts.places} places`);
  return 0;
}

/** Runs a command and returns its exit code; prints problems, never a stack trace. */
export async function main(argv: string[], out: Print = console.log, err: Print = console.error, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...args] = argv;
  const flags = args.filter((arg) => arg.startsWith("--"));
  const positional = args.filter((arg) => !arg.startsWith("--"));
  try {
    if (command === "check" && positional.length === 1 && flags.length === 0) return check(positional[0]!, out, err, env);
    if (command === "snapshot" && positional.length === 2 && flags.every((flag) => flag === "--if-stale")) {
      return await snapshot(positional[0]!, positional[1]!, flags.length > 0, out, err);
    }
    err(USAGE);
    return 2;
  } catch (error) {
    err(`backchannel-data ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1]?.endsWith("/cli.js")) {
  process.exitCode = await main(process.argv.slice(2));
}
