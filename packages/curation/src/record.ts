import type { Dataset } from "@backchannel/dataset";
import { nameKeys, nameTokens } from "@backchannel/dataset/names";
import type { Actor, Event, Place, Post } from "@backchannel/schema";

/** A spelling of an actor: its canonical name or an alias, reduced to what matching compares. */
export interface NameEntry {
  actor: Actor;
  name: string;
  /** Content tokens: particles and titles dropped ("Sayyid Hamoud bin Faisal al-Busaidi" → hamoud, faisal, busaidi). */
  tokens: string[];
  native: boolean;
  /** Written with lowercase words ("Iran's highest security body"): found as a phrase, not a proper name. */
  phrase: boolean;
}

/** Transliteration particles and honorifics: they say nothing about who is meant. */
export const PARTICLES = new Set(["al", "el", "ul", "bin", "bint", "ibn", "of", "the", "bn"]);
export const HONORIFICS = new Set(["sheikh", "shaikh", "sayyid", "sayed", "ayatollah", "brigadier", "general", "brigadiergeneral", "dr", "mr", "mrs", "ms", "sultan", "emir", "amir", "king", "prince", "hojatoleslam", "sheikha"]);

const LATIN = /^[\p{Script=Latin}\d'’\s.,()-]+$/u;

/** Folds the spelling of Arabic-script text: Arabic and Persian yeh and kaf alike, no vowel marks, ZWNJ as space. */
export function foldNative(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
    .replace(/\u200c/g, " ")
    .replace(/[يى]/g, "ی")
    .replace(/ك/g, "ک")
    .replace(/[أإآ]/g, "ا")
    .replace(/\s+/g, " ");
}

/** Content tokens of a name, with "al" folded into the following token the way "Albusaidi" writes it. */
export function contentTokens(text: string): string[] {
  const tokens = nameTokens(text);
  const content: string[] = [];
  for (const token of tokens) {
    if (PARTICLES.has(token) || HONORIFICS.has(token)) continue;
    // "Albusaidi" is "al Busaidi" written as one word: compare its stem.
    content.push(token.length > 6 && /^(al|el)/.test(token) && !/^(alexand|albert|alban|elizab|eleanor)/.test(token) ? token.slice(2) : token);
  }
  return content;
}

/** Demonyms and their countries: "Iranian President" says which state's president. */
export const DEMONYMS: Record<string, string> = {
  iranian: "Iran",
  omani: "Oman",
  qatari: "Qatar",
  russian: "Russia",
  american: "United States",
  israeli: "Israel",
  saudi: "Saudi Arabia",
  emirati: "United Arab Emirates",
  turkish: "Turkiye",
  egyptian: "Egypt",
  bahraini: "Bahrain",
  yemeni: "Yemen",
  iraqi: "Iraq",
  lebanese: "Lebanon",
  chinese: "China",
  european: "European Union",
  iranische: "Iran",
  iranischen: "Iran",
  omanische: "Oman",
  omanischen: "Oman",
};

/** The record, indexed for the assistant: names by search key, posts, places, events. */
export class RecordIndex {
  readonly actors = new Map<string, Actor>();
  readonly posts = new Map<string, Post>();
  readonly places = new Map<string, Place>();
  readonly events: Event[];
  readonly entries: NameEntry[] = [];
  /** Search key (the snapshot's: token and phonetic) → entries holding it. */
  readonly byKey = new Map<string, Set<NameEntry>>();
  /** Lowercased place name or alias → place. */
  readonly placeNames = new Map<string, Place>();
  /** Each place with one pattern for all its names, compiled once. */
  readonly placePatterns: { place: Place; pattern: RegExp }[] = [];
  readonly stateByName = new Map<string, Actor>();

  constructor(readonly dataset: Dataset) {
    this.events = dataset.events;
    for (const post of dataset.posts) this.posts.set(post.id, post);
    for (const place of dataset.places) {
      this.places.set(place.id, place);
      for (const name of [place.name, ...place.aliases]) this.placeNames.set(name.toLowerCase(), place);
      const names = [place.name, ...place.aliases].sort((a, b) => b.length - a.length).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      this.placePatterns.push({ place, pattern: new RegExp(`(?<![\\p{L}])(?:${names.join("|")})(?![\\p{L}])`, "gu") });
    }
    for (const actor of dataset.actors) {
      this.actors.set(actor.id, actor);
      if (actor.kind === "state") this.stateByName.set(actor.name.toLowerCase(), actor);
      for (const name of [actor.name, ...actor.aliases.map((alias) => alias.name)]) {
        const native = !LATIN.test(name);
        const entry: NameEntry = { actor, name, tokens: native ? [] : contentTokens(name), native, phrase: !native && name.split(/\s+/).some((word) => /^\p{Ll}{3,}$/u.test(word) && !PARTICLES.has(word)) };
        this.entries.push(entry);
        if (native || entry.phrase) continue;
        for (const { key } of nameKeys(name)) {
          let set = this.byKey.get(key);
          if (!set) this.byKey.set(key, (set = new Set()));
          set.add(entry);
        }
      }
    }
  }

  stateForDemonym(word: string): Actor | undefined {
    const country = DEMONYMS[word.toLowerCase()];
    return country ? this.stateByName.get(country.toLowerCase()) : undefined;
  }

  /** The state actor of a country code, for "Iran's" and guesses about new actors. */
  stateOfCountry(code: string): Actor | undefined {
    for (const actor of this.actors.values()) if (actor.kind === "state" && actor.country === code) return actor;
    return undefined;
  }

  /** Who held a post on a day (precision-aware: a tenure from 2025-08 covers 2025-08-15). */
  holders(postId: string, day: string): Actor[] {
    const holders: Actor[] = [];
    for (const actor of this.actors.values()) {
      for (const position of actor.positions) {
        if (position.post !== postId) continue;
        const from = position.start ? position.start : "0000";
        const to = position.end ? position.end : "9999";
        if (from <= day.slice(0, from.length) && day.slice(0, to.length) <= to) holders.push(actor);
      }
    }
    return holders;
  }
}
