#!/usr/bin/env node
// The dashboard under load and page by page. Writes its section of BENCHMARKS.md.
// 1. ~200 distinct pages (every actor's events, every year and type, every event, actor and
//    place page), first render (cold) and then served at 10 connections, against a bare
//    node:http server holding every page, in the same run.
// 2. Each kind of page's server time, rendered every time (page cache off) and kept, at the
//    curated 55 events and at 1,000,000 (the API benchmark's synthetic snapshot in .bench/).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { buildSnapshot, freePort, root, startStack } from "../scripts/stack.mjs";

const quick = process.argv.includes("--quick");
const DURATION = quick ? 4 : 10;
const REPEATS = quick ? 7 : 15;
const MILLION = join(root, ".bench", "synthetic-1000000.sqlite");

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value) => value.toFixed(value < 10 ? 1 : 0);

/** One GET, body read whole; the time from sending to the last byte. */
function timed(base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(new URL(path, base), { headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ ms: performance.now() - started, status: response.statusCode, type: response.headers["content-type"], body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function api(stack, path) {
  const response = await fetch(`${stack.api}/api/v1${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

/** Every actor's events, every year and type, every event, actor and place page. */
async function distinctPages(stack) {
  const [actors, events, places, facets] = await Promise.all([api(stack, "/actors?limit=500"), api(stack, "/events?limit=500"), api(stack, "/places?limit=500"), api(stack, "/facets?size=100")]);
  return [
    ...actors.data.map((a) => `/events?actor=${a.id}`),
    ...facets.facets.year.map((y) => `/events?from=${y.value}&to=${y.value}`),
    ...facets.facets.type.map((t) => `/events?type=${t.value}`),
    ...events.data.map((e) => `/events/${e.id}`),
    ...actors.data.map((a) => `/actors/${a.id}`),
    ...places.data.map((p) => `/places/${p.id}`),
  ];
}

/** autocannon at 10 connections, cycling through the paths. */
function load(base, paths) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base, connections: 10, duration: DURATION, requests: paths.map((path) => ({ method: "GET", path })) }, (error, result) => {
      if (error) reject(error);
      else resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx });
    });
  });
}

async function startBare(pages) {
  const file = join(mkdtempSync(join(tmpdir(), "backchannel-bare-")), "pages.json");
  writeFileSync(file, JSON.stringify(Object.fromEntries(pages.map(({ path, type, body }) => [path, { type, body: body.toString("base64") }]))));
  const port = await freePort();
  const child = spawn("node", [join(root, "apps/api/dist/bench/bare-server.js"), file], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve) => child.stdout.once("data", resolve));
  return { base: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}

async function throughput() {
  const stack = await startStack({ snapshot: buildSnapshot(join(root, "data")) });
  try {
    const paths = await distinctPages(stack);
    // Cold: the first render of each page, one at a time.
    const cold = [];
    for (const path of paths) cold.push(await timed(stack.web, path));
    const failed = cold.filter((answer) => answer.status !== 200);
    if (failed.length) throw new Error(`${failed.length} pages failed`);
    const bare = await startBare(paths.map((path, i) => ({ path, type: cold[i].type, body: cold[i].body })));
    try {
      const dashboard = await load(stack.web, paths);
      const upper = await load(bare.base, paths);
      return { count: paths.length, cold: cold.map((answer) => answer.ms), dashboard, bare: upper };
    } finally {
      bare.stop();
    }
  } finally {
    stack.stop();
  }
}

async function samplePages(stack) {
  const [events, actors] = await Promise.all([api(stack, "/events?limit=20&sort=-date"), api(stack, "/actors?limit=1")]);
  const event = events.data.find((e) => e.places.length && e.citations.length) ?? events.data[0];
  return [
    ["overview", "/"],
    ["events", "/events"],
    ["event", `/events/${event.id}`],
    ["actor", `/actors/${event.participants[0]?.actor ?? actors.data[0].id}`],
    ["source", `/sources/${event.citations[0].source}`],
    ["place", `/places/${event.places[0]}`],
    ["map", "/map"],
    ["network", "/network"],
    ["search", `/search?q=${encodeURIComponent(event.participants[0]?.name?.split(" ")[0] ?? "talks")}`],
  ];
}

/** Each page's server time: rendered every time (API response cache and page cache off), and kept. */
async function serverTimes(snapshot) {
  const rendering = await startStack({ snapshot, apiEnv: { BACKCHANNEL_RESPONSE_CACHE: "off" }, webEnv: { BACKCHANNEL_PAGE_CACHE_MB: "0" } });
  const rows = [];
  try {
    const kept = await startStack({ apiUrl: rendering.api });
    try {
      for (const [name, path] of await samplePages(rendering)) {
        const times = { rendered: [], kept: [] };
        for (let i = 0; i < REPEATS; i++) {
          times.rendered.push((await timed(rendering.web, path)).ms);
          times.kept.push((await timed(kept.web, path)).ms);
        }
        // The kept figure leaves out the first request (the render that fills the cache).
        times.kept.shift();
        rows.push({ name, path, rendered: times.rendered, kept: times.kept });
      }
    } finally {
      kept.stop();
    }
  } finally {
    rendering.stop();
  }
  return rows;
}

const lines = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};

const load55 = await throughput();
const times55 = await serverTimes(buildSnapshot(join(root, "data")));
const timesMillion = existsSync(MILLION) ? await serverTimes(MILLION) : null;

say("## Dashboard: pages under load and page by page");
say();
say(`Run by \`npm run bench\` (apps/web/bench/pages.mjs${quick ? ", --quick" : ""}) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}. Figures, not assertions. The dashboard, the API and the bare server each run in their own process on this machine, beside autocannon.`);
say();
say(`### ${load55.count} distinct pages at 10 connections (${DURATION} s each, same run)`);
say();
say("Every actor's events, every year and every type of event, every event, actor and place page, over the curated data. The bare server is node:http holding each page's bytes, answered by URL: the upper bound.");
say();
say("| server | pages/s | p50 / p99 (ms) | ÷ bare |");
say("|---|---|---|---|");
say(`| bare node:http, every page in memory | ${load55.bare.rps.toFixed(0)} | ${load55.bare.p50} / ${load55.bare.p99} | 1 |`);
say(`| dashboard, each page rendered once | ${load55.dashboard.rps.toFixed(0)} | ${load55.dashboard.p50} / ${load55.dashboard.p99} | **${(load55.dashboard.rps / load55.bare.rps).toFixed(2)}** |`);
say();
say(`Cold, the first render of each of the ${load55.count} pages, one at a time: median ${ms(percentile(load55.cold, 50))} ms, p95 ${ms(percentile(load55.cold, 95))} ms, slowest ${ms(Math.max(...load55.cold))} ms (${(load55.cold.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s for all).${load55.dashboard.non2xx ? ` ${load55.dashboard.non2xx} answers were not 2xx.` : ""}`);
say();
say("Goal: ≥ 0.25 of the bare server once each page has been rendered, p99 under 50 ms.");
say();
say("### Server time per page");
say();
say(`One request at a time, ${REPEATS} each, time to the last byte. "Rendered" is every request rendered (the dashboard's page cache and the API's response cache off: the full path of a first visit); "kept" is a repeat visit answered from the page cache.`);
say();
say(`| page | 55 events: rendered p50 / p95 (ms) | 55 events: kept p50 / p95 (ms) | ${timesMillion ? "1,000,000 events: rendered p50 / p95 (ms) | 1,000,000 events: kept p50 / p95 (ms)" : "1,000,000 events"} |`);
say(`|---|---|---|${timesMillion ? "---|---|" : "---|"}`);
for (const [i, row] of times55.entries()) {
  const million = timesMillion?.[i];
  const cell = (values) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;
  say(`| ${row.name} | ${cell(row.rendered)} | ${cell(row.kept)} | ${million ? `${cell(million.rendered)} | ${cell(million.kept)}` : "not run: build .bench/synthetic-1000000.sqlite with `npm run bench` first"} |`);
}
say();

const section = `<!-- web-pages:start -->\n${lines.join("\n")}\n<!-- web-pages:end -->`;
if (!quick) {
  const file = join(root, "BENCHMARKS.md");
  const current = readFileSync(file, "utf8");
  const start = current.indexOf("<!-- web-pages:start -->");
  const end = current.indexOf("<!-- web-pages:end -->");
  writeFileSync(file, start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + "<!-- web-pages:end -->".length) : `${current.trimEnd()}\n\n${section}\n`);
}
