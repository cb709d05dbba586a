import { nameKeys, nameTokens } from "@backchannel/dataset/names";
import type { Actor, ActorKind, Candidate } from "@backchannel/schema";
import { jaroWinkler } from "@skyra/jaro-winkler";
import { contentTokens, DEMONYMS, foldNative, HONORIFICS, PARTICLES, type NameEntry, type RecordIndex } from "./record.js";

/** One place in the text that names or describes an actor. */
export interface ActorMention {
  index: number;
  length: number;
  text: string;
  status: "existing" | "ambiguous" | "new";
  actor?: string;
  candidates: Candidate[];
  via: "name" | "alias" | "native-script" | "post" | "demonym" | "coreference";
  confidence: number;
  /** "Iranian" in "Iranian President Masoud Pezeshkian": it qualifies a neighbour, it does not act. */
  modifier: boolean;
  post?: string;
  kind?: ActorKind;
  country?: string;
}

interface Word {
  text: string;
  index: number;
}

// A possessive "'s" ends a word: "Iran's IRNA" is Iran and IRNA, not one name; so does a hyphen
// before a capital: "Iran-Israel war" names two states, "al-Busaidi" is a particle and a name.
const WORD = /[\p{L}\p{M}\d](?:[\p{L}\p{M}\d]|-(?=[\p{Ll}\d])|['’](?!s\b))*/gu;
/** Capitalised words that begin sentences or name months, days, offices: never a name by themselves. */
const STOP = new Set(
  "the a an in on at as for and but or if it its this that these those there their they he she his her we our us you i meanwhile however while during after before since when where which who what although according years year analysts reporting regarding pointing for his part mr both some other more most many much several such".split(" "),
);
const TITLE_WORDS = new Set(
  "president minister ministers foreign deputy prime secretary spokesperson spokesman sultan emir sheikh sayyid ayatollah brigadier-general brigadier general defense defence interior justice industry labor labour cooperatives social welfare mine trade state supreme leader council national security head chief adviser advisor official officials king prince crown governor ambassador commander army navy force forces air ground royal police agency news ministry".split(" "),
);
const CALENDAR = new Set("january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday".split(" "));
const ORGANISATION_WORDS = /\b(organi[sz]ation|council|agency|ministry|dialogue|assembly|union|forces?|army|navy|guard|corps|police|committee|party|movement|bank|fund|company|group|institute|university|news|times|post|press|media|tv|radio)\b/i;

const isCapital = (word: string) => /^\p{Lu}/u.test(word) || /^(al|el)-\p{Lu}/u.test(word);
const isConnector = (word: string) => /^(bin|bint|ibn|al|Al|el|El|bn|de|van|der|von)$/.test(word);

const phoneticCache = new Map<string, Set<string>>();
function phonetic(token: string): Set<string> {
  let keys = phoneticCache.get(token);
  if (!keys) {
    keys = new Set(nameKeys(token).filter((k) => k.key.startsWith("p:")).map((k) => k.key));
    phoneticCache.set(token, keys);
  }
  return keys;
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length <= 3 || b.length <= 3) return 0;
  const score = jaroWinkler(a, b);
  if (score >= 0.9) return score;
  // The snapshot's phonetic key makes Araqchi and Araghchi, Zarif and Zareef meet.
  const keysA = phonetic(a);
  const shared = [...phonetic(b)].some((key) => keysA.has(key));
  return shared && score >= 0.8 ? score : 0;
}

/** How well a written name fits one spelling of an actor: every written token must be matched. */
function fit(tokens: string[], entry: NameEntry): number {
  if (tokens.length === 0 || entry.tokens.length === 0) return 0;
  let total = 0;
  let missed = 0;
  const covered = new Set<number>();
  for (const token of tokens) {
    let best = 0;
    let at = -1;
    entry.tokens.forEach((candidate, index) => {
      const score = similarity(token, candidate);
      if (score > best) [best, at] = [score, index];
    });
    // A long name may carry one more ancestor than the record spells ("bin Hamood"); a short one may not.
    if (best === 0) {
      if (++missed * 3 > tokens.length || tokens.length < 3) return 0;
      continue;
    }
    total += best;
    covered.add(at);
  }
  return (total / tokens.length) * (0.8 + (0.2 * covered.size) / entry.tokens.length);
}

/** Existing actors a written name may mean, best first. */
export function rankActors(name: string, index: RecordIndex): Candidate[] {
  const tokens = contentTokens(name);
  if (tokens.length === 0) return [];
  const entries = new Set<NameEntry>();
  for (const { key } of nameKeys(tokens.join(" "))) for (const entry of index.byKey.get(key) ?? []) entries.add(entry);
  const best = new Map<string, Candidate>();
  for (const entry of entries) {
    const score = fit(tokens, entry);
    if (score < 0.75) continue;
    // One word of a body's longer name ("Cooperation" of the Asia Cooperation Dialogue) does not name it; a family name names a person.
    if (tokens.length === 1 && entry.tokens.length > 1 && entry.actor.kind !== "person") continue;
    const known = best.get(entry.actor.id);
    if (!known || known.score < score) {
      best.set(entry.actor.id, { id: entry.actor.id, name: entry.actor.name, score: Math.round(score * 1000) / 1000, reason: `"${name}" ~ "${entry.name}"` });
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

function words(sentence: string): Word[] {
  return [...sentence.matchAll(WORD)].map((match) => ({ text: match[0], index: match.index }));
}

/** Posts written as descriptions: "Iran's foreign minister", "the secretary of Iran's Supreme National Security Council". */
interface PostPattern {
  post: string;
  office: string[];
  organisation: Actor;
}

const OFFICE_SYNONYMS: Record<string, string> = { defense: "defence", labor: "labour", spokesman: "spokesperson", spokeswoman: "spokesperson", head: "secretary", chief: "secretary", ruler: "sovereign", sultan: "sovereign", emir: "sovereign", amir: "sovereign", foreign: "foreign", affairs: "" };
const SOVEREIGN_TITLES = ["sultan", "emir", "amir", "king", "queen"];
const canonicalOffice = (token: string) => (token in OFFICE_SYNONYMS ? OFFICE_SYNONYMS[token]! : token);

export function postPatterns(index: RecordIndex): PostPattern[] {
  const patterns: PostPattern[] = [];
  for (const post of index.posts.values()) {
    const organisation = index.actors.get(post.organisation);
    if (!organisation) continue;
    const orgWords = new Set([...nameTokens(organisation.name), ...organisation.aliases.flatMap((alias) => nameTokens(alias.name))]);
    const country = organisation.country ? index.stateOfCountry(organisation.country) : undefined;
    if (country) for (const word of nameTokens(country.name)) orgWords.add(word);
    const office = nameTokens(post.title)
      .filter((word) => !orgWords.has(word) && !["of", "the", "and", "s"].includes(word))
      .map(canonicalOffice)
      .filter(Boolean);
    if (office.length > 0) patterns.push({ post: post.id, office: [...new Set(office)], organisation });
  }
  return patterns;
}

/** Whether the words around an office name its organisation: by name, alias, country or demonym. */
function namesOrganisation(window: string, organisation: Actor, index: RecordIndex): boolean {
  const lower = window.toLowerCase().replace(/’/g, "'");
  const names = [organisation.name, ...organisation.aliases.filter((alias) => !alias.lang).map((alias) => alias.name)];
  const country = organisation.country ? index.stateOfCountry(organisation.country) : undefined;
  if (country) names.push(country.name, ...country.aliases.filter((alias) => !alias.lang && alias.name.length > 3).map((alias) => alias.name));
  if (names.some((name) => new RegExp(`\\b${name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(lower))) return true;
  if (organisation.kind !== "state" && !country) return false;
  const state = organisation.kind === "state" ? organisation : country!;
  return Object.entries(DEMONYMS).some(([demonym, name]) => name === state.name && new RegExp(`\\b${demonym}\\b`).test(lower));
}

export interface LinkOptions {
  /** The day role descriptions are resolved at (the event's, else the publication date). */
  day: string;
}

/**
 * Every actor mention of one sentence. `earlier` holds the actors already named in the article,
 * most recent last: a bare "Busaidi" after "Hamoud bin Faisal al-Busaidi" means him.
 */
export function findActorMentions(sentence: string, index: RecordIndex, patterns: PostPattern[], options: LinkOptions, earlier: string[]): ActorMention[] {
  const mentions: ActorMention[] = [];
  const taken: [number, number][] = [];
  const free = (from: number, length: number) => taken.every(([a, b]) => from + length <= a || from >= b);
  const add = (mention: ActorMention) => {
    if (!free(mention.index, mention.length)) return;
    taken.push([mention.index, mention.index + mention.length]);
    mentions.push(mention);
  };

  // Curated spellings in other scripts, and descriptive aliases, are found as written.
  const folded = foldNative(sentence);
  const lowered = sentence.toLowerCase().replace(/’/g, "'");
  for (const entry of index.entries) {
    if (entry.native) {
      const at = folded.indexOf(foldNative(entry.name));
      if (at >= 0) add(existing(entry.actor, at, entry.name.length, sentence.substr(at, entry.name.length), "native-script", 0.95, `native-script alias "${entry.name}"`));
    } else if (entry.phrase) {
      const at = lowered.indexOf(entry.name.toLowerCase().replace(/’/g, "'"));
      if (at >= 0) add(existing(entry.actor, at, entry.name.length, sentence.slice(at, at + entry.name.length), "alias", 0.9, `alias "${entry.name}"`));
    }
  }

  const list = words(sentence);
  // Runs of capitalised words (with the particles names carry) are candidate names.
  let i = 0;
  while (i < list.length) {
    if (!isCapital(list[i]!.text)) {
      i++;
      continue;
    }
    let j = i;
    // A name runs over spaces only: "Kurdistan24) — The" is two things.
    const joined = (a: Word, b: Word) => /^(\s+|-)$/.test(sentence.slice(a.index + a.text.length, b.index));
    while (
      j + 1 < list.length &&
      joined(list[j]!, list[j + 1]!) &&
      // "Royal Army of Oman", "Ministry of Foreign Affairs": "of" between capitals stays inside a name.
      (isCapital(list[j + 1]!.text) || ((isConnector(list[j + 1]!.text) || list[j + 1]!.text === "of") && list[j + 2] && joined(list[j + 1]!, list[j + 2]!) && isCapital(list[j + 2]!.text)))
    )
      j++;
    linkRun(list.slice(i, j + 1));
    i = j + 1;
  }

  function linkRun(run: Word[]) {
    let start = 0;
    while (start < run.length) {
      const word = run[start]!.text;
      const lower = word.toLowerCase();
      const rest = sentence.slice(run[start]!.index, run.at(-1)!.index + run.at(-1)!.text.length).toLowerCase();
      const placeHere = isConnector(word) && [...index.placeNames.keys()].some((name) => rest.startsWith(name));
      // "US" in capitals is the country, not the pronoun.
      const acronym = /^\p{Lu}{2,}$/u.test(word);
      if (!placeHere && ((STOP.has(lower) && !acronym) || CALENDAR.has(lower) || isConnector(word) || word === "of")) {
        start++;
        continue;
      }
      let linked = false;
      for (let end = run.length - 1; end >= start && !linked; end--) {
        const first = run[start]!;
        const last = run[end]!;
        if (last.text === "of" || isConnector(last.text)) continue; // "Minister of" is no name
        const text = sentence.slice(first.index, last.index + last.text.length).replace(/['’]s$/, "");
        // "in Tehran" is a place; "between Tehran and Washington" is a government acting.
        const locative = /\b(in|at|to|from|near|into|visited|visit|visits|across|around)\s+(the\s+)?$/i.test(sentence.slice(Math.max(0, first.index - 12), first.index));
        const isPlace = index.placeNames.has(text.toLowerCase()) && !index.stateByName.has(text.toLowerCase());
        if (isPlace && (locative || rankActors(text, index).length === 0)) {
          linked = true; // a place, not an actor (a state is both: it stays an actor)
          start = end + 1;
          break;
        }
        const state = end === start ? index.stateForDemonym(lower) : undefined;
        if (state) {
          // "Israeli pressure" names no actor; "Iranian and Qatari delegations", "Israeli forces" do.
          const acting = /^(\s+and\s+\p{Lu}\p{L}+)?\s+(officials?|delegations?|forces|troops|government|authorities|side|leaders?|counterparts?|military|army|navy|diplomats?|negotiators?)\b/u.test(sentence.slice(first.index + text.length, first.index + text.length + 40));
          add({ ...existing(state, first.index, text.length, text, "demonym", 0.9, `demonym "${text}"`), modifier: !acting });
          linked = true;
          start = end + 1;
          break;
        }
        const candidates = rankActors(text, index);
        if (candidates.length === 0) continue;
        // Office words alone ("Foreign Minister") name a body only when spelled exactly as it is.
        const allTitles = run.slice(start, end + 1).every((w) => TITLE_WORDS.has(w.text.toLowerCase()) || isConnector(w.text) || index.stateForDemonym(w.text) !== undefined);
        if (allTitles && candidates[0]!.score < 0.99) continue;
        add(decide(text, first.index, candidates));
        linked = true;
        start = end + 1;
      }
      if (!linked && (TITLE_WORDS.has(lower) || HONORIFICS.has(lower))) {
        start++;
        continue;
      }
      // "Yesterday Abbas Araqchi": a known name later in the run wins over a new one from here.
      if (!linked && laterLinks(run, start + 1)) {
        start++;
        continue;
      }
      if (!linked) {
        // Nothing known: a run of two or more name-like words is proposed as a new actor.
        let end = start;
        while (end + 1 < run.length && !STOP.has(run[end + 1]!.text.toLowerCase())) end++;
        const piece = run.slice(start, end + 1);
        const text = sentence.slice(piece[0]!.index, piece.at(-1)!.index + piece.at(-1)!.text.length).replace(/['’]s$/, "");
        const content = piece.filter((w) => !isConnector(w.text) && !TITLE_WORDS.has(w.text.toLowerCase()));
        const placeLike = content.some((w) => index.placeNames.has(w.text.toLowerCase())) || CALENDAR.has(content[0]?.text.toLowerCase() ?? "");
        if (content.length >= 2 && !placeLike && !/\d/.test(text)) {
          add({ index: piece[0]!.index, length: text.length, text, status: "new", candidates: [], via: "name", confidence: 0.4, modifier: false, kind: guessKind(text) });
        }
        start = end + 1;
      }
    }
  }

  function laterLinks(run: Word[], from: number): boolean {
    for (let s = from; s < run.length; s++) {
      for (let e = run.length - 1; e >= s; e--) {
        const text = sentence.slice(run[s]!.index, run[e]!.index + run[e]!.text.length);
        const candidates = rankActors(text, index);
        const allTitles = run.slice(s, e + 1).every((w) => TITLE_WORDS.has(w.text.toLowerCase()) || isConnector(w.text) || index.stateForDemonym(w.text) !== undefined);
        if (candidates.length > 0 && (!allTitles || candidates[0]!.score >= 0.99)) return true;
      }
    }
    return false;
  }

  function decide(text: string, at: number, candidates: Candidate[]): ActorMention {
    const [best, second] = candidates;
    // A family name alone ("Albusaidi") fits everyone who bears it, however fully each is spelled.
    const single = contentTokens(text).length === 1;
    // An exact spelling of one record wins, except a bare family name, which several people may bear.
    const exact = candidates.filter((candidate) => candidate.score >= 0.999);
    if (exact.length === 1 && (!single || index.actors.get(exact[0]!.id)?.kind !== "person")) {
      return { index: at, length: text.length, text, status: "existing", actor: exact[0]!.id, candidates, via: "name", confidence: 0.95, modifier: false };
    }
    const tied = candidates.filter((candidate) => candidate.score >= best!.score - 0.05 || (single && candidate.score >= 0.75));
    if (tied.length === 1 && (!second || best!.score - second.score >= 0.05 || (single && second.score < 0.75))) {
      return { index: at, length: text.length, text, status: "existing", actor: best!.id, candidates, via: "name", confidence: Math.min(0.98, best!.score), modifier: false };
    }
    // Several fit as well: the one the article named most recently is meant, if any; else the curator picks.
    const recent = [...earlier].reverse().find((id) => tied.some((candidate) => candidate.id === id));
    if (recent) {
      const ranked = [...candidates].sort((a, b) => Number(b.id === recent) - Number(a.id === recent));
      return { index: at, length: text.length, text, status: "existing", actor: recent, candidates: ranked, via: "coreference", confidence: 0.75, modifier: false };
    }
    return { index: at, length: text.length, text, status: "ambiguous", candidates, via: "name", confidence: 0.4, modifier: false };
  }

  // Descriptions of a post resolve to whoever held it on the day.
  const lowerWords = list.map((word) => canonicalOffice(word.text.toLowerCase().replace(/['’]s$/, "")));
  for (const pattern of patterns) {
    const head = pattern.office.at(-1)!;
    lowerWords.forEach((word, at) => {
      if (word !== head && !(pattern.office.length === 1 && word === pattern.office[0])) return;
      const from = Math.max(0, at - 4);
      const to = Math.min(list.length - 1, at + 8);
      const near = lowerWords.slice(Math.max(0, at - 3), at + 2);
      if (!pattern.office.every((office) => near.includes(office))) return;
      // "Ruler" is any sovereign; "emir", "sultan", "king" say which kind: an emir is no sultan.
      const said = list[at]!.text.toLowerCase().replace(/['’]s$/, "");
      const title = index.posts.get(pattern.post)?.title.toLowerCase() ?? "";
      if (SOVEREIGN_TITLES.includes(said) && SOVEREIGN_TITLES.some((other) => other !== said && title.includes(other)) && !title.includes(said)) return;
      // The most specific office wins: "deputy prime minister" is not "prime minister".
      if (patterns.some((other) => other !== pattern && other.office.length > pattern.office.length && pattern.office.every((o) => other.office.includes(o)) && other.office.every((o) => near.includes(o)))) return;
      const window = sentence.slice(list[from]!.index, list[to]!.index + list[to]!.text.length);
      if (!namesOrganisation(window, pattern.organisation, index)) return;
      // The description spans its office words, in whatever order the article puts them.
      const officeAt = pattern.office.map((office) => Math.max(0, at - 3) + near.indexOf(office));
      const startWord = list[Math.min(at, ...officeAt)]!;
      const endWord = list[Math.max(at, ...officeAt)]!;
      const text = sentence.slice(startWord.index, endWord.index + endWord.text.length);
      const holders = index.holders(pattern.post, options.day);
      const post = index.posts.get(pattern.post)!;
      // The post's organisation, named inside the description, qualifies it: it does not act.
      for (const other of mentions) {
        if (other.index >= list[from]!.index && other.index <= list[to]!.index && (other.actor === pattern.organisation.id || (other.actor && other.actor === index.stateOfCountry(pattern.organisation.country ?? "")?.id))) other.modifier = true;
      }
      // A name right after the office, nothing but titles, commas and the like between, is who holds it;
      // one after a verb ("the president was welcomed by Deputy Prime Minister X") is someone else.
      const named = mentions.find((mention) => {
        if (mention.status === "new" || mention.modifier || mention.index <= list[at]!.index || index.actors.get(mention.actor ?? "")?.kind !== "person") return false;
        const between = sentence.slice(list[at]!.index + list[at]!.text.length, mention.index);
        return between.length <= 40 && !/\b(?:was|were|is|are|has|had|will|by|met|said|and|with|to)\b/i.test(between);
      });
      if (named) {
        named.post ??= pattern.post;
        return; // "Foreign Minister Badr bin Hamad Al Busaidi": the name says who; the post is his role
      }
      const candidates = holders.map((actor) => ({ id: actor.id, name: actor.name, score: holders.length === 1 ? 0.9 : 0.5, reason: `held ${post.title} on ${options.day}` }));
      if (candidates.length === 0) return;
      add({
        index: startWord.index,
        length: text.length,
        text,
        status: candidates.length === 1 ? "existing" : "ambiguous",
        ...(candidates.length === 1 ? { actor: candidates[0]!.id } : {}),
        candidates,
        via: "post",
        confidence: candidates.length === 1 ? 0.85 : 0.4,
        modifier: false,
        post: pattern.post,
      });
    });
  }

  // A state named right before a person or a post qualifies them ("Iran's foreign minister").
  for (const mention of mentions) {
    if (mention.modifier) continue;
    const actor = index.actors.get(mention.actor ?? "");
    if (actor?.kind !== "state") continue;
    const after = mentions.find((other) => other !== mention && other.index > mention.index && other.index - (mention.index + mention.length) <= 30 && (other.via === "post" || QUALIFIED_KINDS.has(index.actors.get(other.actor ?? "")?.kind ?? "")));
    const between = after ? sentence.slice(mention.index + mention.length, after.index) : "";
    if (after && !/[,;:]|\band\b|\bwith\b|\bto\b|\bin\b|\bfrom\b/.test(between)) mention.modifier = true;
  }
  return mentions.sort((a, b) => a.index - b.index);

  function existing(actor: Actor, at: number, length: number, text: string, via: ActorMention["via"], confidence: number, reason: string): ActorMention {
    return { index: at, length, text, status: "existing", actor: actor.id, candidates: [{ id: actor.id, name: actor.name, score: confidence, reason }], via, confidence, modifier: false };
  }
}

/** Kinds a state's name qualifies when written right before them: "Iran's foreign minister", "Iran's state news agency IRNA". */
const QUALIFIED_KINDS = new Set(["person", "government-body", "military-unit", "news-agency", "news-outlet"]);

function guessKind(name: string): ActorKind {
  if (/\b(news|agency|times|post|press|tv|radio)\b/i.test(name)) return "news-outlet";
  if (/\b(army|navy|force|forces|guard|corps)\b/i.test(name)) return "military-unit";
  if (/\b(ministry|council|police|committee)\b/i.test(name)) return "government-body";
  if (ORGANISATION_WORDS.test(name)) return "organisation";
  return "person";
}
