// `npm test`'s closing lines: from fixture reports, and from the dataset's real suite run without its articles.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { summarise, testedPackages } from "./test-summary.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** A vitest JSON report, as far as the summary reads it. */
function report(files, counts = {}) {
  return { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numFailedTestSuites: 0, ...counts, testResults: files };
}

function workspaceWith(reports) {
  const dir = mkdtempSync(join(tmpdir(), "backchannel-summary-"));
  return Object.entries(reports).map(([name, body]) => {
    mkdirSync(join(dir, name), { recursive: true });
    const path = join(dir, name, "test-report.json");
    if (body) writeFileSync(path, JSON.stringify(body));
    return { name, report: path };
  });
}

describe("the test summary", () => {
  it("counts a file that failed to load as a failure and names it", () => {
    const packages = workspaceWith({
      "packages/schema": report([{ name: "/w/packages/schema/src/a.test.ts", status: "passed", assertionResults: [{ status: "passed" }, { status: "passed" }] }], { numPassedTests: 2 }),
      "packages/dataset": report([{ name: "/w/packages/dataset/src/real.test.ts", status: "failed", message: "ENOENT: no such file or directory, open '…/004.txt'", assertionResults: [] }], { numFailedTestSuites: 1 }),
    });
    const summary = summarise(packages, { root: "/w" });
    expect(summary.counts).toBe("tests: 2 passed, 1 failed");
    expect(summary.lines).toContain("✗ packages/dataset/src/real.test.ts failed to run: ENOENT: no such file or directory, open '…/004.txt'");
  });

  it("counts a failed test once, not again for its file", () => {
    const packages = workspaceWith({ "apps/api": report([{ name: "/w/x.test.ts", status: "failed", assertionResults: [{ status: "failed" }, { status: "passed" }] }], { numPassedTests: 1, numFailedTests: 1 }) });
    const summary = summarise(packages);
    expect(summary.lines).toEqual([]);
    expect(summary.counts).toBe("tests: 1 passed, 1 failed");
  });

  it("names the packages whose tests never ran, and never counts a report older than the run", () => {
    const packages = workspaceWith({
      "packages/schema": report([], { numPassedTests: 3 }),
      "apps/web": undefined,
      "apps/tui": report([], { numPassedTests: 40, numFailedTests: 2 }),
    });
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(packages[2].report, hourAgo, hourAgo);
    const summary = summarise(packages, { since: Date.now() - 60_000 });
    expect(summary.notRun).toEqual(["apps/web", "apps/tui"]);
    expect(summary.lines).toEqual(["✗ tests never ran in: apps/web, apps/tui"]);
    expect(summary.counts).toBe("tests: 3 passed, 0 failed, 2 packages not run");
  });

  it("lists every package with tests, the root's scripts included", () => {
    const names = testedPackages(root).map((pkg) => pkg.name);
    expect(names).toEqual(expect.arrayContaining(["packages/schema", "packages/dataset", "apps/api", "apps/web", "apps/tui", "scripts"]));
  });
});

describe("the dataset's suite without its source articles", () => {
  const dataset = join(root, "packages", "dataset");
  const articleFiles = readdirSync(join(root, "data", "sources")).map((file) => readFileSync(join(root, "data", "sources", file), "utf8").match(/^file:\s*"?([^"\n]+)"?/m)?.[1]).filter(Boolean);

  /** Runs the real suite with BACKCHANNEL_ARTICLES pointing at `articles`, and summarises it as `npm test` does. */
  function runWithout(articles, ci) {
    const reportPath = join(mkdtempSync(join(tmpdir(), "backchannel-report-")), "test-report.json");
    const env = { ...process.env, BACKCHANNEL_ARTICLES: articles };
    delete env.CI;
    if (ci) env.CI = "1";
    const since = Date.now();
    const run = spawnSync(process.execPath, [join(dataset, "node_modules", "vitest", "vitest.mjs"), "run", "src/real-dataset.test.ts", "--reporter=json", `--outputFile.json=${reportPath}`], {
      cwd: dataset,
      env,
      encoding: "utf8",
    });
    return { status: run.status, summary: summarise([{ name: "packages/dataset", report: reportPath }], { since: since - 1000 }) };
  }

  it("skips the checks that need them with one loud line, and passes, outside CI", () => {
    const missing = join(tmpdir(), "backchannel-no-such-folder");
    const { status, summary } = runWithout(missing, false);
    expect(status).toBe(0);
    expect(summary.failed).toBe(0);
    expect(summary.skipped).toBeGreaterThan(0);
    expect(summary.lines).toContain(`⚠ The checks of the dataset against its source articles were SKIPPED: no articles in ${missing}. Set BACKCHANNEL_ARTICLES to the folder that holds them; CI must.`);
  }, 60_000);

  it("names the article files a folder lacks", () => {
    expect(articleFiles.length).toBeGreaterThan(1);
    const partial = mkdtempSync(join(tmpdir(), "backchannel-articles-"));
    writeFileSync(join(partial, articleFiles[0]), "a headline\n");
    const { status, summary } = runWithout(partial, false);
    expect(status).toBe(0);
    const lacking = summary.notes[0].split(`${partial} lacks `)[1] ?? "";
    for (const file of articleFiles.slice(1)) expect(lacking).toContain(file);
    expect(lacking).not.toContain(articleFiles[0]);
  }, 60_000);

  it("fails in CI", () => {
    const { status, summary } = runWithout(mkdtempSync(join(tmpdir(), "backchannel-articles-")), true);
    expect(status).not.toBe(0);
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.notes).toHaveLength(1);
  }, 60_000);
});
