// End to end: the built dashboard and API, started as a user would run them, driven in Chromium.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { createClient, unwrap } from "@backchannel/api/client";
import type { EventType } from "@backchannel/schema";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, buildSnapshot, findChromium, root, startStack } from "../scripts/stack.mjs";

const chromiumPath = findChromium();
const skippedMarker = join(root, "apps/web/.browser-tests-skipped");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

it("finds Chromium to drive, or says loudly how to get one", async () => {
  if (!chromiumPath) {
    // npm test prints a warning from this marker; in CI a missing browser is a failure.
    writeFileSync(skippedMarker, "no Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH\n");
    expect(process.env.CI, "CI must install Chromium (see .ci/run)").toBeFalsy();
    return;
  }
  rmSync(skippedMarker, { force: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  expect(browser.version()).toMatch(/^\d+\./);
  await browser.close();
});

describe.runIf(chromiumPath)("the dashboard in Chromium", () => {
  let browser: Browser;
  let stack: Awaited<ReturnType<typeof startStack>>;
  let page: Page;
  let context: BrowserContext;
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ snapshot: buildSnapshot(join(root, "data")) });
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    stack?.stop();
  });

  /** A fresh page that records console errors (CSP violations among them) and page errors. */
  async function open(options: Parameters<Browser["newContext"]>[0] = {}) {
    context = await browser.newContext({ baseURL: stack.web, ...options });
    page = await context.newPage();
    problems.length = 0;
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    return page;
  }

  /** The API of the stack under test, through its typed client. */
  const api = () => createClient(stack.api).api.v1;

  async function pagesToVisit() {
    const events = await unwrap(api().events.$get({ query: { limit: "100" } }));
    const withPlace = events.data.find((e) => e.places.length)!;
    return [
      "/",
      "/events",
      `/events/${withPlace.id}`,
      "/actors",
      `/actors/${withPlace.participants[0]!.actor}`,
      "/sources",
      `/sources/${withPlace.citations[0]!.source}`,
      "/places",
      `/places/${withPlace.places[0]}`,
      "/map",
      "/map?view=gulf",
      "/network",
      "/search?q=Araqchi",
      "/offices",
      "/offices/secretary-of-iran-supreme-national-security-council?on=2024-05-01",
      "/changes",
    ];
  }

  it("serves every page with a heading, security headers, no script error, no CSP violation and no layout shift", async () => {
    await open();
    // Chromium reports some refusals (a library probing for eval) as issues, not console errors.
    const issues: string[] = [];
    const cdp = await context.newCDPSession(page);
    cdp.on("Audits.issueAdded", ({ issue }) => issues.push(`${issue.code}: ${JSON.stringify(issue.details).slice(0, 300)}`));
    await cdp.send("Audits.enable");
    for (const path of await pagesToVisit()) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect(page.locator("h1").first().textContent(), path).resolves.toBeTruthy();
      // Hashes, not a per-request nonce: the page is the same bytes for every reader, so it can be kept.
      expect(response?.headers()["content-security-policy"], path).toMatch(/script-src 'self' 'sha256-/);
      expect(response?.headers()["content-security-policy"], path).not.toContain("nonce-");
      expect(response?.headers()["x-content-type-options"], path).toBe("nosniff");
      expect(problems, path).toEqual([]);
      expect(issues.filter((issue) => issue.startsWith("ContentSecurityPolicy")), path).toEqual([]);
      // No layout shift: charts and maps reserve their space before anything loads.
      const shift = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let total = 0;
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) total += entry.value;
            }).observe({ type: "layout-shift", buffered: true });
            setTimeout(() => resolve(total), 300);
          }),
      );
      expect(shift, `cumulative layout shift on ${path}`).toBeLessThan(0.01);
    }
    await context.close();
  });

  it("has no axe-core violations on any page, in the light theme on a phone and the dark theme on a desktop", async () => {
    for (const theme of ["light", "dark"]) {
      // axe is injected as a script: this context alone lets it past the CSP. The phone width is
      // where the header wraps and touch targets (axe's target-size) get tight.
      const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
      await open({ bypassCSP: true, ...(theme === "light" ? phone : {}) });
      await context.addCookies([{ name: "theme", value: theme, url: stack.web }]);
      for (const path of await pagesToVisit()) {
        await page.goto(path);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(options: object): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
          // target-size (WCAG 2.2) is off by default in axe; Lighthouse checks it.
          const result = await axe.run({ rules: { "target-size": { enabled: true } } });
          return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(" ")}`);
        });
        expect(violations, `${theme} ${path}`).toEqual([]);
      }
      await context.close();
    }
  }, 240_000); // axe over every page twice: minutes when the machine is shared

  const SCREENS = [
    { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    { name: "tablet", viewport: { width: 768, height: 1024 }, isMobile: true, hasTouch: true },
    { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
  ];

  for (const { name, ...screen } of SCREENS) {
    it(`reads on a ${name} (${screen.viewport.width} px): no text under 12 px, charts included; no sideways scroll; every section in reach`, async () => {
      await open(screen);
      for (const path of await pagesToVisit()) {
        await page.goto(path);
        // The tables behind the charts too.
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        const measured = await page.evaluate(() => {
          const small = new Set<string>();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement!;
            if (!node.textContent?.trim() || element.closest(".visually-hidden, title")) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            if (![...range.getClientRects()].some((rect) => rect.width > 0 && rect.height > 0)) continue;
            // SVG text is drawn in its picture's units and scaled with it: the size on screen counts.
            const ctm = element instanceof SVGGraphicsElement ? element.getScreenCTM() : null;
            const size = parseFloat(getComputedStyle(element).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
            if (size < 11.99) small.add(`${element.tagName.toLowerCase()}.${element.getAttribute("class") ?? ""} "${node.textContent.trim().slice(0, 30)}" ${size.toFixed(1)} px`);
          }
          const root = document.documentElement;
          const unreachable = [...document.querySelectorAll<HTMLElement>('nav[aria-label="Main"] a')]
            .filter((a) => {
              const box = a.getBoundingClientRect();
              return box.width === 0 || box.left < 0 || box.right > root.clientWidth;
            })
            .map((a) => a.textContent);
          return { small: [...small], overflow: root.scrollWidth - root.clientWidth, unreachable, links: document.querySelectorAll('nav[aria-label="Main"] a').length };
        });
        expect(measured.small, `text under 12 px on ${path}`).toEqual([]);
        expect(measured.overflow, `sideways scroll on ${path}`).toBeLessThanOrEqual(0);
        expect(measured.links, path).toBeGreaterThanOrEqual(8);
        expect(measured.unreachable, `navigation out of view on ${path}`).toEqual([]);
      }
      await context.close();
    }, 120_000);

    it(`labels the network on a ${name} without overlap, each label nearest its own actor, the rest on hover and focus`, async () => {
      await open(screen);
      await page.goto("/network");
      const network = await unwrap(api().network.$get({ query: { limit: "400" } }));
      const read = () =>
        page.locator("figure.network svg > a").evaluateAll((links) =>
          links.map((link) => {
            const circle = link.querySelector("circle")!.getBoundingClientRect();
            const label = [...link.querySelectorAll("text")].find((text) => getComputedStyle(text).display !== "none");
            const box = label?.getBoundingClientRect();
            return {
              id: link.getAttribute("href")!.split("/").pop()!,
              circle: { x: circle.x + circle.width / 2, y: circle.y + circle.height / 2, r: circle.width / 2 },
              label: box && { left: box.left, right: box.right, top: box.top, bottom: box.bottom, text: label!.textContent },
            };
          }),
        );
      const nodes = await read();
      expect(nodes.map((n) => n.id).sort()).toEqual(network.nodes.map((n) => n.id).sort());
      const labelled = nodes.filter((n) => n.label);
      expect(labelled.length, "some labels at every width").toBeGreaterThan(3);
      const gap = (box: NonNullable<(typeof nodes)[number]["label"]>, c: (typeof nodes)[number]["circle"]) =>
        Math.max(0, Math.hypot(Math.max(box.left, Math.min(c.x, box.right)) - c.x, Math.max(box.top, Math.min(c.y, box.bottom)) - c.y) - c.r);
      for (const node of labelled) {
        const box = node.label!;
        expect(box.text).toBe(network.nodes.find((n) => n.id === node.id)!.name);
        const nearest = [...nodes].sort((a, b) => gap(box, a.circle) - gap(box, b.circle))[0]!;
        expect(nearest.id, `the label "${box.text}" is nearest its own actor`).toBe(node.id);
        for (const other of labelled) {
          if (other === node) continue;
          const o = other.label!;
          const overlapping = box.left < o.right - 0.5 && o.left < box.right - 0.5 && box.top < o.bottom - 0.5 && o.top < box.bottom - 0.5;
          expect(overlapping, `"${box.text}" and "${o.text}" overlap`).toBe(false);
        }
      }
      // The busiest actors are named on a tablet and a desktop.
      if (screen.viewport.width >= 768) {
        const busiest = [...network.nodes].sort((a, b) => b.events - a.events).slice(0, 5);
        const named = new Set(labelled.map((n) => n.id));
        expect(busiest.filter((n) => !named.has(n.id)).length, "unnamed among the five busiest").toBeLessThanOrEqual(1);
      }
      // An actor without a label shows its name when focused.
      const unlabelled = nodes.find((n) => !n.label);
      if (unlabelled) {
        await page.locator(`figure.network a[href="/actors/${unlabelled.id}"]`).focus();
        const now = await read();
        expect(now.find((n) => n.id === unlabelled.id)!.label?.text).toBe(network.nodes.find((n) => n.id === unlabelled.id)!.name);
      }
      // Beside the picture, a table names every actor and its ties.
      const rows = page.locator("table.network-table tbody tr");
      await expect(rows.count()).resolves.toBe(network.nodes.length);
      const ties = await page.locator("table.network-table tbody td:last-child a").count();
      expect(ties).toBe(network.edges.length * 2);
      await context.close();
    });
  }

  for (const javaScriptEnabled of [false, true]) {
    it(`filters events from the facets and the form, in the URL (${javaScriptEnabled ? "with" : "without"} JavaScript)`, async () => {
      await open({ javaScriptEnabled });
      await page.goto("/events");
      const typeFacet = page.locator("section.facet", { has: page.getByRole("heading", { name: "Type" }) });
      const first = typeFacet.locator("a").first();
      const [label, count] = await Promise.all([first.locator(".facet-label").textContent(), first.locator(".count").textContent()]);
      await first.click();
      await page.waitForURL(/[?&]type=/);
      const type = new URL(page.url()).searchParams.get("type") as EventType;
      expect(type).toBeTruthy();
      const rows = page.locator("table.events tbody tr");
      await expect.poll(() => rows.count()).toBe(Number(count));
      for (const cell of await page.locator("table.events td.type").allTextContents()) expect(cell).toContain(label!.replace("✓", "").trim());
      await expect(page.locator("#results-title").textContent()).resolves.toContain(`of ${count} event`);

      // The form keeps the facet and adds the dates.
      const year = (await unwrap(api().events.$get({ query: { type, limit: "1" } }))).data[0]!.date.start.slice(0, 4);
      await page.getByLabel("From", { exact: true }).fill(year);
      await page.getByLabel("To", { exact: true }).fill(year);
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/[?&]from=/);
      const params = new URL(page.url()).searchParams;
      expect(params.get("type")).toBe(type);
      expect(params.get("from")).toBe(year);
      const expected = await unwrap(api().events.$get({ query: { type, from: year, to: year } }));
      await expect.poll(() => page.locator("table.events tbody tr").count()).toBe(expected.page.total);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it("exports exactly the filtered view as CSV", async () => {
    await open();
    const facets = await unwrap(api().facets.$get({ query: {} }));
    const { value, count } = facets.facets.type[0]!;
    await page.goto(`/events?type=${value}`);
    const href = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    const response = await page.request.get(href!);
    expect(response.headers()["content-type"]).toContain("text/csv");
    // A UTF-8 byte order mark first, so that Excel reads Persian and Arabic names as they are.
    const bytes = await response.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString("utf8"), { columns: true }) as { id: string; type: string }[];
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((row) => row.type))).toEqual(new Set([value]));
    const shown = await page.locator("table.events tbody td:nth-child(2) a:first-child").evaluateAll((links) => links.map((a) => a.getAttribute("href")!.split("/").pop()));
    expect(new Set(rows.map((row) => row.id))).toEqual(new Set(shown));
    await context.close();
  });

  it("announces an Atom feed of its events on each list, actor, place and topic page, holding that view's newest events", async () => {
    await open();
    const events = await unwrap(api().events.$get({ query: { limit: "100" } }));
    const withPlace = events.data.find((e) => e.places.length && e.topics.length)!;
    const views: [string, Record<string, string>][] = [
      ["/events", {}],
      [`/events?topic=${withPlace.topics[0]}`, { topic: withPlace.topics[0]! }],
      [`/actors/${withPlace.participants[0]!.actor}`, { actor: withPlace.participants[0]!.actor }],
      [`/places/${withPlace.places[0]}`, { place: withPlace.places[0]! }],
    ];
    for (const [path, filters] of views) {
      await page.goto(path);
      const link = page.locator('head link[rel="alternate"][type="application/atom+xml"]');
      expect(await link.count(), path).toBe(1);
      expect(await link.getAttribute("title"), path).toMatch(/\(Atom\)$/);
      const response = await page.request.get(new URL((await link.getAttribute("href"))!, stack.web).href);
      expect(response.headers()["content-type"], path).toContain("application/atom+xml");
      const xml = await response.text();
      const ids = [...xml.matchAll(/<id>urn:backchannel:event:([^<]+)<\/id>/g)].map((match) => match[1]);
      const expected = await unwrap(api().events.$get({ query: { ...filters, sort: "-date", limit: "50" } }));
      expect(ids, path).toEqual(expected.data.map((event) => event.id));
      // An entry links to the dashboard's page of its event, on this site.
      if (ids.length) expect(xml).toContain(`<link href="/events/${ids[0]}" rel="alternate" type="text/html"/>`);
    }
    await context.close();
  });

  it("tells search engines what each page is: a meta description on every page", async () => {
    await open();
    for (const path of await pagesToVisit()) {
      await page.goto(path);
      const description = await page.locator('meta[name="description"]').getAttribute("content");
      expect(description?.length ?? 0, path).toBeGreaterThan(40);
      expect(description!.length, path).toBeLessThanOrEqual(170);
      expect(await page.locator('meta[name="description"]').count(), path).toBe(1);
    }
    await context.close();
  });

  it("on a phone: facet links are targets of 24 px or more, and nothing shifts while a page arrives on a slow network", async () => {
    await open({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1.75 });
    // Lighthouse's mobile network: 150 ms, 1.6 Mbit/s down, so a long page is painted before it has all arrived.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
    await page.addInitScript(() => {
      const shifts: number[] = [];
      (window as unknown as { __shifts: number[] }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) shifts.push(entry.value);
      }).observe({ type: "layout-shift", buffered: true });
    });
    for (const path of await pagesToVisit()) {
      await page.goto(path, { waitUntil: "load" });
      await page.waitForTimeout(300);
      const shift = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts.reduce((sum, value) => sum + value, 0));
      expect(shift, `cumulative layout shift at phone width on ${path}`).toBe(0);
      const small = await page.locator("section.facet a, section.facet summary").evaluateAll((targets) =>
        targets
          .map((target) => ({ text: target.textContent?.trim(), box: target.getBoundingClientRect() }))
          .filter(({ box }) => box.width > 0 && (box.height < 24 || box.width < 24))
          .map(({ text, box }) => `${text} (${box.width.toFixed(1)} × ${box.height.toFixed(1)})`),
      );
      expect(small, path).toEqual([]);
    }
    await context.close();
  });

  for (const { name, ...screen } of SCREENS) {
    it(`keeps each list's columns where its header puts them while rows arrive (${name})`, async () => {
      // A page is painted before all of it has arrived: were the columns sized by their rows, the
      // table would re-balance as later rows come (Lighthouse saw it as layout shift on /events,
      // the browser test on /actors under load).
      await open(screen);
      const lists = { "/events": "table.events", "/": "table.events", "/actors": "main table", "/places": "main table", "/sources": "main table" };
      for (const [path, selector] of Object.entries(lists)) {
        await page.goto(path);
        const table = page.locator(selector).first();
        const columns = () => table.locator("thead th").evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().left)));
        const complete = await columns();
        expect(complete.length, path).toBeGreaterThan(2);
        await table.locator("tbody tr").evaluateAll((rows) => rows.slice(1).forEach((row) => row.remove()));
        expect(await columns(), path).toEqual(complete);
      }
      await context.close();
    });
  }

  it("runs the API's interactive docs under their Content-Security-Policy, with no violation", async () => {
    await open();
    const response = await page.goto(`${stack.api}/api/docs`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await expect.poll(() => page.locator(".swagger-ui .opblock").count(), { timeout: 20_000 }).toBeGreaterThan(10);
    await page.locator(".swagger-ui .opblock-summary").first().click();
    await expect.poll(() => page.locator(".swagger-ui .opblock-body").count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("sends pages compressed, rendered once: ETag per coding, 304 on a repeat, scripts precompressed", async () => {
    const at = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.web}${path}`, { headers });
    for (const path of ["/", "/events?type=visit", "/network", "/places/oman"]) {
      const br = await at(path, { "accept-encoding": "br" });
      expect(br.headers.get("content-encoding"), path).toBe("br");
      expect(br.headers.get("vary"), path).toMatch(/Accept-Encoding/);
      expect(br.headers.get("cache-control"), path).toMatch(/public.*s-maxage=\d+/);
      const html = await br.text();
      const gzip = await at(path, { "accept-encoding": "gzip" });
      expect(gzip.headers.get("content-encoding"), path).toBe("gzip");
      expect(await gzip.text(), path).toBe(html);
      expect(gzip.headers.get("etag"), path).not.toBe(br.headers.get("etag"));
      const again = await at(path, { "accept-encoding": "br", "if-none-match": br.headers.get("etag")! });
      expect(again.status, path).toBe(304);
      const other = await at(path, { "accept-encoding": "gzip", "if-none-match": br.headers.get("etag")! });
      expect(other.status, path).toBe(200);
      await other.arrayBuffer();
    }
    // A theme is another rendering of the same URL.
    const dark = await at("/", { cookie: "theme=dark", "accept-encoding": "br" });
    expect(dark.headers.get("etag")).not.toBe((await at("/", { "accept-encoding": "br" })).headers.get("etag"));
    await open();
    const scripts: (string | undefined)[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/_app/immutable/") && response.url().endsWith(".js")) scripts.push(response.headers()["content-encoding"]);
    });
    const response = await page.goto("/events", { waitUntil: "networkidle" });
    // Chromium offers brotli over HTTPS only: on this plain-HTTP test server it takes gzip.
    const coding = response?.headers()["content-encoding"];
    expect(["br", "gzip"]).toContain(coding);
    expect(scripts.length).toBeGreaterThan(0);
    expect(new Set(scripts)).toEqual(new Set([coding]));
    await context.close();
  });

  it("keeps the network page and the basemap per version: ETag and 304, the basemap cached for good", async () => {
    await open();
    await page.goto("/map");
    const basemap = await page.locator("figure.map image").getAttribute("href");
    expect(basemap).toMatch(/[?&]v=/);
    expect(await page.locator(`link[rel="preload"][as="image"][fetchpriority="high"]`).getAttribute("href")).toBe(basemap);
    await context.close();
    for (const path of [basemap!, "/network?type=visit"]) {
      const first = await fetch(`${stack.web}${path}`);
      await first.arrayBuffer();
      const etag = first.headers.get("etag");
      expect(etag, path).toBeTruthy();
      const again = await fetch(`${stack.web}${path}`, { headers: { "if-none-match": etag! } });
      expect(again.status, path).toBe(304);
    }
    expect((await fetch(`${stack.web}${basemap}`)).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("follows event → actor → event", async () => {
    await open();
    const { data } = await unwrap(api().events.$get({ query: { limit: "100" } }));
    const event = data.find((e) => e.participants.some((p) => p.kind === "person"))!;
    const person = event.participants.find((p) => p.kind === "person")!;
    await page.goto(`/events/${event.id}`);
    await expect(page.locator("h1").textContent()).resolves.toBe(event.title);
    await page.locator("dl.roles").getByRole("link", { name: person.name }).first().click();
    await page.waitForURL(`**/actors/${person.actor}`);
    await expect(page.locator("h1").textContent()).resolves.toBe(person.name);
    await page.locator("table.events").getByRole("link", { name: event.title }).click();
    await page.waitForURL(`**/events/${event.id}`);
    await expect(page.locator("h1").textContent()).resolves.toBe(event.title);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('finds Araghchi for "Araqchi" from the header, with the keyboard', async () => {
    await open();
    await page.goto("/");
    await page.locator("#site-search").fill("Araqchi");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/search?q=Araqchi");
    const firstActor = page.locator("section", { has: page.getByRole("heading", { name: "Actors" }) }).locator("a.hit").first();
    await expect(firstActor.textContent()).resolves.toContain("Araghchi");
    await page.locator("#site-search").focus();
    await page.keyboard.press("ArrowDown");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toContain("Araghchi");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/actors\//);
    await expect(page.locator("h1").textContent()).resolves.toContain("Araghchi");
    await context.close();
  });

  it("brings out an actor's links in the network when pointed at (with JavaScript)", async () => {
    await open();
    await page.goto("/network");
    const network = await unwrap(api().network.$get({ query: { limit: "400" } }));
    const hub = network.nodes[0]!.id;
    const links = network.edges.filter((e) => e.source === hub || e.target === hub).length;
    // Pointed at again on each try: a hover that lands before the page's script has started changes nothing.
    await expect
      .poll(async () => {
        await page.mouse.move(0, 0);
        await page.locator(`figure.network a[href="/actors/${hub}"]`).hover();
        return page.locator("figure.network line.lit").count();
      })
      .toBe(links);
    expect(await page.locator("figure.network a.faded").count()).toBe(network.nodes.length - 1 - links);
    await page.mouse.move(0, 0);
    await expect.poll(() => page.locator("figure.network line.lit").count()).toBe(0);
    await context.close();
  });

  it("shows a 404 page with a way back for an unknown id", async () => {
    await open();
    const response = await page.goto("/events/no-such-event");
    expect(response?.status()).toBe(404);
    await expect(page.locator("h1").textContent()).resolves.toBe("Not found");
    await page.getByRole("link", { name: "Overview" }).last().click();
    await page.waitForURL(stack.web + "/");
    await context.close();
  });

  it("shows an unknown actor in the URL on a 400 page, with the closest known ids", async () => {
    await open();
    const response = await page.goto("/events?actor=ali-larijany");
    expect(response?.status()).toBe(400);
    await expect(page.locator("h1").textContent()).resolves.toBe("That filter cannot be applied");
    await expect(page.locator(".error-page li").first().textContent()).resolves.toMatch(/actor: .*"ali-larijany".*ali-larijani/);
    await context.close();
  });

  it("switches to the dark theme without JavaScript, and remembers it", async () => {
    await open({ javaScriptEnabled: false });
    await page.goto("/events");
    await page.getByRole("link", { name: /^Theme/ }).click();
    await page.waitForURL("**/events");
    await expect(page.locator("html").getAttribute("data-theme")).resolves.toBe("dark");
    await page.goto("/");
    await expect(page.locator("html").getAttribute("data-theme")).resolves.toBe("dark");
    await context.close();
  });

  describe("with hostile text in the data", () => {
    let hostile: Awaited<ReturnType<typeof startStack>>;
    const id = "2026-02-10-larijani-visits-oman";

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), "backchannel-xss-"));
      cpSync(join(root, "data"), dir, { recursive: true });
      const file = join(dir, "events", `${id}.yaml`);
      const doc = parseDocument(readFileSync(file, "utf8"));
      doc.set("title", "Visit <script>window.__pwned = 'title'</script>");
      doc.set("summary", `A summary "><img src=x onerror="window.__pwned='img'"> and <script>window.__pwned='summary'</script> ends.`);
      writeFileSync(file, doc.toString());
      hostile = await startStack({ snapshot: buildSnapshot(dir) });
    });
    afterAll(() => hostile?.stop());

    for (const bypassCSP of [true, false]) {
      it(`escapes it: nothing runs, the text shows as text (${bypassCSP ? "even with the CSP off" : "CSP on"})`, async () => {
        const context = await browser.newContext({ baseURL: hostile.web, bypassCSP });
        const page = await context.newPage();
        const dialogs: string[] = [];
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        for (const path of [`/events/${id}`, "/events", `/search?q=${encodeURIComponent("script")}`, "/"]) {
          await page.goto(path);
          expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), path).toBeUndefined();
          expect(await page.locator("img[src=x]").count(), path).toBe(0);
        }
        await page.goto(`/events/${id}`);
        await expect(page.locator("h1").textContent()).resolves.toBe("Visit <script>window.__pwned = 'title'</script>");
        await expect(page.locator(".lede").textContent()).resolves.toContain(`"><img src=x onerror=`);
        expect(dialogs).toEqual([]);
        await context.close();
      });
    }
  });

  it("says the API is down, clearly, instead of crashing", async () => {
    // Port 9 (discard) has no listener: every request to the API is refused.
    const down = await startStack({ apiUrl: "http://127.0.0.1:9" });
    try {
      const context = await browser.newContext({ baseURL: down.web });
      const page = await context.newPage();
      for (const path of ["/", "/events", "/events/any-id"]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(503);
        await expect(page.locator("h1").textContent()).resolves.toBe("The data is not available right now");
        await expect(page.locator("main").textContent()).resolves.toContain("not reachable");
      }
      await context.close();
    } finally {
      down.stop();
    }
  });
});

