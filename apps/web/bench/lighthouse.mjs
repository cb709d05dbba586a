#!/usr/bin/env node
// `npm run audit:web`: Lighthouse over the dashboard's pages with the Chromium the browser tests
// use (Debian's, or CHROMIUM_PATH), mobile with simulated throttling, 3 runs a page, the median
// kept. Writes its table into BENCHMARKS.md. Runs offline: everything it loads is on loopback.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lighthouse from "lighthouse";
import { CHROMIUM_ARGS, buildSnapshot, findChromium, freePort, pagesOfEachKind, root, startStack } from "../scripts/stack.mjs";

const runsAt = process.argv.indexOf("--runs");
const RUNS = process.argv.includes("--quick") ? 1 : runsAt > 0 ? Math.max(1, Number(process.argv[runsAt + 1]) || 3) : 3;
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.error("audit:web needs Chromium (apt-get install chromium, or set CHROMIUM_PATH)");
  process.exit(1);
}

/** Chromium with a DevTools port for Lighthouse to drive; a profile of its own, thrown away after. */
async function launchChromium() {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), "backchannel-lighthouse-"));
  const child = spawn(chromiumPath, [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank"], { stdio: "ignore" });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/json/version`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("Chromium did not open its DevTools port within 20 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    // The profile is removed once Chromium has exited (it writes to it until then).
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const stack = await startStack({ snapshot: buildSnapshot(join(root, "data")) });
const chromium = await launchChromium();
const rows = [];
try {
  const pages = await pagesOfEachKind(stack.api);
  for (const [name, path] of pages) {
    // Rendered once before auditing, as a reader after the first gets it (the page cache is what is measured, not a cold render).
    await (await fetch(new URL(path, stack.web))).arrayBuffer();
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      // A run can fail on a starved machine (the page times out behind an interstitial): tried three times.
      let lhr;
      for (let attempt = 1; !lhr; attempt++) {
        const result = await lighthouse(new URL(path, stack.web).href, { port: chromium.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
        if (result && !result.lhr.runtimeError) lhr = result.lhr;
        else if (attempt === 3) throw new Error(`${path}: ${result?.lhr.runtimeError?.code ?? "no result"} ${result?.lhr.runtimeError?.message ?? ""}`);
      }
      const { categories, audits } = lhr;
      runs.push({
        scores: Object.fromEntries(CATEGORIES.map((id) => [id, Math.round((categories[id]?.score ?? 0) * 100)])),
        cls: audits["cumulative-layout-shift"]?.numericValue ?? Number.NaN,
        lcp: audits["largest-contentful-paint"]?.numericValue ?? Number.NaN,
        failing: Object.values(audits)
          .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === "binary")
          .map((audit) => audit.id),
      });
    }
    // The run with the median performance score stands for the page (Lighthouse's own advice).
    const performance = median(runs.map((r) => r.scores.performance));
    const chosen = runs.find((r) => r.scores.performance === performance);
    rows.push({ name, path, ...chosen });
    console.log(name, JSON.stringify(chosen));
  }
} finally {
  stack.stop();
  await chromium.stop();
}

const version = JSON.parse(readFileSync(join(root, "apps/web/node_modules/lighthouse/package.json"), "utf8")).version;
const lines = [
  "## Dashboard: Lighthouse",
  "",
  `Run by \`npm run audit:web\` (apps/web/bench/lighthouse.mjs) on ${new Date().toISOString().slice(0, 10)}: Lighthouse ${version}, Debian's Chromium, mobile (simulated throttling), the median of ${RUNS} run${RUNS === 1 ? "" : "s"} a page, on the built dashboard over the curated data, each page rendered once before (so the page cache answers, as it does every reader after the first).`,
  "",
  "| page | performance | accessibility | best practices | SEO | CLS | LCP (ms) | failing checks |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map(
    (r) =>
      `| ${r.name} (\`${r.path}\`) | ${r.scores.performance} | ${r.scores.accessibility} | ${r.scores["best-practices"]} | ${r.scores.seo} | ${r.cls === 0 ? 0 : r.cls.toFixed(4)} | ${r.lcp.toFixed(0)} | ${r.failing.length ? r.failing.join(", ") : "—"} |`,
  ),
  "",
  "Goal: every page ≥ 95 performance on a phone, 100 accessibility, 100 SEO, CLS 0.",
];
console.log(lines.join("\n"));
if (!process.argv.includes("--quick")) {
  const file = join(root, "BENCHMARKS.md");
  const current = readFileSync(file, "utf8");
  const start = current.indexOf("<!-- lighthouse:start -->");
  const end = current.indexOf("<!-- lighthouse:end -->");
  const section = `<!-- lighthouse:start -->\n${lines.join("\n")}\n<!-- lighthouse:end -->`;
  writeFileSync(file, start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + "<!-- lighthouse:end -->".length) : `${current.trimEnd()}\n\n${section}\n`);
}
