#!/usr/bin/env node
// The JavaScript each dashboard page ships, gzip-compressed: every script Chromium loads for the
// page (modules imported lazily included) plus the inline boot script. Writes its section of BENCHMARKS.md.
import { readFileSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, buildSnapshot, findChromium, pagesOfEachKind, root, startStack } from "../scripts/stack.mjs";

const GOAL_KB = 100;
const quick = process.argv.includes("--quick");
const kb = (bytes) => (bytes / 1024).toFixed(1);
const gz = (text) => gzipSync(Buffer.from(text)).length;

/** The bytes a client receives for a URL with this Accept-Encoding, before it decodes them. */
function wireBytes(url, coding) {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { "accept-encoding": coding } }, (response) => {
      let bytes = 0;
      response.on("data", (chunk) => (bytes += chunk.length));
      response.on("end", () => resolve(bytes));
    }).on("error", reject);
  });
}

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.error("js-size: needs Chromium to load the pages (apt-get install chromium, or set CHROMIUM_PATH)");
  process.exit(1);
}
const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
const stack = await startStack({ snapshot: buildSnapshot(join(root, "data")) });
try {
  const pages = await pagesOfEachKind(stack.api);
  const rows = [];
  for (const [name, path] of pages) {
    // A fresh context each time: nothing cached from the page before.
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts = [];
    const transfers = [];
    // Everything the page loads, as sent: compressed bodies plus headers (Chromium takes gzip over plain HTTP).
    page.on("requestfinished", (request) => transfers.push(request.sizes().then((sizes) => sizes.responseBodySize + sizes.responseHeadersSize)));
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(response.body().then((body) => body.length && gzipSync(body).length));
    });
    const response = await page.goto(new URL(path, stack.web).href, { waitUntil: "networkidle" });
    const html = await response.text();
    const inline = [...html.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((sum, m) => sum + gz(m[1]), 0);
    const sizes = await Promise.all(scripts);
    const url = new URL(path, stack.web).href;
    const wire = { identity: await wireBytes(url, "identity"), gzip: await wireBytes(url, "gzip"), br: await wireBytes(url, "br") };
    const total = (await Promise.all(transfers)).reduce((a, b) => a + b, 0);
    rows.push({ name, path, modules: sizes.length, js: inline + sizes.reduce((a, b) => a + b, 0), html: gz(html), wire, total });
    await context.close();
  }
  const smallest = Math.min(...rows.map((r) => r.js));
  const lines = [
    "## Dashboard: JavaScript per page",
    "",
    `Measured by \`npm run bench\` (apps/web/bench/js-size.mjs) on the built app over the curated data: every script Chromium loads for the page (lazily imported modules included) plus its inline boot script (which carries the page's data), gzip-compressed (Node's zlib, default level). Every page also works with none of it.`,
    "",
    "| page | modules | JavaScript (gzip) | × the lightest page | ÷ the 100 KB goal | HTML (gzip) | HTML on the wire: none / gzip / br | whole page on the wire (Chromium) |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} (\`${r.path}\`) | ${r.modules} | ${kb(r.js)} KB | ${(r.js / smallest).toFixed(2)} | ${Math.round((r.js / 1024 / GOAL_KB) * 100)}% | ${kb(r.html)} KB | ${kb(r.wire.identity)} / ${kb(r.wire.gzip)} / ${kb(r.wire.br)} KB | ${kb(r.total)} KB |`,
    ),
    "",
    `Goal: under ${GOAL_KB} KB for the event page. Charts, maps and networks are drawn on the server as SVG, so they add no script; the countries are one cached SVG image per view.`,
    "",
    "On the wire: the page's HTML as the dashboard sends it without compression, with gzip and with brotli (bytes received, before decoding); and everything Chromium loads for the page from an empty cache — HTML, scripts, styles, images, headers included — as it actually transfers them (Chromium asks for brotli only over HTTPS, so on this plain-HTTP server it takes gzip; the scripts and styles are precompressed at build time).",
  ];
  console.log(lines.join("\n"));
  if (!quick) {
    const file = join(root, "BENCHMARKS.md");
    const current = readFileSync(file, "utf8");
    const start = current.indexOf("<!-- web:start -->");
    const end = current.indexOf("<!-- web:end -->");
    const section = `<!-- web:start -->\n${lines.join("\n")}\n<!-- web:end -->`;
    const next = start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + "<!-- web:end -->".length) : `${current.trimEnd()}\n\n${section}\n`;
    writeFileSync(file, next);
  }
} finally {
  await browser.close();
  stack.stop();
}
