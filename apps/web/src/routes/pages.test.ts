// Pages rendered on the server from their load functions, over the real API in-process: what a
// reader without JavaScript receives.
import { render } from "svelte/server";
import { EVENT_TYPES, groupBySource, VOCABULARY_LABELS } from "@backchannel/schema";
import { afterAll, describe, expect, it, vi } from "vitest";
import { inProcess } from "../../tests/in-process";
import { load as loadEvent } from "./events/[id]/+page.server";
import EventPage from "./events/[id]/+page.svelte";
import { load as loadOverview } from "./+page.server";
import OverviewPage from "./+page.svelte";
import { load as loadEvents } from "./events/+page.server";
import EventsPage from "./events/+page.svelte";
import { load as loadOffices } from "./offices/+page.server";
import OfficesPage from "./offices/+page.svelte";
import { load as loadOffice } from "./offices/[id]/+page.server";
import OfficePage from "./offices/[id]/+page.svelte";
import { load as loadActor } from "./actors/[id]/+page.server";
import ActorPage from "./actors/[id]/+page.svelte";
import { load as loadActors } from "./actors/+page.server";
import ActorsPage from "./actors/+page.svelte";
import { load as loadSources } from "./sources/+page.server";
import SourcesPage from "./sources/+page.svelte";
import { load as loadPlace } from "./places/[id]/+page.server";
import PlacePage from "./places/[id]/+page.svelte";
import { load as loadSearch } from "./search/+page.server";
import SearchPage from "./search/+page.svelte";
import { load as loadSource } from "./sources/[id]/+page.server";
import SourcePage from "./sources/[id]/+page.svelte";

// Outside a running Kit app there is no page state; components read only its data and URL.
vi.mock("$app/state", () => ({ page: { data: { theme: "system" }, url: new URL("http://dashboard.test/") } }));

const { snapshot, kit } = inProcess();
afterAll(() => snapshot.close());

/** The page's body as HTML, and one section of it by its heading's id. */
async function eventPage(id: string) {
  const data = await loadEvent(kit(`/events/${id}`, { id }));
  const { body } = render(EventPage, { props: { data } as never });
  const section = (headingId: string) => {
    const start = body.indexOf(`aria-labelledby="${headingId}"`);
    return start < 0 ? "" : body.slice(start, body.indexOf("</section>", start));
  };
  return { data, body, section };
}

describe("an event page", () => {
  it("lists the events it is chained to, never itself", async () => {
    const { data, section } = await eventPage("2026-02-10-larijani-visits-oman");
    const related = section("chain-title");
    expect(related).toContain('href="/events/2026-02-06-us-iran-talks-in-muscat"');
    expect(related).not.toContain(data.event.title);
    expect(related).not.toContain(`href="/events/${data.event.id}"`);
  });
});

describe("the events table sorts from its column headers", () => {
  /** Each sortable header: its aria-sort and where its link goes. */
  const headers = (body: string) =>
    Object.fromEntries(
      [...body.matchAll(/<th scope="col"(?: aria-sort="(\w+)")?>(?:<!--[^>]*-->)*<a class="sort" href="([^"]+)"[^>]*>(\w+)/g)].map(([, ariaSort, href, label]) => [label, { ariaSort, href: href!.replaceAll("&amp;", "&") }]),
    );

  it("links each header to the server-sorted list, reverses the sorted one, and marks it with aria-sort", async () => {
    const byDate = render(EventsPage, { props: { data: await loadEvents(kit("/events?topic=us-iran-talks")) } as never }).body;
    expect(headers(byDate)).toEqual({
      Date: { ariaSort: "ascending", href: "/events?topic=us-iran-talks&sort=-date" },
      Event: { ariaSort: undefined, href: "/events?topic=us-iran-talks&sort=title" },
      Type: { ariaSort: undefined, href: "/events?topic=us-iran-talks&sort=type" },
    });
    const data = await loadEvents(kit("/events?topic=us-iran-talks&sort=title"));
    const byTitle = render(EventsPage, { props: { data } as never }).body;
    expect(headers(byTitle).Event).toEqual({ ariaSort: "ascending", href: "/events?topic=us-iran-talks&sort=-title" });
    expect(headers(byTitle).Date).toEqual({ ariaSort: undefined, href: "/events?topic=us-iran-talks" });
    const titles = data.events.data.map((event) => event.title.toLowerCase());
    expect(titles).toEqual([...titles].sort());
    // The order stays in the links that change the view: exports and the next page.
    expect(byTitle).toContain("format=csv");
    expect(byTitle).toMatch(/href="\/api\/v1\/events\?topic=us-iran-talks&amp;sort=title&amp;format=csv/);
    const reversed = render(EventsPage, { props: { data: await loadEvents(kit("/events?topic=us-iran-talks&sort=-type")) } as never }).body;
    expect(headers(reversed).Type).toEqual({ ariaSort: "descending", href: "/events?topic=us-iran-talks&sort=type" });
  });

  it("falls back to date order for an order it does not know", async () => {
    const data = await loadEvents(kit("/events?sort=colour"));
    expect(data.sort).toBe("date");
  });
});

describe("an event's sources", () => {
  it("show each article once, with each cited paragraph linked to its anchor on the source page", async () => {
    const { data, section } = await eventPage("2026-02-10-larijani-visits-oman");
    const sources = section("citations-title");
    const articles = [...new Set(data.event.citations.map((citation) => citation.source))];
    expect(articles.length).toBeLessThan(data.event.citations.length);
    for (const id of articles) {
      expect(sources.split(`href="/sources/${id}"`).length - 1, id).toBe(1);
      for (const citation of data.event.citations.filter((c) => c.source === id)) {
        for (const paragraph of citation.paragraphs) expect(sources).toContain(`href="/sources/${id}#p${paragraph}"`);
      }
    }
  });
});

describe("an event's cited passages", () => {
  it("show the words that support the claim, when the citation gives them", async () => {
    const { data } = await eventPage("2026-02-10-larijani-visits-oman");
    const quote = "arrived in Oman on Tuesday";
    const citations = data.event.citations.map((citation, i) => (i === 1 ? { ...citation, quote } : { ...citation, quote: undefined }));
    const quoted = { ...data, event: { ...data.event, citations }, sourceGroups: groupBySource(citations) };
    const { body } = render(EventPage, { props: { data: quoted } as never });
    expect(body).toContain(`“${quote}”`);
    expect(body.match(/class="supporting"/g)).toHaveLength(1);
  });
});

describe("a source page", () => {
  it("lists paragraphs 1…N as anchors, each with the records that cite it, and says when no web address is known", async () => {
    const id = "2026-02-10-larijani-visits-oman";
    const data = await loadSource(kit(`/sources/${id}`, { id }));
    const { body } = render(SourcePage, { props: { data } as never });
    for (let paragraph = 1; paragraph <= data.source.paragraphs; paragraph++) expect(body).toContain(`id="p${paragraph}"`);
    const cited = data.source.paragraphIndex.find((entry) => entry.citedBy.some((citer) => citer.kind === "event"))!;
    const item = body.slice(body.indexOf(`id="p${cited.paragraph}"`), body.indexOf(`id="p${cited.paragraph + 1}"`));
    for (const citer of cited.citedBy) expect(item).toContain(citer.kind === "event" ? `href="/events/${citer.id}"` : `href="/actors/${citer.id}"`);
    expect(body).toContain("No web address is known");
    const withUrl = render(SourcePage, { props: { data: { ...data, source: { ...data.source, url: "https://example.org/a" } } } as never }).body;
    expect(withUrl).toContain('href="https://example.org/a"');
  });
});

describe("how well events are sourced", () => {
  it("the event page says \"one source\" plainly when only one article supports the event", async () => {
    const all = await loadEvents(kit("/events"));
    const single = all.events.data.find((event) => event.sourcing.sources === 1)!;
    const corroborated = all.events.data.find((event) => event.sourcing.sources > 1)!;
    expect((await eventPage(single.id)).body).toMatch(/<dd class="sourcing-fact[^"]*">\s*one source/);
    expect((await eventPage(corroborated.id)).body).toContain(`${corroborated.sourcing.sources} sources from`);
  });

  it("every row of a list carries a sourcing badge, and the minSources facet keeps corroborated events only", async () => {
    const all = await loadEvents(kit("/events"));
    const { body } = render(EventsPage, { props: { data: all } as never });
    expect(body.match(/class="badge sourcing /g)).toHaveLength(all.events.data.length);
    expect(body).toContain('href="/events?minSources=2"');
    const kept = await loadEvents(kit("/events?minSources=2"));
    expect(kept.events.data.length).toBe(all.corroborated);
    expect(kept.events.data.every((event) => event.sourcing.sources >= 2)).toBe(true);
    expect(render(EventsPage, { props: { data: kept } as never }).body).toContain("sources: at least 2");
  });

  it("the overview states the share of single-source events", async () => {
    const data = await loadOverview(kit("/"));
    const all = await loadEvents(kit("/events?limit=500"));
    const single = snapshot.meta.counts.events - all.corroborated;
    expect(data.singleSource).toBe(single);
    const { body } = render(OverviewPage, { props: { data } as never });
    expect(body).toContain(`${single} of ${snapshot.meta.counts.events} events (${Math.round((single / snapshot.meta.counts.events) * 100)}%)</strong> rest on a single source`);
  });
});

describe("offices", () => {
  const SNSC = "secretary-of-iran-supreme-national-security-council";

  it("lists every office with its holders, and answers who held one on a day with the citation", async () => {
    const all = await loadOffices(kit("/offices"));
    const list = render(OfficesPage, { props: { data: all } as never }).body;
    expect(list.match(/href="\/offices\/[a-z0-9-]+"/g)).toHaveLength(snapshot.meta.counts.posts);
    const on = await loadOffices(kit("/offices?on=2024-05-01&q=Supreme%20National"));
    const row = render(OfficesPage, { props: { data: on } as never }).body;
    expect(row).toContain('href="/actors/ali-akbar-ahmadian"');
    expect(row).not.toContain('href="/actors/ali-larijani"');
    const office = await loadOffice(kit(`/offices/${SNSC}?on=2024-05-01`, { id: SNSC }));
    const page = render(OfficePage, { props: { data: office } as never }).body;
    expect(page).toContain("Ali Akbar Ahmadian");
    expect(page).toContain('href="/sources/2025-05-28-pezeshkian-in-oman#p6"');
  });

  it("is reached from the overview, from every tenure on an actor's page, and from the navigation", async () => {
    const overview = render(OverviewPage, { props: { data: await loadOverview(kit("/")) } as never }).body;
    expect(overview).toContain('href="/offices"');
    const actor = await loadActor(kit("/actors/ali-larijani", { id: "ali-larijani" }));
    const body = render(ActorPage, { props: { data: actor } as never }).body;
    for (const position of actor.actor.positions) expect(body).toContain(`href="/offices/${position.post}"`);
  });

  it("says what is wrong with a day that is not one", async () => {
    await expect(loadOffices(kit("/offices?on=2024-13-01"))).rejects.toMatchObject({ status: 400 });
  });
});

describe("vocabularies on the pages", () => {
  /** What a reader sees: the text between tags, not ids in links or attributes. */
  const visibleText = (html: string) =>
    html
      .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ");
  // Every value with a label of its own; one-word ids ("host") are ordinary words in prose, so the
  // ids looked for are the hyphenated ones, as written and with spaces ("us iran talks").
  const ids = [
    ...Object.values(VOCABULARY_LABELS).flatMap((labels) => Object.entries(labels)),
    ...Object.entries(EVENT_TYPES).map(([id, type]) => [id, type.label] as const),
  ].filter(([id, label]) => id.includes("-") && label.toLowerCase() !== id.replace(/-/g, " "));

  it("shows labels, never the ids, of types, topics, statuses, roles and kinds", async () => {
    const events = await loadEvents(kit("/events?limit=500"));
    const withTopics = events.events.data.filter((event) => event.topics.some((topic) => topic.includes("-")));
    const notOccurred = events.events.data.find((event) => event.status !== "occurred")!;
    const pages: [string, unknown, Record<string, unknown>][] = [
      ["/", OverviewPage, await loadOverview(kit("/"))],
      ["/events", EventsPage, events],
      ["/events?topic=us-iran-talks&status=reported-planned", EventsPage, await loadEvents(kit("/events?topic=us-iran-talks&status=reported-planned"))],
      ["/actors", ActorsPage, await loadActors(kit("/actors"))],
      ["/sources", SourcesPage, await loadSources(kit("/sources"))],
      ["/search?q=Oman", SearchPage, await loadSearch(kit("/search?q=Oman"))],
      ["/offices", OfficesPage, await loadOffices(kit("/offices"))],
    ];
    for (const event of [...withTopics.slice(0, 5), notOccurred]) pages.push([`/events/${event.id}`, EventPage, await loadEvent(kit(`/events/${event.id}`, { id: event.id }))]);
    for (const id of ["ali-larijani", "supreme-national-security-council", "irna"]) pages.push([`/actors/${id}`, ActorPage, await loadActor(kit(`/actors/${id}`, { id }))]);
    for (const id of ["2026-02-12-larijani-meets-sultan"]) pages.push([`/sources/${id}`, SourcePage, await loadSource(kit(`/sources/${id}`, { id }))]);
    for (const id of ["muscat"]) pages.push([`/places/${id}`, PlacePage, await loadPlace(kit(`/places/${id}`, { id }))]);
    for (const [path, component, data] of pages) {
      const html = render(component as never, { props: { data } as never }).body;
      const text = visibleText(html);
      // Text of each element on its own: a humanized id ("us iran talks") shown as a value.
      const values = new Set(html.replace(/<(script|style)[\s\S]*?<\/\1>/g, " ").split(/<[^>]+>/).map((chunk) => chunk.replace(/[\s,·:]+/g, " ").trim().toLowerCase()));
      for (const [id] of ids) {
        expect(new RegExp(`(^|[^\\w-])${id}($|[^\\w-])`).test(text) ? `${path} shows "${id}"` : "").toBe("");
        expect(values.has(id.replace(/-/g, " ")) ? `${path} shows "${id.replace(/-/g, " ")}"` : "").toBe("");
      }
    }
    const eventPage = visibleText(render(EventPage, { props: { data: pages.find(([path]) => path === `/events/${notOccurred.id}`)![2] } as never }).body);
    expect(eventPage).toContain(VOCABULARY_LABELS.status[notOccurred.status]);
  });
});
