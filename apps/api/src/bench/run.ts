#!/usr/bin/env node
/**
 * `npm run bench`: throughput of the API against a bare server on the curated data, then a
 * synthetic million-event dataset for build, start-up, memory and latency. Prints figures and
 * writes BENCHMARKS.md. Figures, never assertions: the goals are shown beside them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import autocannon from "autocannon";
import { buildSnapshot, whyRebuild } from "@backchannel/dataset";
import type { RecordedAnswer } from "./bare-server.js";
import { generateSynthetic, type SyntheticSize } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../../..");
const work = join(root, ".bench");
const apiMain = join(here, "../main.js");
const bareMain = join(here, "bare-server.js");
/** What `npm run bench -- --help` prints; the same lines close BENCHMARKS.md. */
const USAGE = [
  "npm run bench            # the full run above (about 10 minutes; the synthetic data is kept in .bench/)",
  "npm run bench -- --quick # 100,000 events, shorter load runs",
  "npm run bench -- --exports # only the exports-under-load section, at 50,000 events",
  "npm run bench -- --varied  # only the varied-URL table, on the curated data",
  "npm run bench -- --scale-only [--skip-exports] # only the synthetic-snapshot table",
  "npm run bench -- --rebuild # rebuild the synthetic snapshot even when it is current",
];

/** The flags, strictly: a mistyped one stops here, not after a ten-minute run that rewrites BENCHMARKS.md. */
function flags() {
  const options = { quick: { type: "boolean" }, exports: { type: "boolean" }, varied: { type: "boolean" }, "scale-only": { type: "boolean" }, "skip-exports": { type: "boolean" }, rebuild: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
  try {
    return parseArgs({ args: process.argv.slice(2), options, strict: true }).values;
  } catch (error) {
    console.error(`npm run bench: ${(error as Error).message}\n\n${USAGE.join("\n")}`);
    process.exit(2);
  }
}
const flag = flags();
if (flag.help) {
  console.log(USAGE.join("\n"));
  process.exit(0);
}
const quick = flag.quick === true;
const SIZE: SyntheticSize = quick
  ? { events: 100_000, actors: 5_000, sources: 2_000, places: 1_000 }
  : { events: 1_000_000, actors: 50_000, sources: 20_000, places: 5_000 };
const DURATION = quick ? 3 : 8;
const lines: string[] = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};

const children = new Set<ChildProcess>();
process.on("exit", () => children.forEach((child) => child.kill("SIGTERM")));

function startProcess(args: string[], env: Record<string, string>, port: number): Promise<{ child: ChildProcess; ms: number; port: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (/ready/.test(chunk.toString())) resolve({ child, ms: performance.now() - started, port });
    });
    child.on("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  });
}

function stop(child: ChildProcess) {
  children.delete(child);
  child.removeAllListeners("exit");
  child.kill("SIGTERM");
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function cannon(url: string) {
  const result = await autocannon({ url, connections: 10, duration: DURATION });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(url: string): Promise<{ ms: number; body: any }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, body };
}

/** Headers Node's HTTP server writes on every answer itself: not recorded, or they would be sent twice. */
const WRITTEN_BY_NODE = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/** The answer a client sending no Accept-Encoding gets (as autocannon sends none): fetch would otherwise ask for gzip and decode it. */
const IDENTITY = { headers: { "accept-encoding": "identity" } };

/** An answer of the API as the bare server replays it: the same status line, headers and body. */
async function recordAnswer(response: Response): Promise<RecordedAnswer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) if (!WRITTEN_BY_NODE.has(name)) headers[name] = value;
  return { headers, body: Buffer.from(await response.arrayBuffer()).toString("base64") };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

const READING = `## Reading the figures

- The machine is shared: other jobs ran beside this one (the load average is printed with each
  table), so absolute figures move from run to run, often by several times. Read each figure beside
  its baseline of the same run: the bare server for throughput, the quiet page for exports.
- The throughput runs share two cores between autocannon and the server under test. The bare
  server replays the API's own answers byte for byte (headers and body, recorded beforehand). The
  varied-URL table alternates the bare server and the API round by round so both meet the same
  neighbours, and reports medians.
- With the response cache off, every request runs its query. A page of events is the rows' JSON
  written at build time, joined: nothing is parsed, hydrated or encoded per event.
- Start-up is dominated by loading Node modules; opening the snapshot reads only its metadata,
  and the OpenAPI document is built on its first request.
`;

async function curated() {
  say("## Throughput on the curated data");
  say();
  const snapshot = join(work, "curated.sqlite");
  const built = await buildSnapshot(join(root, "data"), snapshot);
  if (!built.ok) throw new Error("the curated data does not build");
  const paths = ["/api/v1/events?limit=50", "/api/v1/search?q=Araqchi"];
  const cached = await startProcess([apiMain], { BACKCHANNEL_SNAPSHOT: snapshot }, 18787);
  const uncached = await startProcess([apiMain], { BACKCHANNEL_SNAPSHOT: snapshot, BACKCHANNEL_RESPONSE_CACHE: "off" }, 18788);
  const answers: Record<string, RecordedAnswer> = {};
  for (const path of paths) answers[path] = await recordAnswer(await fetch(`http://127.0.0.1:18787${path}`, IDENTITY));
  const answersFile = join(work, "bare-answers.json");
  writeFileSync(answersFile, JSON.stringify(answers));
  const bare = await startProcess([bareMain, answersFile], {}, 18789);
  say(`autocannon, 10 connections, ${DURATION} s each; API and bare server each in their own process on this machine.`);
  say();
  say("| request | bare node:http (req/s) | API (req/s) | API ÷ bare | API p50 / p99 (ms) | API, response cache off (req/s) | off ÷ bare | off p50 / p99 (ms) |");
  say("|---|---|---|---|---|---|---|---|");
  for (const path of paths) {
    const upper = await cannon(`http://127.0.0.1:${bare.port}${path}`);
    const api = await cannon(`http://127.0.0.1:${cached.port}${path}`);
    const off = await cannon(`http://127.0.0.1:${uncached.port}${path}`);
    say(
      `| \`${path.replace("/api/v1", "")}\` | ${fmt(upper.rps, 0)} | ${fmt(api.rps, 0)} | **${fmt((api.rps / upper.rps) * 100, 0)}%** | ${api.p50} / ${api.p99} | ${fmt(off.rps, 0)} | ${fmt((off.rps / upper.rps) * 100, 0)}% | ${off.p50} / ${off.p99} |`,
    );
  }
  say();
  say("Goal: the API at 60% or more of the bare server. The response cache is on by default (the snapshot is immutable, so a URL's JSON never changes while the API runs); the cache-off column is the full query path on every request.");
  say();
  for (const process of [cached, uncached, bare]) stop(process.child);
  await varied(snapshot);
}

/**
 * The distinct URLs real traffic sends: every actor, year and type at three page sizes, a search
 * per actor, every event by id, and second pages by cursor. Read from the API itself.
 */
async function variedPaths(base: string): Promise<string[]> {
  const get = async (path: string) => (await timed(`${base}${path}`)).body;
  const actors: { id: string; name: string }[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: any = await get(`/api/v1/actors?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    actors.push(...page.data);
    cursor = page.page.next;
  }
  const facets: any = await get("/api/v1/facets?size=100");
  const years = (facets.facets.year as { value: string }[]).map((year) => year.value);
  const types = (facets.facets.type as { value: string }[]).map((type) => type.value);
  const events: any = await get("/api/v1/events?limit=500");
  const sizes = [10, 50, 200];
  const lists = [...actors.map((actor) => `actor=${actor.id}`), ...years.map((year) => `from=${year}&to=${year}`), ...types.map((type) => `type=${type}`)];
  const paths = [
    ...lists.flatMap((filter) => sizes.map((limit) => `/api/v1/events?${filter}&limit=${limit}`)),
    ...actors.map((actor) => `/api/v1/search?q=${encodeURIComponent(actor.name)}`),
    ...(events.data as { id: string }[]).map((event) => `/api/v1/events/${event.id}`),
  ];
  // Second pages, by the cursor of the first, in each sort order.
  for (const sort of ["date", "-date", "title", "type"]) {
    for (const filter of [...types.slice(0, 5).map((type) => `type=${type}`), "status=occurred"]) {
      const first: any = await get(`/api/v1/events?${filter}&sort=${sort}&limit=5`);
      if (first.page.next) paths.push(`/api/v1/events?${filter}&sort=${sort}&limit=5&cursor=${first.page.next}`);
    }
  }
  return paths;
}

/**
 * The query path on varied traffic: the same few hundred distinct URLs against the API with its
 * response cache off and against a bare node:http server holding every answer, rounds
 * alternated so that a noisy neighbour weighs on both alike.
 */
async function varied(snapshot: string) {
  const api = await startProcess([apiMain], { BACKCHANNEL_SNAPSHOT: snapshot, BACKCHANNEL_RESPONSE_CACHE: "off" }, 18792);
  const base = `http://127.0.0.1:${api.port}`;
  const paths = await variedPaths(base);
  const answers: Record<string, RecordedAnswer> = {};
  let bytes = 0;
  for (const path of paths) {
    const response = await fetch(`${base}${path}`, IDENTITY);
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    answers[path] = await recordAnswer(response);
    bytes += Number(answers[path].headers["content-length"]);
  }
  const answersFile = join(work, "varied-answers.json");
  writeFileSync(answersFile, JSON.stringify(answers));
  const bare = await startProcess([bareMain, answersFile], {}, 18793);
  // The same API with every list and search read through SQLite: what the in-memory indexes buy, in the same run.
  const sqlOnly = await startProcess([apiMain], { BACKCHANNEL_SNAPSHOT: snapshot, BACKCHANNEL_RESPONSE_CACHE: "off", BACKCHANNEL_MEMORY_INDEX: "off" }, 18794);
  const rounds = quick ? 2 : 5;
  const seconds = quick ? 3 : 5;
  /** autocannon over `list`, with the server's own CPU time per request (from /proc): a figure the machine's other load moves far less than req/s. */
  const run = async (server: { child: ChildProcess; port: number }, list: string[], duration = seconds) => {
    const before = cpuMs(server.child.pid!);
    const result = await autocannon({ url: `http://127.0.0.1:${server.port}`, connections: 10, duration, requests: list.map((path) => ({ method: "GET", path })) });
    if (result.non2xx) throw new Error(`${result.non2xx} answers were not 2xx`);
    return { rps: result.requests.average, p99: result.latency.p99, cpuUs: ((cpuMs(server.child.pid!) - before) * 1000) / Math.max(1, result.requests.total) };
  };
  // Warm-up, not counted: the API's first seconds are spent compiling its code.
  const servers = { bare, api, sqlOnly };
  type Which = keyof typeof servers;
  for (const server of Object.values(servers)) await run(server, paths, 2);
  const results: Record<Which, Awaited<ReturnType<typeof run>>[]> = { bare: [], api: [], sqlOnly: [] };
  for (let round = 0; round < rounds; round++) {
    // Alternated, and which goes first turns round by round.
    const order = (["bare", "api", "sqlOnly"] as const).map((_, i, all) => all[(i + round) % all.length]!);
    for (const which of order) results[which].push(await run(servers[which], paths));
  }
  // The same servers on each kind of URL alone, one round each.
  const kinds = [
    ["pages of events", (path: string) => path.startsWith("/api/v1/events?")],
    ["one event", (path: string) => /^\/api\/v1\/events\/[^?]+$/.test(path)],
    ["search", (path: string) => path.startsWith("/api/v1/search")],
  ] as const;
  const byKind: { kind: string; count: number; bare: Awaited<ReturnType<typeof run>>; api: Awaited<ReturnType<typeof run>>; sqlOnly: Awaited<ReturnType<typeof run>> }[] = [];
  for (const [kind, test] of kinds) {
    const list = paths.filter(test);
    const seconds = quick ? 2 : 4;
    byKind.push({ kind, count: list.length, bare: await run(bare, list, seconds), api: await run(api, list, seconds), sqlOnly: await run(sqlOnly, list, seconds) });
  }
  const load = loadavg()[0]!;
  for (const server of Object.values(servers)) stop(server.child);
  const median = (values: number[]) => percentile(values, 50);
  const bareRps = median(results.bare.map((r) => r.rps));
  const apiRps = median(results.api.map((r) => r.rps));
  const bareCpu = median(results.bare.map((r) => r.cpuUs));
  const apiCpu = median(results.api.map((r) => r.cpuUs));
  const sqlRps = median(results.sqlOnly.map((r) => r.rps));
  say(`### Varied traffic: ${paths.length} distinct URLs, the response cache off`);
  say();
  say(
    `Every actor, year and type at three page sizes (10, 50, 200), a search per actor, every event by id, and second pages by cursor in four orders; ${fmt(bytes / paths.length / 1024)} KB a response on average. autocannon, 10 connections cycling through the list, ${rounds} rounds of ${seconds} s each after a warm-up, the bare server, the API and the API with its lists and search through SQLite alternated (each round starting with the next); medians of the rounds. CPU per request is the server process's own CPU time (user + system, from /proc) over the requests it answered. Load average ${fmt(load)} on ${cpus().length} cores at the end.`,
  );
  say();
  say("| server | req/s (median of rounds) | p99 (ms, median of rounds) | server CPU per request (µs, median) | rounds (req/s) |");
  say("|---|---|---|---|---|");
  say(`| bare \`node:http\` holding every answer | ${fmt(bareRps, 0)} | ${median(results.bare.map((r) => r.p99))} | ${fmt(bareCpu, 0)} | ${results.bare.map((r) => fmt(r.rps, 0)).join(", ")} |`);
  say(`| API, response cache off | ${fmt(apiRps, 0)} | ${median(results.api.map((r) => r.p99))} | ${fmt(apiCpu, 0)} | ${results.api.map((r) => fmt(r.rps, 0)).join(", ")} |`);
  say(
    `| API, response cache off, lists and search through SQLite (\`BACKCHANNEL_MEMORY_INDEX=off\`) | ${fmt(sqlRps, 0)} | ${median(results.sqlOnly.map((r) => r.p99))} | ${fmt(median(results.sqlOnly.map((r) => r.cpuUs)), 0)} | ${results.sqlOnly.map((r) => fmt(r.rps, 0)).join(", ")} |`,
  );
  say();
  say(`**API ÷ bare: ${fmt(apiRps / bareRps, 2)}** in requests per second (goal ≥ 0.5); ${fmt(bareCpu / apiCpu, 2)} in CPU per request. Lists and search through SQLite: ${fmt(sqlRps / bareRps, 2)}.`);
  say();
  say("| URLs | count | bare req/s | API req/s | API ÷ bare | lists and search through SQLite ÷ bare | bare CPU / request (µs) | API CPU / request (µs) | through SQLite CPU / request (µs) |");
  say("|---|---|---|---|---|---|---|---|---|");
  for (const { kind, count, bare: upper, api: served, sqlOnly: viaSql } of byKind) {
    say(
      `| ${kind} | ${count} | ${fmt(upper.rps, 0)} | ${fmt(served.rps, 0)} | ${fmt(served.rps / upper.rps, 2)} | ${fmt(viaSql.rps / upper.rps, 2)} | ${fmt(upper.cpuUs, 0)} | ${fmt(served.cpuUs, 0)} | ${fmt(viaSql.cpuUs, 0)} |`,
    );
  }
  say();
}

/** Reads a file from start to end (into the OS page cache), in seconds. */
function readThrough(path: string): number {
  const started = performance.now();
  const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
  const fd = openSync(path, "r");
  try {
    while (readSync(fd, chunk, 0, chunk.length, null) > 0);
  } finally {
    closeSync(fd);
  }
  return (performance.now() - started) / 1000;
}

/** CPU time a process has used so far (user + system), in milliseconds, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function scale() {
  say(`## Scale: ${SIZE.events.toLocaleString("en")} events, ${SIZE.actors.toLocaleString("en")} actors, ${SIZE.sources.toLocaleString("en")} sources`);
  say();
  const data = join(work, `synthetic-${SIZE.events}`);
  if (!existsSync(join(data, "events.ndjson"))) {
    const started = performance.now();
    await generateSynthetic(data, SIZE);
    console.log(`generated in ${fmt((performance.now() - started) / 1000)} s`);
  }
  const snapshot = join(work, `synthetic-${SIZE.events}.sqlite`);
  const started = performance.now();
  // A snapshot this builder already made from the same data is kept (its build time is not measured again).
  const reused = !flag.rebuild && existsSync(snapshot) && whyRebuild(snapshot, data) === undefined;
  if (!reused) {
    const built = await buildSnapshot(data, snapshot);
    if (!built.ok) throw new Error(`synthetic data does not build: ${JSON.stringify(built.problems.slice(0, 3))}`);
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const sizeMb = statSync(snapshot).size / 1024 / 1024;
  // The steady state of a server: after a while of traffic the OS page cache holds the snapshot
  // (when memory allows, as 24 GiB does 5 GB). Read through once, so that no row times a disk
  // whose cache was emptied since the last run (seen: not a page of the file resident, and two
  // rows of combined filters at 29 and 38 ms p95 instead of 6 and 13).
  const readThroughSeconds = readThrough(snapshot);
  const loadAtStart = loadavg()[0]!;
  const api = await startProcess([apiMain], { BACKCHANNEL_SNAPSHOT: snapshot, BACKCHANNEL_RESPONSE_CACHE: "off" }, 18790);
  // The API says when its warm-up (counts, names, lists, read in slices between requests) has ended.
  const warmed = new Promise<number | undefined>((resolve) => {
    const seen = (chunk: Buffer) => {
      const ms = /warmed in (\d+) ms/.exec(chunk.toString())?.[1];
      if (ms === undefined) return;
      api.child.stdout!.off("data", seen);
      resolve(Number(ms));
    };
    api.child.stdout!.on("data", seen);
    setTimeout(() => resolve(undefined), 120_000).unref();
  });
  const base = `http://127.0.0.1:${api.port}/api/v1`;
  // The first requests after start, as the first user meets them: right after "ready" (the
  // warm-up has only begun), and on a second API left idle for two seconds first.
  const firstRequests = async (at: string) => {
    const page = (await timed(`${at}/events?type=visit&topic=security&from=2015&to=2015&limit=50`)).ms;
    const name = (await timed(`${at}/actors/actor-000001?limit=1`)).body.name as string;
    return { page, search: (await timed(`${at}/search?q=${encodeURIComponent(name)}`)).ms };
  };
  const first = await firstRequests(base);
  const idle = await startProcess([apiMain], { BACKCHANNEL_SNAPSHOT: snapshot, BACKCHANNEL_RESPONSE_CACHE: "off" }, 18795);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const firstAfterIdle = await firstRequests(`http://127.0.0.1:${idle.port}/api/v1`);
  stop(idle.child);
  // The steady state: every row below is measured once the warm-up has ended (its time is a row of its own).
  const warmUpMs = await warmed;
  const runs = quick ? 40 : 100;
  const actors = Array.from({ length: runs }, (_, i) => `actor-${String((i * 7919) % SIZE.actors).padStart(6, "0")}`);
  const hubs = Array.from({ length: runs }, (_, i) => `actor-${String(i % 200).padStart(6, "0")}`);
  const names = await Promise.all(actors.slice(0, runs).map(async (id) => (await timed(`${base}/actors/${id}?limit=1`)).body.name as string));

  const measure = async (label: string, urls: string[]) => {
    const times: number[] = [];
    for (const url of urls) times.push((await timed(url)).ms);
    return { label, p50: percentile(times, 50), p95: percentile(times, 95) };
  };
  const results = [
    await measure("filtered `/events` page (one actor, 2010–2020, 50 rows)", actors.map((id) => `${base}/events?actor=${id}&from=2010&to=2020&limit=50`)),
    await measure("filtered `/events` page (a hub actor in thousands of events)", hubs.map((id) => `${base}/events?actor=${id}&limit=50`)),
    await measure("filtered `/events` page (type + topic + year)", hubs.map((_, i) => `${base}/events?type=visit&topic=security&from=${2000 + (i % 26)}&to=${2000 + (i % 26)}&limit=50`)),
    await measure("filtered `/events` page (type + topic + year, sorted by title or type)", hubs.map((_, i) => `${base}/events?type=visit&topic=security&from=${2000 + (i % 26)}&to=${2000 + (i % 26)}&sort=${["title", "-title", "type", "-type"][i % 4]}&limit=50`)),
    await measure("filtered `/events` pages (pairs and triples of type, topic, country, year, actor, place, source, status; every sort)", filterCombinations(runs).map((query) => `${base}/events?${query}&limit=50`)),
    await measure("`/events` page sorted by title (a type, 50 rows)", hubs.map((_, i) => `${base}/events?type=${["visit", "meeting", "statement", "airstrike", "praise"][i % 5]}&sort=${i % 2 ? "-title" : "title"}&limit=50`)),
    await measure("`/events` page sorted by type (a hub actor, 50 rows)", hubs.map((id, i) => `${base}/events?actor=${id}&sort=${i % 2 ? "-type" : "type"}&limit=50`)),
    await measure("`/facets` (no filter: one counting query)", Array.from({ length: quick ? 5 : 10 }, () => `${base}/facets`)),
    await measure("`/facets` (an actor, a type and a year: four counting queries)", hubs.map((id, i) => `${base}/facets?actor=${id}&type=visit&from=${2000 + (i % 26)}&to=${2000 + (i % 26)}`)),
    await measure("`/events` page (two actors, `actorMode=all`)", hubs.map((id, i) => `${base}/events?actor=${id}&actor=${hubs[(i + 1) % hubs.length]}&actorMode=all&limit=50`)),
    await measure("`/search` (a name, transliterated spelling)", names.map((name) => `${base}/search?q=${encodeURIComponent(name.replace(/a/, "aa").replace(/k/, "q"))}`)),
    await measure("`/timeline?bucket=month` (all events)", Array.from({ length: quick ? 5 : 10 }, () => `${base}/timeline?bucket=month`)),
    await measure("`/timeline?bucket=month` (one type)", ["visit", "meeting", "statement", "airstrike", "praise"].map((type) => `${base}/timeline?bucket=month&type=${type}`)),
  ];
  const walks: number[] = [];
  for (const topic of ["security", "gaza", "yemen", "trade", "nuclear-programme"].filter((t) => t !== "trade")) {
    const started = performance.now();
    let next: string | null = null;
    for (let page = 0; page < 10; page++) {
      const body: any = (await timed(`${base}/events?topic=${topic}&limit=50${next ? `&cursor=${next}` : ""}`)).body;
      next = body.page.next;
    }
    walks.push(performance.now() - started);
  }
  const rss = rssMb(api.child.pid!);
  const exportLines = lines.length;
  // `--skip-exports`: the scale table alone (the exports take minutes at a million events).
  if (!flag["skip-exports"]) await exportsUnderLoad(base, SIZE.events);
  const exportSection = lines.splice(exportLines); // printed after the scale table
  stop(api.child);
  say(
    `Snapshot built from NDJSON (validation with the shared schema included); API started over it with the response cache off, so every request runs its query; requests one at a time over keep-alive HTTP. Load average ${fmt(loadAtStart)} at the start, ${fmt(loadavg()[0]!)} at the end, on ${cpus().length} cores.`,
  );
  say();
  say("| measure | figure | goal |");
  say("|---|---|---|");
  say(`| snapshot build | ${reused ? "kept from an earlier build by this builder of the same data (\`--rebuild\` times it)" : `${fmt(buildSeconds)} s`} | — |`);
  say(`| snapshot size | ${fmt(sizeMb, 0)} MB | — |`);
  say(`| the snapshot's file read through before the API starts, as a server's page cache holds it after a while (about 1 s when the cache already holds it) | ${fmt(readThroughSeconds)} s | — |`);
  say(`| API start (spawn to listening, Node start-up included) | ${fmt(api.ms, 0)} ms | < 1000 ms |`);
  say(`| API RSS after the runs below | ${fmt(rss, 0)} MB | < 500 MB |`);
  say(`| warm-up after start (the counts, the actors' names, the lists' rowids, in slices between requests), then the rows below | ${warmUpMs === undefined ? "not reported within 120 s" : `${fmt(warmUpMs / 1000)} s`} | — |`);
  say(`| first filtered \`/events\` page (type + topic + year) right after start / after 2 s idle | ${fmt(first.page)} / ${fmt(firstAfterIdle.page)} ms | — |`);
  say(`| first \`/search\` (an actor's name) right after start / after 2 s idle | ${fmt(first.search)} / ${fmt(firstAfterIdle.search)} ms | — |`);
  for (const result of results) say(`| ${result.label}: p50 / p95 | ${fmt(result.p50)} / ${fmt(result.p95)} ms | ${result.label.includes("search") ? "p95 < 50 ms" : result.label.includes("timeline") || result.label.includes("facets") ? "< 300 ms" : "p95 < 20 ms"} |`);
  say(`| walking 10 pages of a topic (50 rows each): p50 / max of ${walks.length} walks | ${fmt(percentile(walks, 50))} / ${fmt(Math.max(...walks))} ms | — |`);
  say();
  lines.push(...exportSection);
}

/**
 * `count` queries of the filter pairs and triples users combine (type, topic, country, a year,
 * an actor, a place, a source, a status), each in one of the four sorts, cycling through them.
 */
function filterCombinations(count: number): string[] {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  const values: Record<string, (i: number) => string> = {
    type: (i) => `type=${["visit", "meeting", "statement", "airstrike", "praise", "mediated-talks"][i % 6]}`,
    topic: (i) => `topic=${["security", "gaza", "yemen", "nuclear-programme", "economy-and-trade", "maritime"][i % 6]}`,
    country: (i) => `country=${["IR", "OM", "US", "QA", "SA", "YE"][i % 6]}`,
    year: (i) => `from=${2000 + (i % 26)}&to=${2000 + (i % 26)}`,
    actor: (i) => `actor=actor-${pad(i % 2 ? (i * 13) % 200 : (i * 7919) % SIZE.actors, 6)}`,
    place: (i) => `place=place-${pad((i * 37) % SIZE.places, 5)}`,
    source: (i) => `source=source-${pad((i * 7919) % SIZE.sources, 6)}`,
    status: (i) => `status=${["occurred", "scheduled", "cancelled"][i % 3]}`,
  };
  const names = Object.keys(values);
  const sets: string[][] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      sets.push([names[a]!, names[b]!]);
      for (let c = b + 1; c < names.length; c++) sets.push([names[a]!, names[b]!, names[c]!]);
    }
  }
  const sorts = ["date", "-date", "title", "type"];
  return Array.from({ length: count }, (_, i) => {
    const set = sets[(i * 37) % sets.length]!;
    return `${set.map((name) => values[name]!(i)).join("&")}&sort=${sorts[i % sorts.length]}`;
  });
}

/** A worker's code: starts `count` exports of `url` at once, says so once all are admitted (headers in), then reads them to their end and posts each one's seconds. */
const EXPORT_READER = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const started = performance.now();
  const responses = await Promise.all(Array.from({ length: workerData.count }, () => fetch(workerData.url, { headers: { "accept-encoding": "identity" } })));
  parentPort.postMessage("admitted");
  const durations = await Promise.all(responses.map(async (response) => {
    for await (const _ of response.body);
    return performance.now() - started;
  }));
  parentPort.postMessage(durations);
})();
`;

/**
 * `/events?limit=50` (a type filter, so every request runs its query) timed one after another while
 * four CSV exports of every event stream to readers, plus what a fifth export is told.
 */
async function exportsUnderLoad(base: string, events: number) {
  const page = `${base}/events?limit=50&type=visit`;
  const quiet: number[] = [];
  for (let i = 0; i < 50; i++) quiet.push((await timed(page)).ms);
  // The four exports are read by a worker thread, uncompressed (as the CLI asks an API on its own
  // machine): read here, inflating 4 × 400 MB on this thread delayed the pages timed beside them,
  // and the figure measured this client rather than the server.
  const reader = new Worker(EXPORT_READER, { eval: true, workerData: { url: `${base}/events?format=csv`, count: 4 } });
  const admitted = new Promise<void>((resolve, reject) => {
    reader.once("message", () => resolve());
    reader.once("error", reject);
  });
  await admitted;
  const fifth = await fetch(`${base}/events?format=csv`);
  await fifth.arrayBuffer();
  let running = true;
  const drained = new Promise<number[]>((resolve, reject) => {
    reader.once("message", resolve);
    reader.once("error", reject);
  }).finally(() => (running = false));
  const during: number[] = [];
  while (running) during.push((await timed(page)).ms);
  const durations = await drained;
  await reader.terminate();
  const load = loadavg()[0]!;
  say(`### \`/events?limit=50\` during four concurrent CSV exports (${events.toLocaleString("en")} events each, read uncompressed by another thread)`);
  say();
  say(`Load average ${fmt(load)} on ${cpus().length} cores when it ended${load > cpus().length ? ": other work was sharing the machine, which inflates every figure here, the quiet one included" : ""}.`);
  say();
  say("| measure | figure | goal |");
  say("|---|---|---|");
  say(`| \`/events?limit=50&type=visit\`, no export running: p50 / p95 | ${fmt(percentile(quiet, 50))} / ${fmt(percentile(quiet, 95))} ms | — |`);
  say(`| the same page during four exports: p50 / p95 (${during.length} requests) | ${fmt(percentile(during, 50))} / ${fmt(percentile(during, 95))} ms | p95 < 100 ms |`);
  say(`| the four exports, each to its end | ${fmt(Math.min(...durations) / 1000)}–${fmt(Math.max(...durations) / 1000)} s | — |`);
  say(`| a fifth export meanwhile | ${fifth.status}, Retry-After ${fifth.headers.get("retry-after")} s | 429 |`);
  say();
}

/** `--exports`: only the export section, at a size that runs for seconds (50,000 events). */
async function exportsOnly() {
  const size: SyntheticSize = { events: 50_000, actors: 2_000, sources: 1_000, places: 500 };
  const data = join(work, `synthetic-${size.events}`);
  if (!existsSync(join(data, "events.ndjson"))) await generateSynthetic(data, size);
  const snapshot = join(work, `synthetic-${size.events}.sqlite`);
  const built = await buildSnapshot(data, snapshot);
  if (!built.ok) throw new Error("synthetic data does not build");
  const api = await startProcess([apiMain], { BACKCHANNEL_SNAPSHOT: snapshot, BACKCHANNEL_RESPONSE_CACHE: "off" }, 18791);
  await exportsUnderLoad(`http://127.0.0.1:${api.port}/api/v1`, size.events);
  stop(api.child);
  // Kept between markers, so a full run (which writes the whole file) and this one agree on where it goes.
  const file = join(root, "BENCHMARKS.md");
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  const section = `<!-- exports:start -->\n## Exports under load\n\nRun by \`npm run bench -- --exports\` on ${new Date().toISOString().slice(0, 10)}; the API with its response cache off, over a synthetic snapshot. Figures, not assertions.\n\n${lines.join("\n")}\n<!-- exports:end -->`;
  const at = previous.indexOf("<!-- exports:start -->");
  const end = previous.indexOf("<!-- exports:end -->");
  const web = previous.indexOf("<!-- web:start -->");
  const updated =
    at >= 0 && end > at
      ? `${previous.slice(0, at)}${section}${previous.slice(end + "<!-- exports:end -->".length)}`
      : web >= 0
        ? `${previous.slice(0, web)}${section}\n\n${previous.slice(web)}`
        : `${previous.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, updated);
}

async function main() {
  mkdirSync(work, { recursive: true });
  if (flag.exports) return exportsOnly();
  if (flag["scale-only"]) return scale();
  if (flag.varied) {
    const snapshot = join(work, "curated.sqlite");
    const built = await buildSnapshot(join(root, "data"), snapshot);
    if (!built.ok) throw new Error("the curated data does not build");
    return varied(snapshot);
  }
  say("# Benchmarks");
  say();
  say(`Run by \`npm run bench\`${quick ? " -- --quick" : ""} on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${fmt(totalmem() / 1024 ** 3, 0)} GiB, Node ${process.version}. Figures, not assertions; each run also prints them.`);
  say();
  await curated();
  await scale();
  for (const line of READING.split("\n")) say(line);
  say("## Reproduce");
  say();
  say("```sh");
  for (const line of USAGE) say(line);
  say("```");
  if (!quick) {
    // The dashboard's and the terminal's sections (from <!-- web:start --> on) are kept as they
    // are, and so is every other marked section this run does not write (the API's start, the
    // exports alone, the history of before-and-after tables): a full run replaces its own part only.
    const file = join(root, "BENCHMARKS.md");
    const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
    const web = previous.indexOf("<!-- web:start -->");
    const before = web >= 0 ? previous.slice(0, web) : previous;
    const kept = [...before.matchAll(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g)].map((match) => match[0]);
    writeFileSync(file, [lines.join("\n"), ...kept, ...(web >= 0 ? [previous.slice(web)] : [])].join("\n\n").replace(/\n*$/, "\n"));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
