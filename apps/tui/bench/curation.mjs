#!/usr/bin/env node
// The curator's assistant's speed: `backchannel draft` on a generated 1,500-word article (process
// start to exit, Node start-up and loading data/ included) and `backchannel review` to its first
// screen. Figures, never assertions; writes its section of BENCHMARKS.md (`--quick`: print only).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const cli = join(here, "../dist/cli.js");
const quick = process.argv.includes("--quick");
const runs = quick ? 2 : 7;

// An article of our own words: templated sentences over actors and places the record knows.
const people = ["Abbas Araqchi", "Badr Albusaidi", "Ali Larijani", "Masoud Pezeshkian", "Sultan Haitham bin Tariq", "Esmaeil Baghaei", "Sergei Shoigu"];
const places = ["Muscat", "Tehran", "Doha", "Moscow"];
const templates = [
  (a, b, p) => `${a} met ${b} in ${p} on Tuesday to discuss trade, shipping lanes and the next round of talks.`,
  (a, b, p) => `Officials said ${a} would travel to ${p} next week, where ${b} is expected to host a working dinner.`,
  (a, b) => `${a} said the two governments had agreed to keep their channels open and to meet again soon.`,
  (a, b, p) => `Earlier this month ${a} held a phone call with ${b} about the situation in the region and in ${p}.`,
  (a, b) => `According to IRNA, ${a} praised the role of ${b} in keeping the dialogue alive during a difficult year.`,
];
const paragraphs = ["Regional diplomacy gathers pace as envoys shuttle between capitals"];
let words = 0;
for (let i = 0; words < 1500; i++) {
  const sentence = [0, 1, 2].map((k) => templates[(i + k) % templates.length](people[(i + k) % people.length], people[(i + k + 3) % people.length], places[(i + k) % places.length])).join(" ");
  paragraphs.push(sentence);
  words += sentence.split(/\s+/).length;
}
const dir = mkdtempSync(join(tmpdir(), "backchannel-bench-"));
const article = join(dir, "article.txt");
writeFileSync(article, paragraphs.join("\n\n"));

// Wall time depends on what else the machine runs; the CPU time the process used does not.
const cpuProbe = join(dir, "cpu.mjs");
writeFileSync(cpuProbe, `import { writeSync } from "node:fs";\nprocess.on("exit", () => { const u = process.cpuUsage(); writeSync(2, "\\ncpu-ms " + Math.round((u.user + u.system) / 1000) + "\\n"); });\n`);
const cpuOf = (stderr) => Number(/cpu-ms (\d+)/.exec(stderr)?.[1] ?? NaN);
const draftCpu = [];
// The validated record is cached per content (packages/curation/src/record-cache.ts): a cache of our own,
// emptied for the cold runs, so that both a first draft and the usual one are measured.
const cache = join(dir, "cache");
const env = { ...process.env, BACKCHANNEL_CACHE: cache };
const time = (args) => {
  const started = performance.now();
  const result = spawnSync("node", ["--import", `file://${cpuProbe}`, cli, ...args], { cwd: root, encoding: "utf8", env });
  if (result.status !== 0) throw new Error(`backchannel ${args.join(" ")} failed: ${result.stderr}`);
  draftCpu.push(cpuOf(result.stderr));
  return performance.now() - started;
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const coldTimes = Array.from({ length: quick ? 1 : 3 }, () => {
  rmSync(cache, { recursive: true, force: true });
  return time(["draft", article, "--published", "2026-03-04", "--format", "json"]);
});
const coldCpuRuns = draftCpu.splice(0);
const draftTimes = Array.from({ length: runs }, () => time(["draft", article, "--published", "2026-03-04", "--format", "json"]));
const draftCpuRuns = [...draftCpu];
time(["draft", article, "--published", "2026-03-04", "--format", "json", "--out", join(dir, "drafts")]);
const folder = join(dir, "drafts", JSON.parse(spawnSync("node", [cli, "draft", article, "--published", "2026-03-04", "--format", "json"], { cwd: root, encoding: "utf8", env }).stdout).source.id);

// The review screen, from process start to its first frame on a (test) terminal.
const probe = join(dir, "review-probe.mjs");
writeFileSync(
  probe,
  `const { render } = await import(${JSON.stringify(join(here, "../node_modules/ink-testing-library/build/index.js"))});
const React = (await import(${JSON.stringify(join(here, "../node_modules/react/index.js"))})).default;
const { loadReviewFolder } = await import(${JSON.stringify(join(here, "../node_modules/@backchannel/curation/dist/review-folder.js"))});
const { ReviewScreen } = await import(${JSON.stringify(join(here, "../dist/curation/ReviewScreen.js"))});
const app = render(React.createElement(ReviewScreen, { folder: loadReviewFolder(${JSON.stringify(folder)}), dataDir: ${JSON.stringify(join(root, "data"))} }));
while (!(app.lastFrame() ?? "").includes("proposals")) await new Promise((r) => setTimeout(r, 1));
console.log(performance.now());
app.unmount();
process.exit(0);
`,
);
/** Runs a probe script `runs` times: wall times and the CPU each process used. */
const measure = (script) => {
  const times = [];
  const cpu = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync("node", ["--import", `file://${cpuProbe}`, script], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
    times.push(performance.now() - started);
    cpu.push(cpuOf(result.stderr));
  }
  return { times, cpu };
};
const { times: reviewTimes, cpu: reviewCpu } = measure(probe);

// For comparison: an Ink program that draws one word, the floor any screen of this TUI starts from.
const baseline = join(dir, "ink-baseline.mjs");
writeFileSync(
  baseline,
  `const { render } = await import(${JSON.stringify(join(here, "../node_modules/ink-testing-library/build/index.js"))});
const React = (await import(${JSON.stringify(join(here, "../node_modules/react/index.js"))})).default;
const { Text } = await import(${JSON.stringify(join(here, "../node_modules/ink/build/index.js"))});
const app = render(React.createElement(Text, null, "ready"));
while (!(app.lastFrame() ?? "").includes("ready")) await new Promise((r) => setTimeout(r, 1));
app.unmount();
process.exit(0);
`,
);
const { times: baselineTimes, cpu: baselineCpu } = measure(baseline);

const lines = [
  "## Curator's assistant: draft and review",
  "",
  `Measured by \`npm run bench\` (apps/tui/bench/curation.mjs): a generated article of ${words} words in ${paragraphs.length} paragraphs, drafted against the curated record; each figure the median of ${runs} runs, from process start to exit (Node start-up, loading and validating data/ included).`,
  "",
  "| measure | wall, median | wall, fastest | CPU (user + system), median | goal |",
  "|---|---|---|---|---|",
  `| \`backchannel draft\` (${words} words, JSON out) | ${Math.round(median(draftTimes))} ms | ${Math.round(Math.min(...draftTimes))} ms | ${median(draftCpuRuns)} ms | < 2000 ms |`,
  `| the same, first draft after the record changed (validated-record cache empty) | ${Math.round(median(coldTimes))} ms | ${Math.round(Math.min(...coldTimes))} ms | ${median(coldCpuRuns)} ms | < 2000 ms |`,
  `| \`backchannel review\` to its first screen | ${Math.round(median(reviewTimes))} ms | ${Math.round(Math.min(...reviewTimes))} ms | ${median(reviewCpu)} ms | < 1000 ms |`,
  `| for comparison: an Ink program drawing one word | ${Math.round(median(baselineTimes))} ms | ${Math.round(Math.min(...baselineTimes))} ms | ${median(baselineCpu)} ms | — |`,
  "",
  `Load average when measured: ${loadavg().map((n) => n.toFixed(1)).join(", ")} on ${cpus().length} cores; on a busy machine the wall times grow and the CPU column is the one to compare with the goals.`,
];
console.log(lines.join("\n"));
if (!quick) {
  const file = join(root, "BENCHMARKS.md");
  const current = readFileSync(file, "utf8");
  const start = current.indexOf("<!-- curation:start -->");
  const end = current.indexOf("<!-- curation:end -->");
  const section = `<!-- curation:start -->\n${lines.join("\n")}\n<!-- curation:end -->`;
  writeFileSync(file, start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + "<!-- curation:end -->".length) : `${current.trimEnd()}\n\n${section}\n`);
}
