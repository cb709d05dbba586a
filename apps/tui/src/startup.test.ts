// The built binary loads only what the command it runs needs: start-up is mostly loading code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { curatedSnapshot } from "../test/harness.js";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const binary = join(app, "dist/cli.js");
const snapshot = curatedSnapshot();

// A module hook that reports every file Node loads as an ES module (the bundle's chunks among them).
const hooks = mkdtempSync(join(tmpdir(), "backchannel-startup-"));
writeFileSync(join(hooks, "hooks.mjs"), 'export async function load(url, context, next) { if (url.startsWith("file:")) process._rawDebug(`loaded ${url}`); return next(url, context); }\n');
writeFileSync(join(hooks, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(hooks, "hooks.mjs")).href)});\n`);

/** The sources in each file of the bundle, from the metafile the build writes beside it. */
const bundled = JSON.parse(readFileSync(join(app, "dist/bundle-meta.json"), "utf8")) as Record<string, { inputs: Record<string, unknown> }>;

/** The package a source file belongs to: `zod`, `@hono/zod-openapi`, `@backchannel/api`… */
function packageOf(path: string): string {
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return dependency[1]!;
  const workspace = /(?:^|\/)(?:apps|packages)\/([^/]+)\//.exec(path);
  return workspace ? `@backchannel/${workspace[1]}` : path;
}

/** The packages whose code a run of the binary with `args` loaded. */
function packagesLoaded(...args: string[]): Set<string> {
  const run = spawnSync(process.execPath, ["--import", join(hooks, "register.mjs"), binary, ...args], {
    encoding: "utf8",
    env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot },
  });
  expect(run.status, run.stderr).toBe(0);
  const files = [...run.stderr.matchAll(/^loaded (file:\S+)$/gm)].map((match) => fileURLToPath(match[1]!));
  const sources = files.flatMap((file) => {
    const inBundle = bundled[relative(app, file)];
    return inBundle ? Object.keys(inBundle.inputs).map((input) => join(app, input)) : [file];
  });
  return new Set(sources.map(packageOf));
}

// The schema package's zod-free labels (sort keys, words) may load; its schemas bring zod, listed here.
const DATA = ["@backchannel/api", "zod", "hono", "@hono/zod-openapi", "better-sqlite3"];
const SCREEN = ["ink", "react-reconciler", "yoga-layout", "@inkjs/ui"];

describe("what each command loads", () => {
  it.each(["--help", "--version", "events --help"])("`backchannel %s` loads the command line alone: no data, no screen", (args) => {
    const loaded = packagesLoaded(...args.split(" "));
    expect(loaded).toContain("commander");
    for (const heavy of [...DATA, ...SCREEN]) expect(loaded).not.toContain(heavy);
  });

  it("a list loads the API and SQLite, and nothing of the full-screen view", () => {
    const loaded = packagesLoaded("events", "--limit", "3");
    for (const needed of ["@backchannel/api", "better-sqlite3"]) expect(loaded).toContain(needed);
    for (const screen of SCREEN) expect(loaded).not.toContain(screen);
  });
});
