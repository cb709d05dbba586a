// The closing lines of `npm test`, from each package's vitest JSON report: what passed, what
// failed (a test file that failed to load included), which packages never ran, and which checks
// were skipped and why. Kept apart from workspace.mjs so that it can be tested.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The key a test sets in its `task.meta` to have its skip reported here, loudly. */
export const SKIP_NOTE = "skipNote";

/** Every package with tests, and where its report goes: packages/*, apps/* and the root's own scripts/. */
export function testedPackages(root) {
  const packages = ["packages", "apps"]
    .map((group) => join(root, group))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
    .filter((dir) => existsSync(join(dir, "package.json")) && JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts?.test)
    .map((dir) => ({ name: relative(root, dir), report: join(dir, "test-report.json") }));
  const { scripts = {} } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return scripts["test:scripts"] ? [...packages, { name: "scripts", report: join(root, "scripts", "test-report.json") }] : packages;
}

/**
 * Sums the reports written since `since` (ms): a report older than the run is someone else's.
 * A test file that failed without a failing test (it did not load, or a hook threw) counts as
 * one failure. Returns the lines to print above the last one, and that line: `tests: N passed, N failed…`.
 */
export function summarise(packages, { since = 0, root = "" } = {}) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const notRun = [];
  const lines = [];
  const notes = [];
  for (const { name, report } of packages) {
    if (!existsSync(report) || statSync(report).mtimeMs < since) {
      notRun.push(name);
      continue;
    }
    const result = JSON.parse(readFileSync(report, "utf8"));
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + result.numTodoTests;
    for (const file of result.testResults ?? []) {
      const tests = file.assertionResults ?? [];
      if (file.status === "failed" && !tests.some((test) => test.status === "failed")) {
        failed += 1;
        const where = root ? relative(root, file.name) : file.name;
        lines.push(`✗ ${where} failed to run: ${String(file.message || "no message").split("\n")[0]}`);
      }
      for (const test of tests) {
        const note = test.meta?.[SKIP_NOTE];
        if (typeof note === "string" && !notes.includes(note)) notes.push(note);
      }
    }
  }
  for (const note of notes) lines.push(`⚠ ${note}`);
  if (notRun.length) lines.push(`✗ tests never ran in: ${notRun.join(", ")}`);
  const counts = `tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}${notRun.length ? `, ${notRun.length} ${notRun.length === 1 ? "package" : "packages"} not run` : ""}`;
  return { lines, counts, passed, failed, skipped, notRun, notes };
}
