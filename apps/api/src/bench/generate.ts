import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { once } from "node:events";
import { EVENT_TYPES, EventStatusSchema, ParticipantRoleSchema, TopicSchema, type Actor, type Event, type Place, type Source } from "@backchannel/schema";

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same dataset. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticSize {
  events: number;
  actors: number;
  sources: number;
  places: number;
}

const SYLLABLES = ["ab", "ba", "dar", "far", "ha", "jan", "kar", "la", "mah", "mir", "na", "qa", "ra", "sa", "sha", "tar", "za", "vad", "hos", "ein", "ash", "rez", "bak", "gol", "nas", "sul", "tam", "yas", "zar", "kh"];
const COUNTRIES = ["IR", "OM", "US", "IL", "RU", "QA", "SA", "AE", "BH", "EG", "TR", "IQ", "YE", "LB", "SY", "JO", "KW", "PK", "IN", "CN", "GB", "FR", "DE", "IT", "BE", "TH", "JP", "KR", "BR", "ZA"];
const WORDS = ["talks", "visit", "security", "trade", "nuclear", "maritime", "ministers", "delegation", "agreement", "ceasefire", "summit", "exercise", "border", "energy", "sanctions", "mediation", "envoy", "statement", "regional", "cooperation"];
const EVENT_TYPE_IDS = Object.keys(EVENT_TYPES) as (keyof typeof EVENT_TYPES)[];
const ROLES = ParticipantRoleSchema.options;
const TOPICS = TopicSchema.options;
const STATUSES = EventStatusSchema.options;

/**
 * Writes a synthetic dataset as `<kind>.ndjson` files that the snapshot builder validates like
 * curated data: names built from syllables with transliteration variants as aliases, a few
 * "hub" actors in many events (as heads of state are), dates at all three precisions.
 */
export async function generateSynthetic(dir: string, size: SyntheticSize, seed = 20261122): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pad = (n: number, width = 7) => String(n).padStart(width, "0");
  const word = () => {
    const name = Array.from({ length: int(2, 3) }, () => pick(SYLLABLES)).join("");
    return name[0]!.toUpperCase() + name.slice(1);
  };
  const variant = (name: string) => name.replace(/q/g, "gh").replace(/k/g, "q").replace(/ee/g, "i").replace(/a/, "aa");

  async function write<T>(kind: string, count: number, make: (index: number) => T) {
    const out = createWriteStream(join(dir, `${kind}.ndjson`));
    for (let i = 0; i < count; i++) {
      if (!out.write(`${JSON.stringify(make(i))}\n`)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  }

  await write<Place>("places", size.places, (i) => ({
    id: `place-${pad(i, 5)}`,
    name: `${word()} ${pick(["City", "Port", "Valley", "Palace", "Hills"])}`,
    aliases: [],
    kind: pick(["city", "city", "city", "region", "venue", "palace"] as const),
    country: pick(COUNTRIES),
    latitude: Math.round((rand() * 140 - 70) * 1e4) / 1e4,
    longitude: Math.round((rand() * 340 - 170) * 1e4) / 1e4,
  }));

  await write<Actor>("actors", size.actors, (i) => {
    const person = rand() < 0.7;
    const name = person ? `${word()} ${word()}` : `${word()} ${pick(["Council", "Ministry", "Agency", "Forces", "Front"])}`;
    const kind = person ? "person" : pick(["state", "organisation", "government-body", "military-unit", "news-agency", "armed-group"] as const);
    return {
      id: `actor-${pad(i, 6)}`,
      kind,
      name,
      // A made-up spelling is no source's: marked common, as the record requires.
      aliases: rand() < 0.5 ? [{ name: variant(name), common: true }] : [],
      // International bodies belong to no country.
      ...(kind === "organisation" ? {} : { country: pick(COUNTRIES) }),
      description: `Synthetic actor ${i}.`,
      positions: [],
    };
  });

  const sourceParagraphs: number[] = [];
  await write<Source>("sources", size.sources, (i) => {
    const paragraphs = int(8, 40);
    sourceParagraphs.push(paragraphs);
    return {
      id: `source-${pad(i, 6)}`,
      kind: "news-article",
      file: `synthetic-${i}.txt`,
      description: `Synthetic article ${i}.`,
      outlet: { basis: "unknown", note: "synthetic" },
      published: { date: `${int(2000, 2026)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`, basis: "stated" },
      language: "en",
      paragraphs,
      credits: [],
    };
  });

  // A few hubs take part in many events: a skewed draw like the real record's heads of state.
  const actor = () => `actor-${pad(rand() < 0.2 ? Math.floor(rand() * 200) : Math.floor(rand() * size.actors), 6)}`;
  await write<Event>("events", size.events, (i) => {
    const year = int(2000, 2026);
    const precision = rand();
    const start = precision < 0.1 ? `${year}` : precision < 0.25 ? `${year}-${pad(int(1, 12), 2)}` : `${year}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`;
    const participants = [...new Set(Array.from({ length: int(2, 5) }, actor))].map((id) => ({ actor: id, role: pick(ROLES) }));
    const source = int(0, size.sources - 1);
    return {
      id: `event-${pad(i)}`,
      title: `${pick(WORDS)} ${pick(WORDS)} ${word()}`,
      summary: `Synthetic ${pick(WORDS)} between ${participants.length} actors about ${pick(WORDS)} and ${pick(WORDS)}.`,
      date: { start, basis: "stated" },
      status: rand() < 0.9 ? "occurred" : pick(STATUSES),
      type: pick(EVENT_TYPE_IDS),
      places: rand() < 0.8 ? [`place-${pad(int(0, size.places - 1), 5)}`] : [],
      participants,
      topics: [...new Set([pick(TOPICS), pick(TOPICS)])],
      relations: i > 0 && rand() < 0.05 ? [{ type: "follows", event: `event-${pad(int(0, i - 1))}` }] : [],
      citations: [{ source: `source-${pad(source, 6)}`, paragraphs: [int(1, sourceParagraphs[source]!)], quote: "the words that support it" }],
    };
  });
}
