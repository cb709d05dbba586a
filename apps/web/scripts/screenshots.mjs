#!/usr/bin/env node
// The README's screenshots, from the real app over the curated data: node apps/web/scripts/screenshots.mjs
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, buildSnapshot, findChromium, root, startStack } from "./stack.mjs";

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.error("screenshots: needs Chromium (apt-get install chromium, or set CHROMIUM_PATH)");
  process.exit(1);
}
const out = join(root, "docs", "screenshots");
mkdirSync(out, { recursive: true });
const stack = await startStack({ snapshot: buildSnapshot(join(root, "data")) });
const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
try {
  const shots = [
    ["overview.png", "/", 1280, 1500, "light"],
    ["event.png", "/events/2026-02-10-larijani-visits-oman", 1280, 1250, "light"],
    ["map.png", "/map?view=gulf", 1280, 900, "light"],
    ["events-dark.png", "/events?type=visit", 1280, 900, "dark"],
    ["offices.png", "/offices?on=2024-05-01", 1280, 900, "light"],
    // The network's picture only: every name that fits, none over another or nearer another circle.
    ["network.png", "/network", 1280, 1100, "light", "figure.network"],
    ["network-phone.png", "/network", 390, 844, "light"],
    // Only the sources of an event: one block per article, each cited passage with its words.
    ["event-sources.png", "/events/2026-02-10-larijani-visits-oman", 1280, 2400, "light", 'section[aria-labelledby="citations-title"]'],
  ];
  for (const [file, path, width, height, theme, selector] of shots) {
    const context = await browser.newContext({ viewport: { width, height } });
    await context.addCookies([{ name: "theme", value: theme, url: stack.web }]);
    const page = await context.newPage();
    await page.goto(new URL(path, stack.web).href, { waitUntil: "networkidle" });
    if (selector) await page.locator(selector).screenshot({ path: join(out, file) });
    else await page.screenshot({ path: join(out, file) });
    console.log(`docs/screenshots/${file} ← ${path}`);
    await context.close();
  }
} finally {
  await browser.close();
  stack.stop();
}
