#!/usr/bin/env node
/**
 * `npm run soak [-- --minutes 10]`: the built API under a mixed load for a while, its resident
 * memory sampled from /proc as it goes. The promise (RELIABILITY.md): after the first minute
 * (caches filling, code warming up) RSS stays flat within 10 %, judged minute by minute (the mean
 * of each minute against the first's: a garbage collection moves single samples more than that),
 * and nothing fails.
 *
 * The load, all at once: keep-alive readers walking varied URLs (lists with filter combinations,
 * pages by cursor, records by id, searches that match and that match nothing, timelines,
 * networks, facets, health checks); exports in CSV and NDJSON, some read to the
 * end and some dropped midway; and idle sockets that open, send nothing and are reopened when
 * the server closes them.
 *
 * Options: --minutes M (10) or --seconds S; --warmup S (60: RSS is judged against the sample at
 * this mark); --tolerance P (10); --every S (2: the sampling interval); --readers N (6);
 * --exporters N (2); --idle N (200); --snapshot PATH (default: a synthetic 50,000-event
 * snapshot, generated into .faults/ on first use and kept); --json (the summary as one JSON line).
 * Exit status: 0 within the tolerance with no failures, 1 otherwise.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { connect, createServer } from "node:net";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { values: options } = parseArgs({
  options: {
    minutes: { type: "string" },
    seconds: { type: "string" },
    warmup: { type: "string", default: "60" },
    tolerance: { type: "string", default: "10" },
    every: { type: "string", default: "2" },
    readers: { type: "string", default: "6" },
    exporters: { type: "string", default: "2" },
    idle: { type: "string", default: "200" },
    snapshot: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

function number(name, value, { min = 0, max = Infinity } = {}) {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    console.error(`soak: --${name} takes a number from ${min} to ${max}, not "${value}"`);
    process.exit(2);
  }
  return parsed;
}
const durationMs = 1000 * (options.seconds !== undefined ? number("seconds", options.seconds, { min: 1, max: 86_400 }) : 60 * number("minutes", options.minutes ?? "10", { min: 0.02, max: 1440 }));
const warmupMs = Math.min(1000 * number("warmup", options.warmup), durationMs / 2);
const tolerance = number("tolerance", options.tolerance, { max: 1000 }) / 100;
const everyMs = 1000 * number("every", options.every, { min: 0.1, max: 600 });
const readers = number("readers", options.readers, { max: 1000 });
const exporters = number("exporters", options.exporters, { max: 4 }); // the API runs 4 exports at once
const idleSockets = number("idle", options.idle, { max: 5000 });
const say = options.json ? () => {} : (line) => console.log(line);

/** The synthetic snapshot the fault tests use (.faults/), built from the benchmark's generator. */
async function syntheticSnapshot() {
  const work = join(root, ".faults");
  const data = join(work, "synthetic-50000");
  const snapshot = join(work, "synthetic-50000.sqlite");
  if (existsSync(snapshot)) return snapshot;
  mkdirSync(work, { recursive: true });
  say("soak: generating a synthetic snapshot of 50,000 events into .faults/ (once)…");
  const { generateSynthetic } = await import(pathToFileURL(join(root, "apps/api/dist/bench/generate.js")).href);
  const { buildSnapshot } = await import(pathToFileURL(join(root, "packages/dataset/dist/index.js")).href);
  if (!existsSync(join(data, "events.ndjson"))) await generateSynthetic(data, { events: 50_000, actors: 2_000, sources: 1_000, places: 500 });
  const built = await buildSnapshot(data, snapshot);
  if (!built.ok) throw new Error("the synthetic data does not build");
  return snapshot;
}

async function freePort() {
  const server = createServer();
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address();
  await new Promise((closed) => server.close(closed));
  return port;
}

/** Starts the built API on a free port; resolves once it says it listens. */
async function startApi(snapshot) {
  const child = spawn(process.execPath, [join(root, "apps/api/dist/main.js")], {
    env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot, PORT: String(await freePort()), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const look = (chunk) => {
      output += chunk;
      const listening = /Backchannel API on http:\/\/[^:]+:(\d+)/.exec(output);
      if (listening) resolve({ child, port: Number(listening[1]), output: () => output });
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("exit", (code) => reject(new Error(`the API exited with ${code} before it listened:\n${output}`)));
  });
}

/** Resident memory in MB: all of it, and the anonymous part (the heap; the rest is mostly the snapshot's mapped pages). */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]) / 1024;
  return { rss: field("VmRSS"), anon: field("RssAnon") };
}

const counts = { requests: 0, byStatus: {}, failures: 0, exportsWhole: 0, exportsDropped: 0, exportsRefused: 0, idleOpened: 0 };
const failures = [];
function fail(what) {
  counts.failures++;
  if (failures.length < 20 && !failures.includes(what)) failures.push(what);
}

/** One GET; resolves with the status once the body is read (or dropped after `dropAfter` bytes). */
function get(port, path, agent, dropAfter = Infinity) {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
      let bytes = 0;
      response.on("data", (chunk) => {
        bytes += chunk.length;
        if (bytes > dropAfter) {
          resolve({ status: response.statusCode, dropped: true }); // before destroy(), which says "aborted" at once
          response.destroy();
        }
      });
      response.on("end", () => resolve({ status: response.statusCode, complete: response.complete, body: bytes }));
      response.on("error", () => {});
      response.on("aborted", () => resolve({ status: response.statusCode, aborted: true }));
    });
    request.on("error", (error) => resolve({ error: error.code ?? error.message }));
  });
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const junk = () => Math.random().toString(36).slice(2, 2 + 1 + Math.floor(Math.random() * 10));

async function main() {
  const snapshot = options.snapshot ?? (await syntheticSnapshot());
  const api = await startApi(snapshot);
  const base = `/api/v1`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: readers });
  const json = async (path) => JSON.parse(await new Promise((resolve, reject) => http.get({ host: "127.0.0.1", port: api.port, path }, (r) => { let text = ""; r.on("data", (c) => (text += c)); r.on("end", () => resolve(text)); }).on("error", reject)));
  // Real ids and vocabularies to vary the URLs over, read from the API itself.
  const [events, actors, sources, places, facets] = await Promise.all(["events", "actors", "sources", "places"].map((kind) => json(`${base}/${kind}?limit=200`)).concat(json(`${base}/facets`)));
  const ids = { events: events.data.map((r) => r.id), actors: actors.data.map((r) => r.id), sources: sources.data.map((r) => r.id), places: places.data.map((r) => r.id) };
  const vocab = (name) => (facets.facets[name] ?? []).map((f) => f.value);
  const types = vocab("type");
  const topics = vocab("topic");
  const names = actors.data.map((actor) => actor.name.split(" ")[0]);
  const year = () => String(1990 + Math.floor(Math.random() * 37));
  const cursors = [["events", events.page?.next], ["actors", actors.page?.next], ["sources", sources.page?.next]].filter(([, cursor]) => cursor);

  const filters = () => {
    const query = new URLSearchParams();
    if (Math.random() < 0.5 && types.length) query.append("type", pick(types));
    if (Math.random() < 0.3 && topics.length) query.append("topic", pick(topics));
    if (Math.random() < 0.4) query.append("actor", pick(ids.actors));
    if (Math.random() < 0.3) query.set("from", year());
    if (Math.random() < 0.2) query.set("q", pick(names));
    return query;
  };
  const readerPaths = [
    () => `${base}/events?${filters()}&limit=${pick([10, 20, 50])}&sort=${pick(["date", "-date"])}`,
    () => `${base}/events/${encodeURIComponent(pick(ids.events))}`,
    () => `${base}/actors/${encodeURIComponent(pick(ids.actors))}`,
    () => `${base}/sources/${encodeURIComponent(pick(ids.sources))}`,
    () => `${base}/places/${encodeURIComponent(pick(ids.places))}`,
    () => `${base}/actors?limit=50${Math.random() < 0.5 ? `&q=${encodeURIComponent(pick(names))}` : ""}`,
    () => `${base}/search?q=${encodeURIComponent(Math.random() < 0.6 ? pick(names) : `zq${junk()}`)}`,
    () => `${base}/timeline?bucket=${pick(["year", "month"])}&${filters()}`,
    () => `${base}/network?actor=${encodeURIComponent(pick(ids.actors))}`,
    () => `${base}/facets?${filters()}`,
    () => {
      if (!cursors.length) return `${base}/meta`;
      const [kind, cursor] = pick(cursors);
      return `${base}/${kind}?limit=200&cursor=${encodeURIComponent(cursor)}`;
    },
    () => `${base}/healthz`,
    () => `${base}/meta`,
  ];

  const started = performance.now();
  const deadline = started + durationMs;
  const running = () => performance.now() < deadline;
  const note = (path, result, { exporting = false } = {}) => {
    counts.requests++;
    if (result.error) return fail(`${path}: ${result.error}`);
    counts.byStatus[result.status] = (counts.byStatus[result.status] ?? 0) + 1;
    if (exporting && result.status === 429) return counts.exportsRefused++;
    if (result.status >= 500) return fail(`${path}: ${result.status}`);
    if (result.status !== 200 && result.status !== 404) return fail(`${path}: unexpected ${result.status}`);
    if (result.aborted || (!result.dropped && !result.complete)) return fail(`${path}: the answer was cut short`);
  };

  const samples = [];
  const sample = () => samples.push({ at: performance.now() - started, ...memoryOf(api.child.pid) });
  sample();
  const sampler = setInterval(sample, everyMs);

  // Idle sockets: opened, silent, reopened when the server closes them (after 15 s of silence).
  const idle = new Set();
  const openIdle = () => {
    if (!running()) return;
    const socket = connect(api.port, "127.0.0.1");
    counts.idleOpened++;
    idle.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => {
      idle.delete(socket);
      setTimeout(openIdle, 100 + Math.random() * 900);
    });
  };
  for (let i = 0; i < idleSockets; i++) openIdle();

  const readerLoops = Array.from({ length: readers }, async () => {
    while (running()) {
      const path = pick(readerPaths)();
      note(path, await get(api.port, path, agent));
    }
  });
  const exportLoops = Array.from({ length: exporters }, async () => {
    while (running()) {
      const format = pick(["csv", "ndjson"]);
      const query = filters();
      query.set("format", format);
      const path = `${base}/events?${query}`;
      // One in three readers hangs up midway through the export.
      const drop = Math.random() < 1 / 3;
      const result = await get(api.port, path, false, drop ? 64 * 1024 : Infinity);
      note(path, result, { exporting: true });
      if (result.dropped) counts.exportsDropped++;
      else if (result.status === 200 && result.complete) counts.exportsWhole++;
    }
  });
  await Promise.all([...readerLoops, ...exportLoops]);
  clearInterval(sampler);
  sample();
  for (const socket of idle) socket.destroy();
  agent.destroy();
  api.child.kill("SIGTERM");
  const exit = await new Promise((resolve) => (api.child.exitCode !== null ? resolve(api.child.exitCode) : api.child.on("exit", (code) => resolve(code))));

  const afterWarmup = samples.filter((s) => s.at >= warmupMs);
  const mark = afterWarmup[0] ?? samples.at(-1);
  const end = samples.at(-1);
  const max = Math.max(...samples.map((s) => s.rss));
  const maxAfter = Math.max(...afterWarmup.map((s) => s.rss));
  const minAfter = Math.min(...afterWarmup.map((s) => s.rss));
  // The heap's garbage collection saws RSS up and down by tens of MB within seconds; growth shows in
  // the level over a window. So: the mean RSS of each window (a minute, or a third of a short run)
  // after the warm-up, each within the tolerance of the first window's.
  const windowMs = Math.min(60_000, (durationMs - warmupMs) / 3);
  const windows = [];
  for (let from = warmupMs; from + windowMs <= durationMs + everyMs; from += windowMs) {
    const inWindow = afterWarmup.filter((s) => s.at >= from && s.at < from + windowMs);
    if (inWindow.length === 0) continue;
    const mean = (key) => inWindow.reduce((sum, s) => sum + s[key], 0) / inWindow.length;
    windows.push({ fromSeconds: Math.round(from / 1000), meanMb: Math.round(mean("rss")), anonymousMeanMb: Math.round(mean("anon")), minMb: Math.round(Math.min(...inWindow.map((s) => s.rss))), maxMb: Math.round(Math.max(...inWindow.map((s) => s.rss))) });
  }
  const first = windows[0]?.meanMb ?? mark.rss;
  const widest = Math.max(0, ...windows.map((w) => Math.abs(w.meanMb - first) / first));
  const flat = widest <= tolerance;
  const passed = flat && counts.failures === 0 && exit === 0;
  const summary = {
    seconds: Math.round(durationMs / 1000),
    warmupSeconds: Math.round(mark.at / 1000),
    rssStartMb: Math.round(samples[0].rss),
    rssAtWarmupMb: Math.round(mark.rss),
    rssEndMb: Math.round(end.rss),
    rssMaxMb: Math.round(max),
    rssAfterWarmupMb: [Math.round(minAfter), Math.round(maxAfter)],
    anonymousAtWarmupMb: Math.round(mark.anon),
    anonymousEndMb: Math.round(end.anon),
    windows,
    widestDeviationPercent: Number((100 * widest).toFixed(1)),
    tolerancePercent: tolerance * 100,
    samples: samples.length,
    ...counts,
    failures: counts.failures,
    firstFailures: failures,
    apiExit: exit,
    loadAverage: loadavg().map((n) => Number(n.toFixed(1))),
    passed,
  };
  if (options.json) console.log(JSON.stringify(summary));
  else {
    say(`soak: ${summary.seconds} s against the API over ${snapshot}`);
    say(`  requests ${counts.requests} (${Object.entries(counts.byStatus).map(([status, n]) => `${n} × ${status}`).join(", ")}); failures ${counts.failures}`);
    say(`  exports read whole ${counts.exportsWhole}, dropped midway ${counts.exportsDropped}, refused (429) ${counts.exportsRefused}; idle sockets opened ${counts.idleOpened} (${idleSockets} held at a time)`);
    say(`  RSS: ${summary.rssStartMb} MB at the start, ${summary.rssAtWarmupMb} MB at ${summary.warmupSeconds} s, ${summary.rssEndMb} MB at the end, ${summary.rssMaxMb} MB at most; after ${summary.warmupSeconds} s between ${minAfter.toFixed(0)} and ${maxAfter.toFixed(0)} MB`);
    say(`  mean RSS per ${(windowMs / 1000).toFixed(0)} s after the warm-up (min–max; mean anonymous): ${windows.map((w) => `${w.fromSeconds} s ${w.meanMb} (${w.minMb}–${w.maxMb}; ${w.anonymousMeanMb}) MB`).join(", ")}`);
    say(`  the widest window mean is ${summary.widestDeviationPercent} % from the first's (tolerance ${summary.tolerancePercent} %)`);
    const step = Math.max(1, Math.round(samples.length / 12));
    say(`  RSS over time (of which anonymous): ${samples.filter((_, i) => i % step === 0 || i === samples.length - 1).map((s) => `${(s.at / 1000).toFixed(0)} s ${s.rss.toFixed(0)} (${s.anon.toFixed(0)}) MB`).join(", ")}`);
    for (const failure of failures) say(`  failed: ${failure}`);
    say(`  the API exited with ${exit} on SIGTERM; load average ${summary.loadAverage.join(" / ")}`);
    say(passed ? "soak: PASSED" : `soak: FAILED${flat ? "" : " (RSS not flat)"}${counts.failures ? " (requests failed)" : ""}${exit !== 0 ? " (the API did not exit 0)" : ""}`);
  }
  return passed ? 0 : 1;
}

main().then(
  (status) => process.exit(status),
  (error) => {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
