import { nameKeys, nameTokens } from "@backchannel/dataset";
import { describe, expect, it } from "vitest";
import { unwrap } from "./client.js";
import { spellingSimilarity } from "./store/search.js";
import { curatedApi } from "../test/harness.js";

const { client, dataset } = curatedApi();

/** The events and sources a word finds: through /search, and through `q` on /events and /sources. */
async function found(q: string) {
  const search = await unwrap(client.api.v1.search.$get({ query: { q, kind: ["event", "source"], limit: "100" } }));
  const events = await unwrap(client.api.v1.events.$get({ query: { q, limit: "500" } }));
  const sources = await unwrap(client.api.v1.sources.$get({ query: { q, limit: "500" } }));
  return {
    search: search.data.map((hit) => `${hit.kind}:${hit.id}`).sort(),
    events: events.data.map((event) => event.id).sort(),
    sources: sources.data.map((source) => source.id).sort(),
  };
}

/** Pairs of words in one actor's names that the phonetic matcher reads as one name: Araqchi and Araghchi. */
function spellingPairs(): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  for (const actor of dataset.actors) {
    const words = [...new Set([actor.name, ...actor.aliases.map((alias) => alias.name)].flatMap(nameTokens))].filter((word) => /^[a-z]{4,}$/.test(word));
    for (const a of words) {
      const sounds = new Set(nameKeys(a).filter(({ key }) => key.startsWith("p:")).map(({ key }) => key));
      for (const b of words) {
        if (a < b && spellingSimilarity(a, b) >= 0.5 && nameKeys(b).some(({ key }) => sounds.has(key))) pairs.set(`${a}|${b}`, [a, b]);
      }
    }
  }
  return [...pairs.values()];
}

describe("any spelling of a name finds the same events and sources", () => {
  it("Araqchi finds what Araghchi finds, and the hit says which spelling it holds", async () => {
    const araqchi = await found("Araqchi");
    expect(araqchi).toEqual(await found("Araghchi"));
    expect(araqchi.search).toEqual(expect.arrayContaining(["source:2026-02-12-larijani-meets-sultan", "event:2026-02-araghchi-briefs-regional-counterparts-by-phone"]));
    const search = await unwrap(client.api.v1.search.$get({ query: { q: "Araqchi", kind: "event" } }));
    expect(search.data.find((hit) => hit.id === "2026-02-araghchi-briefs-regional-counterparts-by-phone")?.matched).toBe('spelled "Araghchi" for "Araqchi"');
  });

  it.each(spellingPairs())("%s and %s", async (a, b) => {
    expect(await found(a)).toEqual(await found(b));
  }, 20_000);

  it("the curated names hold spellings to compare", () => {
    expect(spellingPairs().length).toBeGreaterThanOrEqual(2);
  });
});

describe("word forms and relevance", () => {
  it("finds every form of a word, and types and topics as well as titles and summaries", async () => {
    const mediation = await unwrap(client.api.v1.events.$get({ query: { q: "mediation", limit: "500" } }));
    const ids = mediation.data.map((event) => event.id);
    // Events of the mediation types, and events whose text says "mediated" or "mediator".
    const expected = dataset.events.filter(
      (event) => ["mediation", "mediated-talks"].includes(event.type) || /\bmediat(ed|ion|or|ing)\b/i.test(`${event.title} ${event.summary}`),
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(ids).toEqual(expect.arrayContaining(expected.map((event) => event.id)));
    const topic = dataset.events.find((event) => event.topics.includes("gaza") && !/gaza/i.test(`${event.title} ${event.summary}`));
    if (topic) expect((await unwrap(client.api.v1.events.$get({ query: { q: "gaza", limit: "500" } }))).data.map((event) => event.id)).toContain(topic.id);
  });

  it.each([
    ["nuclear talks", "2025-04-oman-mediated-us-iran-nuclear-talks"],
    ["jcpoa concluded", "2015-jcpoa-concluded"],
    ["12-day war", "2025-06-twelve-day-iran-israel-war"],
  ])("ranks by relevance: %s puts %s first among events", async (q, first) => {
    const search = await unwrap(client.api.v1.search.$get({ query: { q, kind: "event" } }));
    expect(search.data[0]?.id).toBe(first);
    const scores = search.data.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it("ranks a title match above a summary-only mention", async () => {
    const search = await unwrap(client.api.v1.search.$get({ query: { q: "Muscat", kind: "event", limit: "100" } }));
    const inTitle = search.data.filter((hit) => /muscat/i.test(hit.label)).map((hit) => hit.id);
    const others = search.data.filter((hit) => !/muscat/i.test(hit.label));
    expect(inTitle.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    expect(search.data.slice(0, inTitle.length).map((hit) => hit.id).sort()).toEqual(inTitle.sort());
  });
});
