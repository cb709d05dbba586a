#!/usr/bin/env node
/**
 * `npm run bench` (after the API's bench, which builds the synthetic million-event snapshot in
 * .bench/): the terminal's figures. Exports of a million events (time, peak memory, `| head -1`),
 * in-process and through a running API; then start-up medians over ten runs beside `node -e ''`.
 * Figures, never assertions. Writes its sections of BENCHMARKS.md (tui, tui-startup).
 * `--startup` runs the start-up part alone; `--exports` the exports table alone; `--api-start` the
 * API's start over the million-event snapshot (section api-start).
 *
 * BACKCHANNEL_BENCH_SNAPSHOT=path points at an existing synthetic snapshot instead of .bench/.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
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
const startupLines = [];
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

/** Builds the curated snapshot for the start-up runs when the API's bench has not. */
function ensureCurated() {
  if (existsSync(curated)) return;
  const built = spawnSync(process.execPath, [join(root, "packages/dataset/dist/cli.js"), "snapshot", join(root, "data"), curated], { stdio: "inherit" });
  if (built.status !== 0) throw new Error(`could not build ${curated}`);
}

/** Wall milliseconds of one run of a command, output thrown away. */
function once(command, args, env = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  return performance.now() - started;
}

const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/**
 * Wall and CPU (user + system) milliseconds of one run, output thrown away. The CPU time is the
 * shell's account of its child (`times`, to 10 ms): on a shared machine it moves less than wall time.
 */
function timed(command, args, env = {}) {
  const started = performance.now();
  const result = spawnSync("sh", ["-c", '"$@" >/dev/null 2>&1; status=$?; times; exit $status', "sh", command, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  const [user, system] = [...result.stdout.trim().split("\n").at(-1).matchAll(/(\d+)m([\d.]+)s/g)].map(([, m, sec]) => (Number(m) * 60 + Number(sec)) * 1000);
  return { wall, cpu: user + system };
}

/** CPU milliseconds (user + system) a process has used so far, from /proc. */
function cpuSoFar(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** The bench's own tmux server (`-L`), apart from any tmux the user or a test suite runs. */
// A socket path of its own (-S), removed afterwards: tmux's kill-server leaves the socket file behind.
const TMUX_SOCKET = join(tmpdir(), `backchannel-bench-${process.pid}.tmux`);

/** The node process in a tmux pane: the pane's own, or its shell's child. */
function paneNode(session) {
  const pane = Number(spawnSync("tmux", ["-S", TMUX_SOCKET, "display-message", "-p", "-t", session, "#{pane_pid}"], { encoding: "utf8" }).stdout);
  const isNode = (pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "node";
  if (isNode(pane)) return pane;
  const children = readFileSync(`/proc/${pane}/task/${pane}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  return children.find(isNode);
}

/** Wall and CPU milliseconds from start to the TUI's first screen with its rows, in a real terminal (tmux). */
function firstScreenTimed(snapshot) {
  const session = `backchannel-bench-${process.pid}`;
  const started = performance.now();
  spawnSync("tmux", ["-S", TMUX_SOCKET, "new-session", "-d", "-s", session, "-x", "120", "-y", "32", "-e", `BACKCHANNEL_SNAPSHOT=${snapshot}`, `node ${cli}`]);
  try {
    for (;;) {
      const screen = spawnSync("tmux", ["-S", TMUX_SOCKET, "capture-pane", "-p", "-t", session], { encoding: "utf8" }).stdout;
      if (/\d+ events/.test(screen)) {
        const wall = performance.now() - started;
        const node = paneNode(session);
        return { wall, cpu: node ? cpuSoFar(node) : NaN };
      }
      if (performance.now() - started > 60_000) throw new Error("the TUI showed no list within 60 s");
    }
  } finally {
    spawnSync("tmux", ["-S", TMUX_SOCKET, "kill-server"]);
    rmSync(TMUX_SOCKET, { force: true });
  }
}

async function exports() {
  say(`## Terminal: exports of ${size.toLocaleString("en")} events`);
  say();
  say("`backchannel events --format …` over the synthetic snapshot of the scale run above, output to /dev/null; in-process (the API's streamed export through `app.fetch`) and with `--api` from a running API's HTTP stream (on this machine, so asked for uncompressed: see docs/tui.md). Peak memory sampled every 50 ms from /proc: resident in all, and its anonymous part (the heap; the rest is the snapshot's memory-mapped file pages, which the kernel can drop).");
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
    for (const format of ["ndjson", "csv"]) {
      const run = await measure(process.execPath, [cli, "events", "--format", format, "--api", "http://127.0.0.1:18795"]);
      say(`| ${format}, \`--api\` (the CLI's own process) | ${fmt(run.seconds)} s | ${fmt(run.peak, 0)} MB | ${fmt(run.anon, 0)} MB | < 10 s, < 200 MB |`);
    }
    const head = median(Array.from({ length: 3 }, () => once("sh", ["-c", `node ${cli} events --format csv --api http://127.0.0.1:18795 | head -1`])));
    say(`| \`| head -1\`, \`--api\` (median of 3) | ${fmt(head / 1000, 2)} s | — | — | at once |`);
  } finally {
    api.kill("SIGTERM");
  }
  const head = median(Array.from({ length: 3 }, () => once("sh", ["-c", `node ${cli} events --format csv | head -1`], env)));
  say(`| \`| head -1\`, in-process (median of 3) | ${fmt(head / 1000, 2)} s | — | — | at once |`);
  say();
}

/**
 * Start-up, each command's runs taking turns with runs of `node -e ''` (A B A B…), so a machine
 * whose speed drifts moves both alike; the median of each and of the pairwise differences.
 */
function startup() {
  const say = (line = "") => {
    console.log(line);
    startupLines.push(line);
  };
  say(`## Terminal: start-up, median of ${RUNS} runs`);
  say();
  say(`Measured by \`npm run bench -- --startup\` (apps/tui/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${loadavg().map((n) => fmt(n)).join(" / ")} at the start. Wall time from spawn to exit (to the first screen with its rows for the TUI, in tmux), each run beside a run of \`node -e ''\` (they take turns): the machine's own floor. CPU is user + system time to the same point (the shell's \`times\` for a command, /proc for the TUI at its first screen; to 10 ms). The binary is the bundle the build writes (apps/tui/bundle.mjs).`);
  say();
  const env = { BACKCHANNEL_SNAPSHOT: curated };
  say("| command | wall, median | `node -e ''` beside it | difference, median | CPU, median | `node -e ''` CPU | goal |");
  say("|---|---|---|---|---|---|---|");
  const row = (name, run, goal) => {
    const pairs = Array.from({ length: RUNS }, () => [timed(process.execPath, ["-e", ""]), run()]);
    const of = (pick) => fmt(median(pairs.map(pick)), 0);
    say(`| ${name} | ${of(([, c]) => c.wall)} ms | ${of(([b]) => b.wall)} ms | ${of(([b, c]) => c.wall - b.wall)} ms | ${of(([, c]) => c.cpu)} ms | ${of(([b]) => b.cpu)} ms | ${goal} |`);
  };
  row("`backchannel --help`", () => timed(process.execPath, [cli, "--help"], env), "< 150 ms");
  row("`backchannel --version`", () => timed(process.execPath, [cli, "--version"], env), "< 150 ms");
  row("`backchannel events --limit 20` (curated snapshot)", () => timed(process.execPath, [cli, "events", "--limit", "20"], env), "< 400 ms");
  const haveTmux = spawnSync("tmux", ["-V"]).status === 0;
  if (haveTmux) row("TUI, first screen with its rows (curated snapshot)", () => firstScreenTimed(curated), "< 1000 ms");
  else say("| TUI first screen | not measured: tmux is not installed | — | — | — | — | < 1000 ms |");
  say();
  say(`Read these beside the load average: above the number of cores (${cpus().length}) every process waits its turn and each figure, the baseline's included, grows several times; the difference to \`node -e ''\` is what carries over from one machine to another.`);
  say();
}

/** Wall milliseconds from spawning the API over `snapshot` to its "ready" line (Node's own start included). */
function apiStart(snapshot, port) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [apiMain], { env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot, BACKCHANNEL_RESPONSE_CACHE: "off", PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let ready;
    child.stdout.on("data", (chunk) => {
      if (ready !== undefined || !/ready/.test(String(chunk))) return;
      ready = performance.now() - started;
      child.kill("SIGTERM");
    });
    child.once("exit", (code) => (ready === undefined ? reject(new Error(`the API exited with ${code} before it was ready: ${stderr}`)) : resolve(ready)));
  });
}

/**
 * `--api-start`: the API's start over the million-event snapshot, ten runs taking turns with
 * `node -e ''`; and once, the first start of a copy of the file (no stamp: the full hash).
 */
async function apiStartTable() {
  const out = [];
  const say = (line = "") => {
    console.log(line);
    out.push(line);
  };
  const load = loadavg();
  const pairs = [];
  for (let run = 0; run < RUNS; run++) pairs.push([once(process.execPath, ["-e", ""]), await apiStart(big, 18796)]);
  const stamp = `${big}.verified`;
  const kept = existsSync(stamp) ? readFileSync(stamp) : undefined;
  rmSync(stamp, { force: true });
  const unstamped = await apiStart(big, 18797);
  if (kept && !existsSync(stamp)) writeFileSync(stamp, kept);
  say(`## API start over ${size.toLocaleString("en")} events, median of ${RUNS} runs`);
  say();
  say(`Measured by \`node apps/tui/bench/run.mjs --api-start\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${load.map((n) => fmt(n)).join(" / ")} at the start. Spawn to the API's "ready" line over the synthetic snapshot (${fmt(statSync(big).size / 1024 ** 3)} GiB), its response cache off; each run beside a run of \`node -e ''\`. An open checks the SQLite header, the file's size and its stamp (docs/api.md, "Verified before it is served"); a file without a stamp, such as a fresh copy, is hashed in full once.`);
  say();
  say("| start | wall | `node -e ''` beside it | goal |");
  say("|---|---|---|---|");
  say(`| API start, verified file (median of ${RUNS}) | ${fmt(median(pairs.map(([, api]) => api)), 0)} ms | ${fmt(median(pairs.map(([node]) => node)), 0)} ms | < 1000 ms |`);
  say(`| API start, first open of a file without a stamp (full SHA-256, one run) | ${fmt(unstamped, 0)} ms | — | once per file |`);
  say();
  return out;
}

/** Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` of BENCHMARKS.md, or appends it. */
function writeSection(name, sectionLines) {
  const file = join(root, "BENCHMARKS.md");
  const current = readFileSync(file, "utf8");
  const [open, close] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const start = current.indexOf(open);
  const end = current.indexOf(close);
  const section = `${open}\n${sectionLines.join("\n").trimEnd()}\n${close}`;
  writeFileSync(file, start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + close.length) : `${current.trimEnd()}\n\n${section}\n`);
}

async function main() {
  if (!existsSync(cli)) throw new Error(`build the TUI first: ${cli} is missing`);
  ensureCurated();
  // `--api-start`: the API's start over the million-event snapshot alone.
  if (process.argv.includes("--api-start")) {
    if (!existsSync(big)) throw new Error(`no synthetic snapshot at ${big}: run the API's bench first`);
    const table = await apiStartTable();
    if (!quick) writeSection("api-start", table);
    return;
  }
  // `--startup`: the start-up table alone (a minute), without the exports of a million events.
  if (process.argv.includes("--startup")) {
    startup();
    if (!quick) writeSection("tui-startup", startupLines);
    return;
  }
  say(`Terminal figures by \`npm run bench\` (apps/tui/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${fmt(totalmem() / 1024 ** 3, 0)} GiB, Node ${process.version}, load average ${loadavg().map((n) => fmt(n)).join(" / ")} at the start.`);
  say();
  if (existsSync(big)) await exports();
  else say(`(No synthetic snapshot at ${big}: the export figures need the API's bench to run first.)\n`);
  // `--exports`: the exports table alone; the start-up table keeps its own run.
  if (exportsOnly) {
    writeSection("tui", lines);
    return;
  }
  startup();
  if (quick) return;
  writeSection("tui", lines);
  writeSection("tui-startup", startupLines);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
