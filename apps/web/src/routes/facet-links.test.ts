// The dashboard's facet links against the real API in-process: the count beside a value is the
// total of the page its link opens, for every facet that has no value chosen yet.
import { join } from "node:path";
import { createApp, openSnapshot } from "@backchannel/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSnapshot, root } from "../../scripts/stack.mjs";
import { readFilters, toSearch, toggled, withYear, type FilterKey } from "$lib/filters";
import { load as loadEvents } from "./events/+page.server";
import { load as loadLayout } from "./+layout.server";

let snapshot: ReturnType<typeof openSnapshot>;
let fetchInProcess: typeof fetch;

beforeAll(() => {
  snapshot = openSnapshot(buildSnapshot(join(root, "data")));
  const app = createApp(snapshot);
  fetchInProcess = ((input: RequestInfo | URL, init?: RequestInit) => app.fetch(new Request(input, init))) as typeof fetch;
});
afterAll(() => snapshot.close());

const page = (path: string) => {
  const base = { fetch: fetchInProcess, url: new URL(path, "http://dashboard.test"), params: {}, locals: { theme: "system" } };
  return loadEvents({ ...base, parent: () => loadLayout(base as never) } as never) as Promise<Exclude<Awaited<ReturnType<typeof loadEvents>>, void>>;
};

describe("facet links", () => {
  it.each(["/events", "/events?actor=ali-larijani", "/events?type=visit&from=2025&to=2025", "/events?topic=us-iran-talks&country=OM"])(
    "on %s, each link of a facet without a choice lists as many events as its count",
    async (path) => {
      const shown = await page(path);
      const filters = readFilters(new URL(path, "http://dashboard.test").searchParams);
      for (const [name, values] of Object.entries(shown.facets.facets)) {
        const own = name === "year" ? ["from", "to"] : [name];
        if (own.some((key) => filters[key as FilterKey])) continue;
        for (const item of values.slice(0, 8)) {
          const next = name === "year" ? withYear(filters, item.value) : toggled(filters, name as FilterKey, item.value);
          const opened = await page(`/events${toSearch(next)}`);
          expect(opened.events.page.total, `${path} → ${name}=${item.value}`).toBe(item.count);
        }
      }
    },
  );
});
