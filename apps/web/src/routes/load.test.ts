// The pages' load functions against the real API in-process (its app.fetch), over the curated data.
import { isHttpError } from "@sveltejs/kit";
import { createApp, createClient, openSnapshot, unwrap } from "@backchannel/api";
import { spanBounds, type EventStatus } from "@backchannel/schema";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildSnapshot, root } from "../../scripts/stack.mjs";
import { inProcess } from "../../tests/in-process";
import { load as loadEvent } from "./events/[id]/+page.server";
import { load as loadEvents } from "./events/+page.server";
import { load as loadMap } from "./map/+page.server";
import { load as loadNetwork } from "./network/+page.server";
import { load as loadOverview } from "./+page.server";
import { load as loadSearch } from "./search/+page.server";
import { GET as getBasemap } from "./basemap.svg/+server";
import { readFilters, toSearch, toggled, withYear, type FilterKey } from "$lib/filters";
import { load as loadPlace } from "./places/[id]/+page.server";
import PlacePage from "./places/[id]/+page.svelte";
import OverviewPage from "./+page.svelte";
import { render } from "svelte/server";

// Pages rendered here outside Kit: the little of `page` that their components read.
vi.mock("$app/state", () => ({ page: { data: { theme: "system" }, url: new URL("http://dashboard.test/") } }));

const { snapshot, fetchInProcess, kit: event } = inProcess();
afterAll(() => snapshot.close());

async function failure(pending: Promise<unknown>) {
  try {
    await pending;
  } catch (error) {
    if (isHttpError(error)) return error;
    throw error;
  }
  throw new Error("expected the load to fail");
}

describe("the events list", () => {
  it("passes the URL's filters to the API, and its facets count the same events", async () => {
    const data = await loadEvents(event("/events?type=visit&from=2024"));
    expect(data.filters).toEqual({ type: ["visit"], from: ["2024"] });
    expect(data.events.data.length).toBeGreaterThan(0);
    // Precision-aware: an event whose span reaches into 2024 matches from=2024.
    expect(data.events.data.every((e) => e.type === "visit" && spanBounds(e.date).last >= "2024-01-01")).toBe(true);
    expect(data.facets.total).toBe(data.events.page.total);
    // Facets are disjunctive: the type facet counts every type under the other filters, and the
    // chosen type's count is the list's total.
    expect(data.facets.facets.type).toContainEqual({ value: "visit", label: "Visit", count: data.events.page.total });
    expect(data.facets.facets.type.length).toBeGreaterThan(1);
  });

  it("pages by cursor: the next page starts where the first ended, and together they are every event once", async () => {
    const first = await loadEvents(event("/events"));
    expect(first.events.data).toHaveLength(first.pageSize);
    const next = first.events.page.next!;
    // The position comes from the API, whatever the URL says.
    const second = await loadEvents(event(`/events?cursor=${encodeURIComponent(next)}&at=99999`));
    expect(second.at).toBe(first.pageSize + 1);
    const ids = [...first.events.data, ...second.events.data].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(snapshot.meta.counts.events);
    expect(second.events.page.next).toBeNull();
  });

  it("answers a bad filter with a 400 that says which parameter and why", async () => {
    const error = await failure(loadEvents(event("/events?from=2025-13")));
    expect(error.status).toBe(400);
    expect(error.body.message).toMatch(/from/);
  });

  it("answers an unknown id in a filter with a 400 naming it and the closest known ids, not an empty list", async () => {
    for (const [load, path] of [
      [loadEvents, "/events?actor=ali-larijany"],
      [loadNetwork, "/network?actor=ali-larijany"],
    ] as const) {
      const error = await failure(load(event(path)));
      expect(error.status, path).toBe(400);
      expect(error.body.issues, path).toEqual([{ path: "actor", message: expect.stringMatching(/"ali-larijany".*ali-larijani/) }]);
    }
  });
});

describe("one event", () => {
  it("carries what the page shows: citations with their sources, post titles, a map", async () => {
    const list = await loadEvents(event("/events"));
    const withPlace = list.events.data.find((e) => e.places.length && e.participants.some((p) => p.post))!;
    const data = await loadEvent(event(`/events/${withPlace.id}`, { id: withPlace.id }));
    expect(data.event.citations.every((c) => c.sourceInfo.id === c.source && c.paragraphs.length > 0)).toBe(true);
    expect(data.event.participants.find((p) => p.post)!.postTitle).toBeTruthy();
    expect(data.map?.points.map((p) => p.id)).toEqual(expect.arrayContaining([withPlace.places[0]]));
  });

  it("names who said each quotation, participant or not", async () => {
    const list = await loadEvents(event("/events"));
    const quoted = list.events.data.filter((e) => e.citations.some((c) => c.quotes?.length));
    expect(quoted.length).toBeGreaterThan(0);
    for (const item of quoted) {
      const data = await loadEvent(event(`/events/${item.id}`, { id: item.id }));
      for (const quote of data.event.citations.flatMap((c) => c.quotes ?? [])) {
        const actor = await unwrap(createClient("http://api.test", fetchInProcess).api.v1.actors[":id"].$get({ param: { id: quote.speaker }, query: {} }));
        expect(quote.speakerName).toBe(actor.name);
      }
    }
  });

  it("is a 404 for an unknown id", async () => {
    const error = await failure(loadEvent(event("/events/no-such-event", { id: "no-such-event" })));
    expect(error.status).toBe(404);
    expect(error.body.kind).toBe("not-found");
  });

  it("is a 503 naming the API's address when the API does not answer", async () => {
    const refused = (() => Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8787") }))) as typeof fetch;
    const error = await failure(loadEvent(event("/events/x", { id: "x" }, refused)));
    expect(error.status).toBe(503);
    expect(error.body.kind).toBe("api-down");
    expect(error.body.message).toContain("http://127.0.0.1:8787");
  });

  it("is a 504 when the API does not answer in time, and every request carries a deadline", async () => {
    const signals: (AbortSignal | null | undefined)[] = [];
    const hanging = ((_: RequestInfo | URL, init?: RequestInit) => {
      signals.push(init?.signal);
      return Promise.reject(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    }) as typeof fetch;
    const error = await failure(loadEvent(event("/events/x", { id: "x" }, hanging)));
    expect(error.status).toBe(504);
    expect(error.body.message).toMatch(/did not answer within 10 s/);
    expect(signals.every((signal) => signal instanceof AbortSignal)).toBe(true);
  });
});

it("draws the overview: counts, latest first, connected actors by links, a monthly chart", async () => {
  const data = await loadOverview(event("/"));
  expect(data.meta.counts.events).toBe(snapshot.meta.counts.events);
  const starts = data.latest.map((e) => e.date.start);
  expect(starts).toEqual([...starts].sort().reverse());
  const degrees = data.connected.map((a) => a.degree);
  expect(degrees).toEqual([...degrees].sort((a, b) => b - a));
  // Three years up to the latest month (events dated only to the year come as YYYY buckets).
  const months = data.monthly.data.map((b) => b.bucket).filter((b) => b.length === 7);
  const latest = months.at(-1)!;
  expect(months[0]! > `${Number(latest.slice(0, 4)) - 3}${latest.slice(4)}`).toBe(true);
  expect(data.monthly.data.every((b) => /^\d{4}(-\d{2})?$/.test(b.bucket))).toBe(true);
  expect(data.map.points.length).toBeGreaterThan(0);
});

describe("the overview's charts", () => {
  const client = () => createClient("http://api.test", fetchInProcess);
  const charted = (data: Awaited<ReturnType<typeof loadOverview>>) => data.yearly.data.reduce((sum, b) => sum + b.count, 0);

  it("count occurred events by default, and the legend says so", async () => {
    const data = await loadOverview(event("/"));
    const occurred = await unwrap(client().api.v1.events.$get({ query: { status: "occurred", limit: "1" } }));
    const every = await unwrap(client().api.v1.events.$get({ query: { limit: "1" } }));
    expect(occurred.page.total).toBeLessThan(every.page.total);
    expect(charted(data)).toBe(occurred.page.total);
    const { body } = render(OverviewPage, { props: { data: data as never } });
    expect(body).toContain("Counting occurred events.");
  });

  it("count what the status filter asks for", async () => {
    const choices: EventStatus[][] = [["scheduled"], ["occurred", "expected"], ["occurred", "scheduled", "expected", "reported-planned", "cancelled"]];
    for (const statuses of choices) {
      const data = await loadOverview(event(`/?${statuses.map((s) => `status=${s}`).join("&")}`));
      const listed = await unwrap(client().api.v1.events.$get({ query: { status: statuses, limit: "1" } }));
      expect(charted(data), statuses.join()).toBe(listed.page.total);
      expect(data.status).toEqual(statuses);
    }
  });
});

it("maps the filtered events' places with the facet counts", async () => {
  const data = await loadMap(event("/map?type=visit&view=gulf"));
  const total = data.points.reduce((sum, p) => sum + p.count, 0);
  const counted = data.facets.facets.place.filter((f) => data.points.some((p) => p.id === f.value)).reduce((sum, f) => sum + f.count, 0);
  expect(total).toBe(counted);
  expect(data.view).toBe("gulf");
});

it("groups search hits by kind, Araghchi first among actors for Araqchi", async () => {
  const data = await loadSearch(event("/search?q=Araqchi"));
  expect(data.groups[0]!.kind).toBe("actor");
  expect(data.groups[0]!.hits[0]!.label).toContain("Araghchi");
  expect(await loadSearch(event("/search?q=%20"))).toEqual({ q: "", total: 0, groups: [] });
});

describe("a place page", () => {
  /** The page's "n events" heading, as a reader sees it. */
  async function heading(id: string) {
    const data = await loadPlace(event(`/places/${id}`, { id }));
    const { body } = render(PlacePage, { props: { data: data as never } });
    return { data, text: /<h2 id="events-title">([^<]*)<\/h2>/.exec(body)![1]!.replace(/<!---->/g, "") };
  }

  it("states the events at the place itself and those including places within it, when they differ", async () => {
    const { data, text } = await heading("oman");
    const itself = data.place.events.filter((e) => e.places.includes("oman")).length;
    expect(data.place.events.length).toBeGreaterThan(itself);
    expect(text).toBe(`${itself} event${itself === 1 ? "" : "s"} in Oman itself, ${data.place.events.length} including places within it`);
  });

  it("gives one number when nothing lies within the place, and that number is the rows listed", async () => {
    const { data, text } = await heading("al-alam-palace");
    expect(text).toBe(`${data.place.events.length} event${data.place.events.length === 1 ? "" : "s"} here`);
  });
});

describe("the basemap image", () => {
  const basemap = (search: string) => getBasemap({ url: new URL(`http://dashboard.test/basemap.svg${search}`), locals: { theme: "system" } } as never);

  it("draws a view as a cacheable SVG in the asked theme", async () => {
    const response = await basemap("?west=33&east=64&south=11&north=40&width=640&height=420&theme=dark");
    expect(response.headers.get("content-type")).toContain("image/svg+xml");
    expect(response.headers.get("cache-control")).toContain("max-age");
    expect(await response.text()).toContain('viewBox="0 0 640 420"');
  });

  it("refuses a view that is not one, with a 400 naming the field", async () => {
    for (const search of ["?west=33&east=64&south=11&north=99&width=640&height=420", "?west=64&east=33&south=11&north=40&width=640&height=420", "?west=x"]) {
      const error = await failure(Promise.resolve().then(() => basemap(search)));
      expect(error.status, search).toBe(400);
      expect(error.body.message, search).toMatch(/bad map view/);
    }
  });
});

describe("facet links", () => {
  it.each(["/events", "/events?actor=ali-larijani", "/events?actor=ali-larijani&actorMode=all", "/events?type=visit&from=2025&to=2025", "/events?topic=us-iran-talks&country=OM"])(
    "on %s, each link that adds a value lists as many events as its count, in a facet with a choice or without",
    async (path) => {
      const shown = await loadEvents(event(path));
      const filters = readFilters(new URL(path, "http://dashboard.test").searchParams);
      for (const [name, values] of Object.entries(shown.facets.facets)) {
        if (name === "year" && (filters.from || filters.to)) continue;
        for (const item of values.slice(0, 8)) {
          // A chosen value's link takes it away: its count is its own events, not that list.
          if (filters[name as FilterKey]?.includes(item.value)) continue;
          const next = name === "year" ? withYear(filters, item.value) : toggled(filters, name as FilterKey, item.value);
          const opened = await loadEvents(event(`/events${toSearch(next)}`));
          expect(opened.events.page.total, `${path} → ${name}=${item.value}`).toBe(item.count);
        }
      }
    },
  );
});

describe("actors combined", () => {
  it("lists the events where all the chosen actors took part when asked, any of them otherwise", async () => {
    const pair = "actor=ali-larijani&actor=hamoud-bin-faisal-albusaidi";
    const any = await loadEvents(event(`/events?${pair}`));
    const all = await loadEvents(event(`/events?${pair}&actorMode=all`));
    expect(all.filters.actorMode).toEqual(["all"]);
    expect(all.events.page.total).toBeGreaterThan(0);
    expect(all.events.page.total).toBeLessThan(any.events.page.total);
    for (const listed of all.events.data) {
      const ids = listed.participants.map((participant) => participant.actor);
      expect(ids, listed.id).toEqual(expect.arrayContaining(["ali-larijani", "hamoud-bin-faisal-albusaidi"]));
    }
  });
});
