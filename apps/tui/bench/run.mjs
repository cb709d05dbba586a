#!/usr/bin/env node
/**
 * `npm run bench` (after the API's bench, which builds the synthetic million-event snapshot in
 * .bench/): the terminal's figures. Exports of a million events (time, peak memory, `| head -1`),
 * in-process and through a running API; then start-up medians over ten runs beside `node -e ''`.
 * Figures, never assertions. Writes its section of BENCHMARKS.md.
 *
 * BACKCHANNEL_BENCH_SNAPSHOT=path points at an existing synthetic snapshot instead of .bench/.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const cli = join(here, "../dist/cli.js");
const apiMain = join(root, "apps/api/dist/main.js");
const quick = process.argv.includes("--quick");
/** `--exports`: only the exports table, put in place of the one in BENCHMARKS.md (the start-up table is kept). */
const exportsOnly = process.argv.includes("--exports");
const size = quick ? 100_000 : 1_000_000;
const big = process.env.BACKCHANNEL_BENCH_SNAPSHOT ?? join(root, ".bench", `synthetic-${size}.sqlite`);
const curated = join(root, ".bench", "curated.sqlite");
const RUNS = 10;

const lines = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n, digits = 1) => n.toFixed(digits);

/** Runs a command to its end; wall time, and the peak of its resident memory and of the anonymous part. */
function measure(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let peak = 0;
    let anon = 0;
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
        anon = Math.max(anon, Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      } catch {
        // gone between two samples
      }
    };
    const timer = setInterval(sample, 50);
    child.on("exit", (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${args.join(" ")} exited with ${code}: ${stderr}`));
      resolve({ seconds: (performance.now() - started) / 1000, peak, anon });
    });
  });
}

function startApi(snapshot, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [apiMain], { env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot, PORT: String(port) }, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk) => /ready/.test(String(chunk)) && resolve(child));
    child.on("exit", (code) => reject(new Error(`the API exited with ${code}`)));
  });
}

/** Wall milliseconds of one run of a command, output thrown away. */
function once(command, args, env = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  return performance.now() - started;
}

/** Milliseconds from start to the TUI's first screen with its rows, in a real terminal (tmux). */
function firstScreen(snapshot) {
  const session = `backchannel-bench-${process.pid}`;
  const started = performance.now();
  spawnSync("tmux", ["new-session", "-d", "-s", session, "-x", "120", "-y", "32", "-e", `BACKCHANNEL_SNAPSHOT=${snapshot}`, `node ${cli}`]);
  try {
    for (;;) {
      const screen = spawnSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" }).stdout;
      if (/\d+ events/.test(screen)) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error("the TUI showed no list within 60 s");
    }
  } finally {
    spawnSync("tmux", ["kill-session", "-t", session]);
  }
}

async function exports() {
  say(`## Terminal: exports of ${size.toLocaleString("en")} events`);
  say();
  say("`backchannel events --format …` over the synthetic snapshot of the scale run above, output to /dev/null; in-process (the API's streamed export through `app.fetch`) and with `--api` from a running API's HTTP stream. Peak memory sampled every 50 ms from /proc: resident in all, and its anonymous part (the heap; the rest is the snapshot's memory-mapped file pages, which the kernel can drop).");
  say();
  say("| export | time | peak RSS | of which anonymous | goal |");
  say("|---|---|---|---|---|");
  const env = { BACKCHANNEL_SNAPSHOT: big };
  for (const format of ["ndjson", "csv"]) {
    const run = await measure(process.execPath, [cli, "events", "--format", format], env);
    say(`| ${format}, in-process | ${fmt(run.seconds)} s | ${fmt(run.peak, 0)} MB | ${fmt(run.anon, 0)} MB | < 10 s, < 200 MB |`);
  }
  const api = await startApi(big, 18795);
  try {
    const run = await measure(process.execPath, [cli, "events", "--format", "ndjson", "--api", "http://127.0.0.1:18795"]);
    say(`| ndjson, \`--api\` (the CLI's own process) | ${fmt(run.seconds)} s | ${fmt(run.peak, 0)} MB | ${fmt(run.anon, 0)} MB | < 10 s, < 200 MB |`);
    const head = median(Array.from({ length: 3 }, () => once("sh", ["-c", `node ${cli} events --format csv --api http://127.0.0.1:18795 | head -1`])));
    say(`| \`| head -1\`, \`--api\` (median of 3) | ${fmt(head / 1000, 2)} s | — | — | at once |`);
  } finally {
    api.kill("SIGTERM");
  }
  const head = median(Array.from({ length: 3 }, () => once("sh", ["-c", `node ${cli} events --format csv | head -1`], env)));
  say(`| \`| head -1\`, in-process (median of 3) | ${fmt(head / 1000, 2)} s | — | — | at once |`);
  say();
}

function startup() {
  say(`## Terminal: start-up, median of ${RUNS} runs`);
  say();
  say("Wall time from spawn to exit (to the first screen with its rows for the TUI, in tmux), each beside `node -e ''` measured in the same run: the machine's own floor.");
  say();
  const env = { BACKCHANNEL_SNAPSHOT: curated };
  const series = (run) => median(Array.from({ length: RUNS }, run));
  const baseline = series(() => once(process.execPath, ["-e", ""]));
  say("| command | median | minus `node -e ''` | goal |");
  say("|---|---|---|---|");
  say(`| \`node -e ''\` (baseline) | ${fmt(baseline, 0)} ms | — | — |`);
  const row = (name, ms, goal) => say(`| ${name} | ${fmt(ms, 0)} ms | ${fmt(ms - baseline, 0)} ms | ${goal} |`);
  row("`backchannel --help`", series(() => once(process.execPath, [cli, "--help"], env)), "< 150 ms");
  row("`backchannel --version`", series(() => once(process.execPath, [cli, "--version"], env)), "< 150 ms");
  row("`backchannel events --limit 20` (curated snapshot)", series(() => once(process.execPath, [cli, "events", "--limit", "20"], env)), "< 400 ms");
  const haveTmux = spawnSync("tmux", ["-V"]).status === 0;
  if (haveTmux) row("TUI, first screen with its rows (curated snapshot)", series(() => firstScreen(curated)), "< 1000 ms");
  else say("| TUI first screen | not measured: tmux is not installed | — | < 1000 ms |");
  say();
  say(`Read these beside the load average in the first line: above the number of cores (${cpus().length}) every process waits its turn and each figure, the baseline's included, grows several times; the difference to \`node -e ''\` of the same run is what carries over from one machine to another.`);
  say();
}

async function main() {
  if (!existsSync(cli)) throw new Error(`build the TUI first: ${cli} is missing`);
  if (!existsSync(curated)) throw new Error(`${curated} is missing: the API's bench builds it (npm run bench)`);
  say(`Terminal figures by \`npm run bench\` (apps/tui/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${fmt(totalmem() / 1024 ** 3, 0)} GiB, Node ${process.version}, load average ${loadavg().map((n) => fmt(n)).join(" / ")} at the start.`);
  say();
  if (existsSync(big)) await exports();
  else say(`(No synthetic snapshot at ${big}: the export figures need the API's bench to run first.)\n`);
  const file = join(root, "BENCHMARKS.md");
  const current = readFileSync(file, "utf8");
  if (exportsOnly) {
    const from = current.indexOf("## Terminal: exports of");
    const to = current.indexOf("## Terminal: start-up");
    if (from < 0 || to < from) throw new Error("BENCHMARKS.md has no terminal exports table to replace: run the whole bench");
    const table = lines.slice(lines.findIndex((line) => line.startsWith("## Terminal: exports of"))).join("\n").trimEnd();
    const note = `Exports table by \`node apps/tui/bench/run.mjs --exports\` on ${new Date().toISOString().slice(0, 10)}, load average ${loadavg().map((n) => fmt(n)).join(" / ")} at its end (the start-up table below is from its own run).`;
    writeFileSync(file, `${current.slice(0, from)}${table}\n\n${note}\n\n${current.slice(to)}`);
    return;
  }
  startup();
  if (quick) return;
  const start = current.indexOf("<!-- tui:start -->");
  const end = current.indexOf("<!-- tui:end -->");
  const section = `<!-- tui:start -->\n${lines.join("\n").trimEnd()}\n<!-- tui:end -->`;
  writeFileSync(file, start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + "<!-- tui:end -->".length) : `${current.trimEnd()}\n\n${section}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
