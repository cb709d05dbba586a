#!/usr/bin/env node
/**
 * The `backchannel` binary as a bundle (run by `build` after tsc): start-up was mostly Node
 * resolving, reading and linking some 400 modules (zod, hono, Ink, React and our own), and React
 * in its development build. One file per command path instead: dist/cli.js holds what every run
 * needs (commander and the program), and each `await import()` of a command becomes a chunk of its
 * own, so `--help` still loads only the first and a list never loads Ink.
 *
 * Left outside the bundle, loaded from their packages as before: better-sqlite3 (native), the
 * dataset package and the curator's assistant (they find their files from their own location).
 */
import { build } from "esbuild";
import { chmodSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
for (const name of readdirSync(dist)) if (name.startsWith("chunk-")) rmSync(join(dist, name));

/** Relative imports that stay separate modules: tsc's output beside the bundle. */
const keptApart = ["./curation/commands.js"];

const { metafile } = await build({
  absWorkingDir: here,
  entryPoints: { cli: join(here, "src/cli.tsx") },
  outdir: dist,
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  jsx: "automatic",
  allowOverwrite: true,
  legalComments: "none",
  // React and its reconciler pick their production build by this; the terminal is production.
  define: { "process.env.NODE_ENV": '"production"' },
  // react-devtools-core: Ink imports it only with DEV=true, and it is not installed.
  external: ["react-devtools-core", "better-sqlite3", "@backchannel/curation"],
  plugins: [
    {
      name: "kept-apart",
      setup(bundler) {
        bundler.onResolve({ filter: /^\.\/curation\// }, (args) => (keptApart.includes(args.path) ? { path: args.path, external: true } : undefined));
        // The dataset package's root finds its builder's files from its own location; its
        // subpaths (names, layout, verify: what the API uses) are bundled. External would take both.
        bundler.onResolve({ filter: /^@backchannel\/dataset$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  metafile: true,
  logLevel: "warning",
  logOverride: { "duplicate-object-key": "silent" }, // a package.json of ours, read for its "exports"
});
chmodSync(join(dist, "cli.js"), 0o755);
// Which sources went into which file: the start-up test reads it to tell what a command loaded.
writeFileSync(join(dist, "bundle-meta.json"), JSON.stringify(metafile.outputs));
