#!/usr/bin/env node
// The README's commands start here: they must work from a clean clone on a machine
// with only Node and npm, so this script brings pnpm (pinned by packageManager),
// installs the workspace, then hands over to turbo or to a package's command.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { rebuildOnDataChange } from "./data-watch.mjs";
import { summarise, testedPackages } from "./test-summary.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", COREPACK_INTEGRITY_KEYS: "0", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };
// node-gyp must build native modules against the installed headers: it cannot download them.
const nodePrefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(nodePrefix, "include", "node"))) {
  env.npm_config_nodedir = nodePrefix;
}

function run(command, args, { quiet = false, cwd = root } = {}) {
  const result = spawnSync(command, args, { cwd: cwd ?? root, env, stdio: quiet ? "pipe" : "inherit" });
  if (result.error) {
    if (quiet) return 127; // a probe for a command that is not installed
    throw result.error;
  }
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

const snapshotPath = env.BACKCHANNEL_SNAPSHOT ?? join(".snapshot", "backchannel.sqlite");
env.BACKCHANNEL_SNAPSHOT = snapshotPath;

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/** The package folders a package needs, itself included, from its workspace dependencies. */
function localChain(dir, seen = new Set()) {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
  for (const [name, version] of Object.entries({ ...dependencies, ...devDependencies })) {
    if (!String(version).startsWith("workspace:")) continue;
    const short = name.replace("@backchannel/", "");
    localChain(existsSync(join(root, "packages", short)) ? join("packages", short) : join("apps", short), seen);
  }
  return seen;
}

/** Up to date when every package in the chain has a dist newer than its sources. */
function isBuilt(dir) {
  return [...localChain(dir)].every((pkg) => {
    // SvelteKit's adapter writes build/; tsc writes dist/.
    const dist = newest(join(root, pkg, existsSync(join(root, pkg, "svelte.config.js")) ? "build" : "dist"));
    return dist > 0 && dist >= newest(join(root, pkg, "src")) && dist >= newest(join(root, pkg, "package.json"));
  });
}

/** Builds a package and what it depends on, unless all of it is already built (a quick start). */
function build(pkg) {
  const dir = pkg.startsWith("@backchannel/") ? [join("packages", pkg.slice(13)), join("apps", pkg.slice(13))].find((d) => existsSync(join(root, d))) : pkg;
  if (!process.env.CI && isBuilt(dir)) return;
  step(pnpm(["exec", "turbo", "run", "build", `--filter=${pkg}...`, "--output-logs=errors-only"]), "build");
}

/**
 * Builds a package, then the snapshot unless it is current. The builder judges that: the snapshot
 * must match its checksum, and have been built from data/ as it is now (by content, not by
 * modification time) by this builder; a damaged or half-written one is rebuilt.
 */
function buildWithSnapshot(pkg) {
  build(pkg);
  step(run("node", ["packages/dataset/dist/cli.js", "snapshot", "data", snapshotPath, "--if-stale"]), "snapshot");
}

/**
 * Builds and serves the API (the command given, listening on PORT) and the dashboard beside it,
 * pointed at it; Ctrl-C stops both, and one stopping stops the other. A change to data/ is
 * rebuilt into the snapshot, which the API then serves.
 */
function serveWithDashboard(apiCommand, apiName) {
  buildWithSnapshot("@backchannel/api");
  build("@backchannel/web");
  const apiPort = env.PORT ?? "8787";
  env.BACKCHANNEL_API_URL ??= `http://127.0.0.1:${apiPort}`;
  env.WEB_PORT ??= "3000";
  env.WEB_HOST ??= "127.0.0.1";
  // Each server in a process group of its own: a Ctrl-C at the terminal reaches them only
  // through this script, in the order below, not both at once.
  const children = [
    spawn("node", apiCommand, { cwd: root, env, stdio: "inherit", detached: true }),
    spawn("node", ["apps/web/server.js"], { cwd: root, env, stdio: "inherit", detached: true }),
  ];
  const [api, web] = children;
  const running = (child) => child.exitCode === null && child.signalCode === null;
  const unwatch = rebuildOnDataChange({ root, dataDir: join(root, "data"), snapshot: snapshotPath, env });
  // Say where to go once both answer (the dashboard's theme link needs no data, the API's health check no page).
  const answers = (url) => fetch(url, { redirect: "manual" }).then((r) => r.status < 500, () => false);
  void (async () => {
    while (!((await answers(`${env.BACKCHANNEL_API_URL}/api/v1/healthz`)) && (await answers(`http://${env.WEB_HOST}:${env.WEB_PORT}/theme?set=system`)))) {
      await new Promise((wake) => setTimeout(wake, 200));
    }
    console.log(`\nBackchannel is ready: the dashboard on http://${env.WEB_HOST}:${env.WEB_PORT}, ${apiName} on ${env.BACKCHANNEL_API_URL}/api/v1 — Ctrl-C stops both`);
  })();
  // A stop signal goes to the dashboard first, and to the API once the dashboard is gone (below):
  // pages still rendering need the API to finish. Each server finishes what it began before it exits.
  // Past the dashboard's own shutdown deadline (WEB_SHUTDOWN_TIMEOUT, 30 s), the API is stopped anyway.
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    (running(web) ? web : api).kill(signal);
    setTimeout(() => running(api) && api.kill("SIGTERM"), ((Number(env.WEB_SHUTDOWN_TIMEOUT) || 30) + 5) * 1000).unref();
  };
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));
  // SIGHUP: the API reloads its snapshot (the cluster passes it to each process).
  process.on("SIGHUP", () => running(api) && api.kill("SIGHUP"));
  // One server gone means the product is down: stop the other, wait for both, and report the first failure.
  const exits = children.map((child) => new Promise((resolve) => child.on("exit", (code, signal) => {
    for (const other of children) if (other !== child && running(other)) other.kill("SIGTERM");
    resolve(code ?? (signal ? 1 : 0));
  })));
  return Promise.all(exits).then((codes) => (unwatch(), codes.find((code) => code !== 0) ?? 0));
}

// Written by the dashboard's browser tests when they found no Chromium to drive.
const browserTestsSkipped = join(root, "apps", "web", ".browser-tests-skipped");

const task = process.argv[2];
const rest = process.argv.slice(3);
const tasks = {
  // Builds everything, type-checks it, and runs every package's tests.
  test: () => {
    const packages = testedPackages(root);
    for (const { report } of packages) rmSync(report, { force: true }); // a stale report must not count
    rmSync(browserTestsSkipped, { force: true });
    const since = Date.now();
    const status = pnpm(["exec", "turbo", "run", "build", "typecheck", "test", "test:scripts", "--output-logs=errors-only", ...rest]);
    const summary = summarise(packages, { since, root });
    console.log(["", ...summary.lines].join("\n"));
    if (existsSync(browserTestsSkipped)) {
      console.warn("⚠ No Chromium was found: the dashboard's browser tests were SKIPPED. Install it (apt-get install chromium) or set CHROMIUM_PATH; CI does.");
    }
    if (run("tmux", ["-V"], { quiet: true }) !== 0) {
      console.warn("⚠ tmux is not installed: the terminal UI's end-to-end test was SKIPPED. Install it (apt-get install tmux) to run it; CI does.");
    }
    if (run("haproxy", ["-v"], { quiet: true }) !== 0 && run("/usr/sbin/haproxy", ["-v"], { quiet: true }) !== 0) {
      console.warn("⚠ HAProxy is not installed: the cluster's test (npm run serve:cluster) was SKIPPED. Install it (apt-get install haproxy) to run it; CI does.");
    }
    console.log(summary.counts);
    // turbo's status covers a failed task (and what it then left undone); the reports, a failure it missed.
    return status || (summary.failed ? 1 : 0);
  },
  // The product: the checked dataset's snapshot, served by the API, and the dashboard beside it.
  start: () => {
    step(tasks["data:check"](), "data:check");
    return serveWithDashboard(["apps/api/dist/main.js"], "the API");
  },
  // The same behind a load balancer: N API processes (--processes N, default the cores) behind
  // HAProxy on PORT, the dashboard pointed at the balancer (docs/deploy.md).
  "serve:cluster": () => serveWithDashboard(["apps/api/dist/serve/cluster-main.js", ...rest], "the balancer"),
  // The slow tests: load and injected faults against the built servers (bounded to a few minutes).
  "test:faults": () => {
    build("@backchannel/api");
    build("@backchannel/web");
    return pnpm(["--filter", "@backchannel/api", "run", "test:faults", ...rest]);
  },
  // The built API under a mixed load for 10 minutes (--minutes M, --seconds S), its RSS sampled: scripts/soak.mjs.
  soak: () => {
    build("@backchannel/api");
    return run("node", ["scripts/soak.mjs", ...rest]);
  },
  // The API's throughput and scale, then the JavaScript each dashboard page ships and its pages' speed,
  // then the terminal's exports and start-up (over the snapshots the API's run leaves in .bench/).
  bench: () => {
    build("@backchannel/tui");
    if (rest.includes("--startup")) return run("node", ["apps/tui/bench/run.mjs", ...rest]); // the terminal's start-up alone
    build("@backchannel/web");
    const status = run("node", ["apps/api/dist/bench/run.js", ...rest]);
    // One of the API's sections alone, or its usage: the dashboard's and the terminal's benches are not run.
    if (["--exports", "--varied", "--scale-only", "--help", "-h"].some((flag) => rest.includes(flag))) return status;
    return status || run("node", ["apps/web/bench/js-size.mjs", ...rest]) || run("node", ["apps/web/bench/pages.mjs", ...rest]) || run("node", ["apps/tui/bench/run.mjs", ...rest]) || run("node", ["apps/tui/bench/curation.mjs", ...rest]);
  },
  // Lighthouse over the dashboard's pages; writes its table into BENCHMARKS.md.
  "audit:web": () => {
    build("@backchannel/web");
    return run("node", ["apps/web/bench/lighthouse.mjs", ...rest]);
  },
  // The curator's assistant on an article: `npm run draft -- FILE --published YYYY-MM-DD [--out drafts/]`.
  draft: () => {
    build("@backchannel/tui");
    return run("node", ["apps/tui/dist/cli.js", "draft", ...rest], { cwd: process.env.INIT_CWD });
  },
  // The assistant scored leave-one-source-out on the source articles; prints the table, writes EVAL.md.
  eval: () => {
    build("@backchannel/curation");
    return run("node", ["packages/curation/dist/eval-cli.js", root, ...rest]);
  },
  api: () => {
    buildWithSnapshot("@backchannel/api");
    // Signals are passed on (SIGTERM: finish and stop, SIGHUP: reload), so the API never outlives this script.
    const api = spawn("node", ["apps/api/dist/main.js"], { cwd: root, env, stdio: "inherit", detached: true });
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => api.exitCode === null && api.kill(signal));
    return new Promise((resolve) => api.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  },
  // The terminal UI over the local snapshot; any arguments go to it (e.g. --api URL). It runs in
  // this process rather than a new one: opening fast is part of its contract.
  tui: async () => {
    buildWithSnapshot("@backchannel/tui");
    process.env.BACKCHANNEL_SNAPSHOT = join(root, snapshotPath);
    process.argv = [process.argv[0], join(root, "apps/tui/dist/cli.js"), ...rest];
    await import(pathToFileURL(join(root, "apps/tui/dist/cli.js")).href);
    return process.exitCode ?? 0;
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
// Install unless the last successful install is newer than the lockfile and every manifest
// (pnpm leaves its own files untouched when nothing changed, so we keep a stamp of our own).
const stamp = join(root, "node_modules", ".backchannel-installed");
const installed = newest(stamp);
const manifests = Math.max(newest(join(root, "pnpm-lock.yaml")), newest(join(root, "package.json")), ...["packages", "apps"].flatMap((group) =>
  existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => newest(join(root, group, name, "package.json"))) : []));
if (process.env.CI || task === "test" || installed < manifests) {
  step(pnpm(["install", ...(process.env.CI ? ["--frozen-lockfile"] : []), "--reporter=append-only"]), "pnpm install");
  writeFileSync(stamp, new Date().toISOString());
}
process.exit(await tasks[task]());
