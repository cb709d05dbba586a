#!/usr/bin/env node
// The README's commands start here: they must work from a clean clone on a machine
// with only Node and npm, so this script brings pnpm (pinned by packageManager),
// installs the workspace, then hands over to turbo or to a package's command.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", COREPACK_INTEGRITY_KEYS: "0", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };
// node-gyp must build native modules against the installed headers: it cannot download them.
const nodePrefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(nodePrefix, "include", "node"))) {
  env.npm_config_nodedir = nodePrefix;
}

function run(command, args, { quiet = false } = {}) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: quiet ? "pipe" : "inherit" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpm(args) {
  // corepack ships with Node 20; npx is the fallback where a distribution leaves it out.
  const viaCorepack = run("corepack", ["pnpm", "--version"], { quiet: true }) === 0;
  return viaCorepack ? run("corepack", ["pnpm", ...args]) : run("npx", ["--yes", packageManager, ...args]);
}

function step(status, what) {
  if (status !== 0) {
    console.error(`\n✗ ${what} failed (exit ${status}).`);
    process.exit(status);
  }
}

/** One closing line for the whole workspace, from each package's vitest JSON report. */
function testReports() {
  return ["packages", "apps"]
    .map((group) => join(root, group))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name, "test-report.json")))
    .filter((report) => existsSync(report));
}

function reportTests() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const report of testReports()) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(readFileSync(report, "utf8"));
    passed += numPassedTests;
    failed += numFailedTests;
    skipped += numPendingTests + numTodoTests;
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
}

const snapshotPath = env.BACKCHANNEL_SNAPSHOT ?? join(".snapshot", "backchannel.sqlite");
env.BACKCHANNEL_SNAPSHOT = snapshotPath;

/** Builds a package and what it depends on (turbo skips what is up to date). */
function build(pkg) {
  step(pnpm(["exec", "turbo", "run", "build", `--filter=${pkg}...`, "--output-logs=errors-only"]), "build");
}

/** Builds a package, then the snapshot when data/ or its builder is newer than it. */
function buildWithSnapshot(pkg) {
  build(pkg);
  step(run("node", ["packages/dataset/dist/cli.js", "snapshot", "data", snapshotPath, "--if-stale"]), "snapshot");
}

const task = process.argv[2];
const rest = process.argv.slice(3);
const tasks = {
  // Builds everything, type-checks it, and runs every package's tests.
  test: () => {
    for (const report of testReports()) rmSync(report); // a stale report must not count
    const status = pnpm(["exec", "turbo", "run", "build", "typecheck", "test", "--output-logs=errors-only", ...rest]);
    reportTests();
    return status;
  },
  // The product: the checked dataset's snapshot, served by the API.
  start: () => {
    step(tasks["data:check"](), "data:check");
    return tasks.api();
  },
  bench: () => {
    build("@backchannel/api");
    return run("node", ["apps/api/dist/bench/run.js", ...rest]);
  },
  api: () => {
    buildWithSnapshot("@backchannel/api");
    return run("node", ["apps/api/dist/main.js"]);
  },
  // The terminal UI over the local snapshot, in-process; any arguments go to it (e.g. --api URL).
  tui: () => {
    buildWithSnapshot("@backchannel/tui");
    return run("node", ["apps/tui/dist/cli.js", ...rest]);
  },
  "data:check": () => {
    build("@backchannel/dataset");
    return run("node", ["packages/dataset/dist/cli.js", "check", "data", ...rest]);
  },
};

if (!(task in tasks)) {
  console.error(`usage: node scripts/workspace.mjs <${Object.keys(tasks).join("|")}> [args]`);
  process.exit(2);
}
step(pnpm(["install", ...(process.env.CI ? ["--frozen-lockfile"] : []), "--reporter=append-only"]), "pnpm install");
process.exit(tasks[task]());
