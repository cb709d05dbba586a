import type { Dataset } from "@backchannel/dataset";
import {
  DRAFT_VERSION,
  DraftSchema,
  EVENT_TYPES,
  earliestDay,
  latestDay,
  type DateSpan,
  type Draft,
  type DraftActor,
  type DraftEvent,
  type DraftParticipant,
  type DraftPlace,
  type EventStatus,
  type Evidence,
} from "@backchannel/schema";
import { findActorMentions, postPatterns, rankActors, type ActorMention } from "./actors.js";
import { corroborate } from "./corroborate.js";
import { addDays, findDates as findDatesUncached, isAfterPublication, recentWindow, type DateContext, type DateMention } from "./dates.js";
import { EXPECTED, PLANNED, TYPE_FAMILIES, VERB_PATTERNS } from "./patterns.js";
import { RecordIndex } from "./record.js";
import { describeSource, latestPublicationDay, publicationDay, slugify, type SourceOptions } from "./source.js";
import { detectLanguage, readArticle, splitSentences, type Sentence } from "./text.js";

export type DraftOptions = SourceOptions;

/** chrono is the slowest step, and a sentence is read for dates more than once: remember the answers. */
const dateCache = new Map<string, DateMention[]>();
function findDates(sentence: string, context: DateContext): DateMention[] {
  const key = `${context.published}|${context.latest ?? ""}|${context.language}|${context.future}|${sentence}`;
  let found = dateCache.get(key);
  if (!found) {
    if (dateCache.size > 5000) dateCache.clear();
    found = findDatesUncached(sentence, context);
    dateCache.set(key, found);
  }
  return found;
}

/** A reported happening found in one sentence, before proposals are merged and checked against the record. */
interface Finding {
  type: DraftEvent["type"];
  sentence: Sentence;
  verbIndex: number;
  verbText: string;
  participants: (DraftParticipant & { mention: ActorMention })[];
  places: DraftPlace[];
  date: DateSpan;
  /** 2: a date in the sentence or its paragraph; 1: the lead's news peg; 0: none. */
  dated: 0 | 1 | 2;
  status: EventStatus;
  agency?: string;
  firstClaim: boolean;
}

/** At most this many words of a paragraph stand as a proposal's evidence (the codebook's quote). */
const EVIDENCE_WORDS = 30;

/** Article text and the current record in, a draft out: every proposal with its evidence. */
export function draftArticle(input: string | Uint8Array, dataset: Dataset, options: DraftOptions): Draft {
  const article = readArticle(typeof input === "string" ? new TextEncoder().encode(input) : input);
  const index = new RecordIndex(dataset);
  return draftFromParagraphs(article.paragraphs, index, options, article.warnings);
}

export function draftFromParagraphs(paragraphs: string[], index: RecordIndex, options: DraftOptions, warnings: string[] = []): Draft {
  const language = detectLanguage(paragraphs.join("\n"));
  const source = describeSource(paragraphs, language, index, options);
  // An article already in the record keeps its source id: new citations attach to it.
  const known = index.dataset.sources.find((record) => record.file === source.file);
  if (known) source.id = known.id;
  const published = publicationDay(source.published.date);
  // Published in a window: relative phrases resolve against both ends, and nothing it reports is after its last day.
  const latest = source.published.end ? latestPublicationDay(source.published) : undefined;
  const sentences = splitSentences(paragraphs, language);
  const patterns = postPatterns(index);
  const agencyOf = new Map<number, string>();
  for (const credit of source.credits) if (credit.role === "agency") for (const paragraph of credit.paragraphs) agencyOf.set(paragraph, credit.actor);

  const peg = newsPeg(sentences, published, language, latest);
  const mentionsBySentence: ActorMention[][] = [];
  const findings: Finding[] = [];
  const earlier: string[] = [];
  let lastPerson: ActorMention | undefined;
  let lastBody: ActorMention | undefined;
  for (const sentence of sentences) {
    const future = PLANNED.test(sentence.text) || EXPECTED.test(sentence.text);
    const dates = findDates(sentence.text, { published, latest, language, future });
    const day = dates.find((d) => d.date.start.length === 10)?.date.start ?? published;
    // A dateline ("TEHRAN/ MUSCAT:") says where the report was filed from; nobody acts in it.
    const datelineEnd = source.dateline && sentence.paragraph === source.dateline.paragraph && sentence.offset === 0 ? source.dateline.text.length : 0;
    const mentions = findActorMentions(sentence.text, index, patterns, { day }, earlier).filter((mention) => mention.index >= datelineEnd && !isNameOfAThing(sentence.text, mention));
    mentionsBySentence.push(mentions);
    for (const mention of mentions) if (mention.actor) earlier.push(mention.actor);
    findings.push(...findEvents(sentence, mentions, dates, { published, latest: latest ?? published, language, index, lastPerson, lastBody, told: findings, agency: agencyOf.get(sentence.paragraph), paragraphDates: paragraphDates(sentence, sentences, { published, latest, language, future }), paragraphText: paragraphs[sentence.paragraph - 1] ?? "", peg }));
    // "He" in the next sentence is most likely this one's subject: who acts in what it reports, else the first person it names.
    const acting = findings.filter((finding) => finding.sentence === sentence).flatMap((finding) => finding.participants.filter((p) => SOURCE_ROLES.has(p.role) && p.mention.index >= 0 && p.actor && index.actors.get(p.actor)?.kind === "person"));
    lastPerson = acting[0]?.mention ?? mentions.find((m) => !m.modifier && m.actor && index.actors.get(m.actor)?.kind === "person") ?? lastPerson;
    lastBody = mentions.find((m) => !m.modifier && m.actor && index.actors.get(m.actor)?.kind !== "person") ?? lastBody;
  }

  const actors = actorProposals(sentences, mentionsBySentence, index);
  const merged = mergeFindings(findings, paragraphs, actors, index, published);
  const events = merged.map(({ ownDate: _, ...event }, at) => ({ ...event, id: `e${at + 1}` }));
  for (const [at, event] of events.entries()) {
    if (event.status === "occurred" && isAfterPublication(event.date, latest ?? published)) event.flags.push(`date ${event.date.start} is after the publication date ${latest ?? published}: check the resolution`);
    corroborate(event, index, source.id, { ownDate: merged[at]!.ownDate });
  }
  for (const event of events) boundByRecord(event, events, index);
  return DraftSchema.parse({ version: DRAFT_VERSION, source, actors, events: oneCitationPerEvent(events), warnings });
}

/** Reports of one existing event are one citation of it: their paragraphs, evidence and participants together. */
function oneCitationPerEvent(events: DraftEvent[]): DraftEvent[] {
  const kept: DraftEvent[] = [];
  for (const event of events) {
    const same = event.proposal === "corroborates" ? kept.find((other) => other.proposal === "corroborates" && other.existing === event.existing) : undefined;
    if (!same) {
      kept.push(event);
      continue;
    }
    same.paragraphs = [...new Set([...same.paragraphs, ...event.paragraphs])].sort((a, b) => a - b);
    for (const evidence of event.evidence) if (!same.evidence.some((e) => e.paragraph === evidence.paragraph && e.offset === evidence.offset)) same.evidence.push(evidence);
    for (const participant of event.participants) if (!same.participants.some((p) => (p.actor ?? p.name) === (participant.actor ?? participant.name))) same.participants.push(participant);
    for (const place of event.places) if (!same.places.some((p) => (p.place ?? p.name) === (place.place ?? place.name))) same.places.push(place);
    if (!same.refineDate && event.refineDate) same.refineDate = event.refineDate;
    same.agency ??= event.agency;
    same.confidence = Math.max(same.confidence, event.confidence);
  }
  return kept.map((event, at) => ({ ...event, id: `e${at + 1}` }));
}

function paragraphDates(sentence: Sentence, sentences: Sentence[], context: DateContext): DateMention[] {
  const first = sentences.find((s) => s.paragraph === sentence.paragraph);
  if (!first || first === sentence) return [];
  // The paragraph's first sentence is read as it reads alone: "is heading to Doha on Wednesday" looks ahead.
  const ahead = PLANNED.test(first.text) || EXPECTED.test(first.text);
  // Its date dates this sentence only when both look the same way: what "recently returned" did is not Wednesday's plan.
  // "Recent" qualifies only the noun it stands by: it does not date the rest of its paragraph.
  return ahead === context.future ? findDates(first.text, { ...context, future: ahead }).filter((mention) => !mention.recent) : [];
}

/** Where the clause holding a verb starts and ends: clause words and semicolons bound who acts in it. */
function clauseAround(sentence: string, at: number, length: number): [number, number] {
  // "as" joins clauses ("heads for Qatar as its army trains"), but not in "designate X as Y", "known as".
  const boundary = /;|(?<!\b(?:designat|describ|known|regard|seen|view|name|call|label|list|classif|such|same|well)\w*\b[^.;,]{0,60})\sas\s|\s(?:while|whereas|but|amid|although|though|because|after|following|before|since|in the wake of|ahead of)\s/gi;
  let start = 0;
  let end = sentence.length;
  for (const match of sentence.matchAll(boundary)) {
    if (match.index + match[0].length <= at) start = match.index + match[0].length;
    else if (match.index >= at + length) {
      end = match.index;
      break;
    }
  }
  return [start, end];
}

/** Spans inside quotation marks. */
function quotes(sentence: string): [number, number][] {
  return [...sentence.matchAll(/“[^”]*(?:”|$)|"[^"]*(?:"|$)/g)].map((match) => [match.index, match.index + match[0].length]);
}

/** "an exercise called the Mountain Falcons 1 (Saqour al-Jabal 1)": a name given to a thing, not an actor. */
function isNameOfAThing(sentence: string, mention: ActorMention): boolean {
  if (mention.status !== "new") return false;
  return /\b(?:called|named|dubbed|code-?named|known as|titled|entitled)\s+(?:the\s+)?(?:[^()]{0,60}\()?$/i.test(sentence.slice(Math.max(0, mention.index - 90), mention.index));
}

/**
 * Spans of a sentence that describe the actor named just before them ("Larijani, a close adviser to
 * Iran's Supreme Leader Ayatollah Ali Khamenei, was due to…"): who is named inside is a description,
 * not a participant.
 */
function descriptions(sentence: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const match of sentence.matchAll(/(?<=[\p{L}\p{N})]),\s+(?:(?:a|an|the)\s+\p{Ll}[^,;“”"]{0,110}?|\p{Ll}+(?:\s+\p{Ll}+)?\s+(?:of|for|to)\s+[^,;“”"]{0,90}?)(?=,|\.?$)/gu)) {
    // A clause with its own verb ("In Muscat, the emir was welcomed by …") tells, it does not describe.
    if (/\b(?:was|were|is|are|has|have|had|will|would|can|could|said|says)\b/.test(match[0])) continue;
    spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
}

/**
 * The day the news happened, as the lead tells it: the first day-precise date in the first five
 * paragraphs, not after publication ("…arrived in Oman on Tuesday"). Undated reports of the news
 * itself fall on it; background has its own dates.
 */
function newsPeg(sentences: Sentence[], published: string, language: string, latest: string | undefined): DateMention | undefined {
  for (const sentence of sentences) {
    if (sentence.paragraph > 5) break;
    const future = PLANNED.test(sentence.text) || EXPECTED.test(sentence.text);
    const found = findDates(sentence.text, { published, latest, language, future }).find((d) => !/^[\d\s./-]+$/.test(d.text) && d.date.start.length === 10 && d.date.start <= (latest ?? published) && d.date.start >= addDays(published, -7));
    if (found) return { ...found, date: { start: found.date.start, basis: found.date.basis === "stated" ? "inferred" : found.date.basis, note: `No date in its paragraph: the day of the news the lead reports, "${found.text}" (paragraph ${sentence.paragraph})${found.date.note ? `; ${found.date.note}` : ""}` } };
  }
  return undefined;
}

interface EventContext {
  peg: DateMention | undefined;
  published: string;
  /** The last day the article can be from: `published`, or the end of its publication window. */
  latest: string;
  language: string;
  index: RecordIndex;
  lastPerson: ActorMention | undefined;
  lastBody: ActorMention | undefined;
  told: Finding[];
  agency: string | undefined;
  paragraphDates: DateMention[];
  paragraphText: string;
}

const PRONOUN_SUBJECT = /^(he|she|the (?:\p{L}+ )?(?:president|leader|minister|official|secretary|sultan|emir|king|spokesperson|spokesman|spokeswoman|envoy|diplomat)|er|sie)\b/iu;

/** What makes a happening named by a noun a plan: "the talks will be held", "a second round has been confirmed". */
const NOUN_FUTURE = /^\s*(?:of [\w\s-]{0,25})?(?:(?:will|would) (?:be held|take place|begin|start|go ahead|resume|happen|open)|is to|are to|is due|are due|is expected|are expected|is scheduled|are scheduled|is set|are set|has been (?:confirmed|announced|agreed|scheduled)|have been (?:confirmed|announced|agreed|scheduled))\b/i;

/** Roles of who acts in a happening (as against who receives it). */
const SOURCE_ROLES = new Set<DraftParticipant["role"]>(["visitor", "caller", "inviter", "speaker", "initiator", "attacker", "subject", "organiser", "mediator"]);

/** A speech verb: what a criticism by evaluation ("…were illegal", he said) hangs on. */
const SPEECH = /\b(said|says|saying|added|told|stated|declared|described|called|insisted|argued|sagte|erklärte|fügte)\b/i;

function findEvents(sentence: Sentence, mentions: ActorMention[], dates: DateMention[], context: EventContext): Finding[] {
  const findings: Finding[] = [];
  const types = new Set<string>();
  const lower = sentence.text;
  // What an agency or a photographer is credited with is not an event they take part in.
  // A caption's "(photo credit: …)" names who took the picture, not who took part.
  const credit = /\((?:photo )?credit[^)]*\)?/i.exec(lower);
  const inCredit = (m: ActorMention) => credit !== null && m.index >= credit.index && m.index < credit.index + credit[0].length;
  const described = descriptions(sentence.text);
  // Who is named inside a description of someone else ("X, a close adviser to Y,") does not take part.
  const inDescription = (m: ActorMention) => described.some(([from, to]) => m.index > from && m.index < to);
  const actorsHere = mentions.filter((m) => !m.modifier && !inCredit(m) && !inDescription(m) && !(m.actor && ["news-agency", "news-outlet"].includes(context.index.actors.get(m.actor)?.kind ?? "")));
  const kindOf = (m: ActorMention) => context.index.actors.get(m.actor ?? "")?.kind;
  for (const pattern of VERB_PATTERNS) {
    if (types.has(pattern.type)) continue;
    const match = (context.language === "ar" || context.language === "fa" ? pattern.clitic : pattern.pattern).exec(lower);
    if (!match) continue;
    // A statement verb reports the other event, unless it names the speech itself ("made the remarks").
    if (pattern.type === "statement" && types.size > 0 && !/remarks|speaking|spoke/i.test(match[0])) continue;
    // "addresses the Summit of the Future": a speech at the summit; the summit is where it was given.
    if (pattern.type === "summit" && /\baddress(?:es|ed|ing)?\s+(?:the\s+)?["“]?(?:\S+\s+){0,3}$/i.test(lower.slice(Math.max(0, match.index - 50), match.index))) continue;
    // "mediation and hosting negotiations between Iran and the US": one report of talks, however many talk words.
    if (TYPE_FAMILIES[pattern.type] === "talks" && [...types].some((type) => TYPE_FAMILIES[type as DraftEvent["type"]] === "talks")) continue;
    // "invited Larijani to visit Muscat": the visit is what the invitation is for, not a happening of its own.
    if (pattern.type === "visit" && /\binvit\w*\s+(?:\S+\s+){0,4}to\s+$/i.test(lower.slice(Math.max(0, match.index - 50), match.index))) continue;
    if (pattern.type === "meeting" && types.has("visit") && /\b(visit|trip)\b/i.test(match[0])) continue;
    const verbIndex = match.index;
    // A verb's actors stay in its clause: "heads for Qatar as Iran's army trains with Oman" is two happenings.
    const [clauseStart, clauseEnd] = clauseAround(sentence.text, verbIndex, match[0].length);
    const speech = ["statement", "press-briefing", "praise", "appeal"].includes(pattern.type);
    // Who is quoted is not who speaks: "“The Muscat meeting was brief,” he said."
    const quoted = quotes(sentence.text);
    const inQuote = (m: ActorMention) => quoted.some(([from, to]) => m.index > from && m.index < to);
    // "in Oman" is where it happens: the state is a place there, not a participant (a host comes back below).
    const located = (m: ActorMention) => kindOf(m) === "state" && /\b(?:in|at|inside)\s+(?:the\s+)?$/i.test(sentence.text.slice(Math.max(0, m.index - 10), m.index));
    const inClause = actorsHere.filter((m) => m.index >= clauseStart && m.index < clauseEnd && !located(m));
    const before = inClause.filter((m) => m.index < verbIndex && !(speech && inQuote(m)));
    const after = inClause.filter((m) => m.index > verbIndex);
    // "talks between Tehran and Washington": the parties follow "between"; who is named before is not one.
    const betweenParties = ["mediated-talks", "negotiation", "armed-conflict"].includes(pattern.type) && /\bbetween\b/i.test(sentence.text.slice(verbIndex, verbIndex + match[0].length + 40));
    // Who attends a summit may be named well before it ("Pezeshkian is heading to Qatar for the ACD Summit").
    // "Oman is mediating talks between the US and Iran": who is named before mediates.
    let sources = betweenParties ? (pattern.source === "mediator" ? before.slice(-1) : []) : before.slice(pattern.type === "summit" ? -4 : -2);
    // A person acts for the state or body named beside them: "Iran's Larijani visits" has one visitor.
    if (sources.some((m) => context.index.actors.get(m.actor ?? "")?.kind === "person")) sources = sources.filter((m) => !m.actor || context.index.actors.get(m.actor)?.kind === "person");
    // "In Oman, the president was…": a fronted place or time before the subject.
    const subject = sentence.text.trim().replace(/^(?:in|at|on|during|after|later|meanwhile|earlier|separately)\b[^,]{0,40},\s*/i, "");
    if (sources.length === 0 && PRONOUN_SUBJECT.test(subject) && context.lastPerson) sources = [context.lastPerson];
    if (sources.length === 0 && /^it\b/i.test(sentence.text.trim()) && context.lastBody) sources = [context.lastBody];
    // "Accompanying the president are …": the visitor of the visit being told.
    if (pattern.target === "delegation-member" && sources.length === 0) {
      const visitor = [...context.told].reverse().find((finding) => finding.type === "visit")?.participants.find((p) => p.role === "visitor");
      if (visitor) sources = [visitor.mention];
    }
    // "“…,” he said" and "At a news briefing, Baghaei said": the speaker follows.
    if (speech && sources.length === 0) {
      const next = after.find((m) => kindOf(m) === "person" && !inQuote(m));
      if (next) sources = [next];
      else if (/^\W*(?:he|she|er|sie)\b/i.test(sentence.text.slice(verbIndex + match[0].length).replace(/^[^\p{L}]*/u, "")) || /\b(?:he|she)\s+$/i.test(sentence.text.slice(Math.max(0, verbIndex - 6), verbIndex))) sources = context.lastPerson ? [context.lastPerson] : [];
    }
    // "the visit", "Larijani's visit": a reference to a happening already told, not a new one.
    const reference = /(?:\b(?:the|his|her|their|this|that|its)|['’]s)\s+(?:\w+\s+)?$/i.test(sentence.text.slice(Math.max(0, verbIndex - 30), verbIndex)) && /^(visit|trip|talks|meeting|negotiations|dialogue|exercise|drills?|training)\b/i.test(match[0]);
    const told = reference ? [...context.told].reverse().find((finding) => finding.type === pattern.type) : undefined;
    if (reference && told) {
      types.add(pattern.type);
      // "The exercise … is held with the support of the Royal Oman Police": who is named with it takes part too.
      const joining = after.filter((m) => m.actor && !told.participants.some((p) => p.actor === m.actor)).map((mention) => ({ ...(mention.actor ? { actor: mention.actor } : {}), name: mention.text, role: pattern.target, mention }));
      // "… this exercise … began on Monday": a date said with the reference dates what was told undated.
      const own = told.dated < 2 ? nearestDate(dates, verbIndex) : undefined;
      findings.push({ ...told, ...(own ? { date: { ...own.date }, dated: 2 as const } : {}), participants: [...told.participants, ...joining], sentence, verbIndex, verbText: match[0], agency: context.agency, firstClaim: false });
      continue;
    }
    // "Larijani's visit to Muscat" with no visit told before: the article reports it this way first, and the possessor acts.
    const possessive = /['’]s\s+(?:\w+\s+)?$/.exec(sentence.text.slice(Math.max(0, verbIndex - 30), verbIndex));
    if (reference && !possessive) continue;
    if (reference && possessive) {
      const at = verbIndex - possessive[0].length;
      const owner = inClause.filter((m) => m.index < at && m.index + m.length >= at - 2).at(-1);
      // Whose it is, or nobody: never the sentence's subject ("The president hoped the minister's visit…").
      sources = owner ? [owner] : [];
    }
    // "…, he said": the pronoun right before the speech verb is the speaker.
    if (speech && /\b(?:he|she)\s+$/i.test(sentence.text.slice(Math.max(0, verbIndex - 5), verbIndex)) && context.lastPerson) sources = [context.lastPerson];
    // A criticism by evaluation: the speaker is who says it, the target whoever the words are about.
    if (pattern.evaluative) {
      const said = SPEECH.exec(sentence.text);
      if (!said) continue;
      const speakers = actorsHere.filter((m) => m.index < said.index && kindOf(m) === "person").slice(-1);
      const speaker = speakers[0] ?? (PRONOUN_SUBJECT.test(sentence.text.trim()) ? context.lastPerson : undefined);
      if (!speaker) continue;
      sources = [speaker];
    }
    if (speech) sources = sources.filter((m) => !inQuote(m));
    // Arabic puts the verb first: "وصل عباس عراقچی" — the first actor after it is the one who acts.
    const verbFirst = context.language === "ar" && sources.length === 0 && after.length > 0;
    if (verbFirst) sources = [after[0]!];
    // Speech is addressed only to whom it is told; everyone else it names is its topic.
    const addressed = (m: ActorMention) => !speech || /\b(?:told|to|addressed|addressing|urged)\s+(?:the\s+)?$/i.test(sentence.text.slice(Math.max(0, m.index - 14), m.index));
    const targets = (pattern.evaluative ? inClause.filter((m) => m.actor !== sources[0]?.actor && m.index > (SPEECH.exec(sentence.text)?.index ?? 0) && kindOf(m) !== "person") : verbFirst ? after.slice(1) : after).filter(addressed);
    if (["statement", "praise", "criticism", "appeal", "press-briefing"].includes(pattern.type) && sources.length === 0) continue;
    const participants: Finding["participants"] = [];
    const push = (mention: ActorMention, role: DraftParticipant["role"]) => {
      const key = mention.actor ?? mention.text;
      if (participants.some((p) => (p.actor ?? p.name) === key)) return;
      participants.push({ ...(mention.actor ? { actor: mention.actor } : {}), name: mention.text, role, mention });
    };
    const between = /\bbetween\b/i.test(sentence.text.slice(verbIndex - 40 < 0 ? 0 : verbIndex - 40, verbIndex + match[0].length + 60));
    for (const mention of sources) push(mention, between && !betweenParties && pattern.type === "mediated-talks" ? "party" : pattern.source);
    // A delegation is listed whole; other targets are the first few named.
    for (const mention of targets.slice(0, pattern.target === "delegation-member" ? 12 : 4)) push(mention, pattern.target);
    let type = pattern.type;
    // "a second round of talks": talks with nobody named continue the parties of the talks told before.
    if (participants.length === 0 && TYPE_FAMILIES[type] === "talks") {
      const earlier = [...context.told].reverse().find((finding) => TYPE_FAMILIES[finding.type] === "talks");
      if (earlier) {
        type = earlier.type;
        for (const participant of earlier.participants) participants.push({ ...participant });
      }
    }
    // "Cooperation agreements are expected to be signed" during a visit: between the visit's two sides.
    let sidesOf: Finding | undefined;
    if (participants.length === 0 && type === "agreement-signing") {
      const visit = [...context.told].reverse().find((finding) => finding.type === "visit");
      sidesOf = visit;
      // A side is a state: the visitor's or host's own, when a person stands for it.
      const stateOf = (role: DraftParticipant["role"]) => {
        const actor = context.index.actors.get(visit?.participants.find((p) => p.role === role)?.actor ?? "");
        return actor?.kind === "state" ? actor : actor?.country ? context.index.stateOfCountry(actor.country) : undefined;
      };
      const sides = [stateOf("visitor"), stateOf("host")];
      for (const side of sides) if (side?.kind === "state" && !participants.some((p) => p.actor === side.id)) participants.push(impliedParticipant(side, "party"));
    }
    if (participants.length === 0) {
      // "the 13th International Meeting … takes place in Moscow on May 27-29": the same words name what was told,
      // and what this sentence says of its date counts.
      const same = [...context.told].reverse().find((finding) => finding.type === type && finding.verbText.toLowerCase() === match[0].toLowerCase());
      const own = nearestDate(dates, verbIndex);
      if (same && own) {
        types.add(pattern.type);
        findings.push({ ...same, date: { ...own.date }, dated: 2, sentence, verbIndex, verbText: match[0], agency: context.agency, firstClaim: false });
      }
      continue;
    }
    // Where it happens is said in its clause: "talks in Muscat … after last year's war" puts no war in Muscat.
    const places = findPlaces(sentence.text.slice(clauseStart, clauseEnd), context.index);
    const placeState = () => {
      const place = places.map((p) => context.index.places.get(p.place ?? "")).find((p) => p?.country);
      return place?.country ? context.index.stateOfCountry(place.country) : undefined;
    };
    const implied = (state: { id: string; name: string }, role: DraftParticipant["role"]) => participants.push(impliedParticipant(state, role));
    // Talks between two sides held in a third state's city are talks that state hosts: it mediates.
    if ((type === "mediated-talks" || type === "negotiation") && !participants.some((p) => p.role === "mediator")) {
      const host = placeState();
      if (host && !participants.some((p) => p.actor === host.id)) {
        type = "mediated-talks";
        implied(host, "mediator");
      }
    }
    if ((type === "visit" || type === "summit") && !participants.some((p) => p.role === "host")) {
      const state = placeState();
      const visitor = participants.find((p) => p.role === "visitor" || p.role === "attendee")?.actor;
      if (state && context.index.actors.get(visitor ?? "")?.country !== state.country) {
        const named = participants.find((p) => p.actor === state.id);
        if (named) named.role = "host";
        else implied(state, "host");
      }
    }
    // A summit's organiser is the body whose summit it is; people and states named with it attend.
    if (type === "summit") for (const participant of participants) if (participant.role !== "host") participant.role = ["organisation", "multilateral-forum", "group-of-states"].includes(context.index.actors.get(participant.actor ?? "")?.kind ?? "") ? "organiser" : "attendee";
    // Background told in the past perfect or with "years" has its own time; only the news falls on the peg.
    const background = /\b(had|has|have|was|were)\s+(long\s+)?(been\s+)?\w+ed\b|\bin the past\b|\byears\b|\bhistor/i.test(sentence.text);
    // What a speaker says happened "last year" is not when they said it: only a date by the verb dates speech.
    // After "said" comes what was said; after "addresses the Summit", where and when.
    const reporting = /^(?:said|says|stated|told|declared|added|echoed|stressed|emphasi|underlined|reiterated|expressed|describ|sagte|erklärte|betonte)/i.test(match[0]);
    const content = speech || pattern.type === "criticism" ? (reporting ? /^/ : /^[\s,]*(?:that\b|[“":])/).exec(sentence.text.slice(verbIndex + match[0].length)) : null;
    const contentStart = content ? verbIndex + match[0].length + content.index : sentence.text.length;
    // What a speaker says is "recent" is what they speak of, not when they spoke.
    const ownDates = speech || pattern.type === "criticism" ? dates.filter((d) => (d.index < verbIndex || d.index < contentStart) && !(d.recent && SPEECH.test(sentence.text))) : dates;
    // "during that trip": the time of the trip told before.
    const during = bestTold(/\bduring (?:the|that|this|his|her|their) (?:trip|visit|stay|tour)\b/i.test(sentence.text) ? [...context.told].reverse().find((finding) => finding.type === "visit") : sidesOf, context.told);
    // A noun ("the minister's visit would strengthen…") takes no modality from the verb that follows it.
    const noun = /(?:\b(?:the|a|an|his|her|their|this|that|its)|['’]s)\s+(?:\w+\s+)?$/i.test(sentence.text.slice(Math.max(0, verbIndex - 30), verbIndex));
    const following = sentence.text.slice(verbIndex + match[0].length, verbIndex + match[0].length + 40);
    const modality = sentence.text.slice(Math.max(0, verbIndex - 60), verbIndex + match[0].length) + (!noun || NOUN_FUTURE.test(following) ? following.slice(0, 20) : "");
    const ahead = EXPECTED.test(modality) || PLANNED.test(modality);
    // "On the sidelines of the meeting", "invited to the summit": a happening told before, named by its noun.
    const referred = referredHappening(sentence.text, context.told);
    // A plan with no day of its own, told while the lead's visit is under way, falls within that visit.
    const newsVisit = ahead && context.peg ? [...context.told].reverse().find((finding) => finding.type === "visit" && finding.dated === 2 && finding.date.start === context.peg!.date.start && finding.date.end !== undefined) : undefined;
    const pegged = newsVisit ? within(newsVisit, "during the visit") : context.peg;
    const found =
      nearestDate(ownDates, verbIndex) ??
      (referred && pattern.type !== "invitation" ? within(referred.finding, `during the ${referred.noun}`) : undefined) ??
      (during && during.dated > 0 ? within(during, "during the visit") : undefined) ??
      (context.paragraphDates.length > 0 ? context.paragraphDates[0] : undefined) ??
      (background ? undefined : pegged);
    let nearest = found ? { ...found } : undefined; // a copy: the date cache is shared
    // "She said the recent sanctions…": recent as of when it was said — the day that dates the speech (its paragraph's, else the lead's news).
    if (nearest?.recent && SPEECH.test(sentence.text)) {
      const said = [context.paragraphDates[0], context.peg].find((d) => d && d.date.start.length === 10 && d.date.end === undefined && d.date.start <= context.latest);
      if (said) nearest = { ...nearest, date: { ...recentWindow(nearest.text, said.date.start), note: `"${nearest.text}" as said on ${said.date.start} (${said.text}): a window from the start of the month before to that day (a reading of "recent").` } };
    }
    // "…arrived on Tuesday, just days after talks were held": the talks come before that date, not on it.
    const afterClause = nearest ? /\b((?:just |only |a few |some |two |three |several )?(days?|weeks?) (?:after|following)|after|following|in the wake of)\s+(?:\S+\s+){0,12}$/i.exec(sentence.text.slice(0, verbIndex)) : null;
    if (nearest && afterClause && nearest.index < afterClause.index && nearest.date.start.length === 10) {
      const weeks = /week/i.test(afterClause[2] ?? "");
      const end = addDays(nearest.date.start, weeks ? -7 : -1);
      nearest.date = { start: addDays(nearest.date.start, weeks ? -35 : afterClause[2] ? -7 : -30), end, window: true, basis: nearest.date.basis === "stated" ? "inferred" : nearest.date.basis, note: `Before ${nearest.date.start}: "${afterClause[0].trim().split(/\s+/).slice(0, 4).join(" ")}…" that date${nearest.date.note ? `; ${nearest.date.note}` : ""}` };
    }
    let status: EventStatus = EXPECTED.test(modality)
      ? "expected"
      : PLANNED.test(modality)
        ? nearest && nearest.date.start.length === 10
          ? "scheduled"
          : "reported-planned"
        : "occurred";
    // "A two-day trip" closes the span, said in the sentence or elsewhere in its paragraph.
    const days = /\b(two|three|four|2|3|4)-day\b|\bfor (two|three|four) days\b/i.exec(sentence.text) ?? /\b(two|three|four|2|3|4)-day (?:trip|visit|summit|tour|stay)\b|\bfor (two|three|four) days\b/i.exec(context.paragraphText);
    // What a trip "will also" include happens during it: its span, no day of its own.
    // So does what its paragraph tells under the trip's day ("flies out on Friday for a three-day tour. He will also open a fair").
    if (nearest && days && nearest.date.start.length === 10 && nearest.date.end === undefined && (["visit", "summit", "military-exercise"].includes(type) || status !== "occurred" || (found !== undefined && found === context.paragraphDates[0]))) {
      const count = { two: 2, three: 3, four: 4 }[(days[1] ?? days[2] ?? "").toLowerCase() as "two"] ?? Number(days[1]);
      nearest.date = { ...nearest.date, end: addDays(nearest.date.start, count - 1), ...(nearest.date.note ? { note: `${nearest.date.note} "${days[0]}" gives the end.` } : { basis: "inferred", note: `"${days[0]}" from ${nearest.date.start} gives the end.` }) };
    }
    let derived = false;
    // "The agency reported on Friday that X had phoned … about the talks": Friday dates the report; what it tells in the
    // past perfect happened by then, and after the happening told before that it speaks of.
    const reportedOn = nearest && nearest.index >= 0 && nearest.date.start.length === 10 && nearest.date.end === undefined ? /\b(?:reported|said|announced|stated|confirmed)\s+$/i.exec(sentence.text.slice(Math.max(0, nearest.index - 12), nearest.index)) : null;
    if (reportedOn && nearest && nearest.index < verbIndex && /^\W*that\b[^.;]*\bhad\s+(?:been\s+)?\w+/i.test(sentence.text.slice(nearest.index + nearest.text.length, verbIndex + match[0].length))) {
      const reportDay = nearest.date.start;
      const spokenOf = [...sentence.text.slice(verbIndex).matchAll(/\b(?:the|these|those)\s+(?:\w+\s+){0,3}?(negotiations|talks|meeting|summit|visit)\b/gi)]
        .map((m) => [...context.told].reverse().find((finding) => finding.dated === 2 && (REFERRING_NOUNS[m[1]!.toLowerCase()] ?? []).includes(finding.type) && finding.date.start < reportDay))
        .find(Boolean);
      if (spokenOf) {
        nearest = { ...nearest, date: { start: spokenOf.date.start, end: reportDay, window: true, basis: nearest.date.basis, note: `Done by the day of the report that tells it, "${nearest.text.trim()}" (${reportDay}), and after the ${spokenOf.verbText} told in paragraph ${spokenOf.sentence.paragraph} (from ${spokenOf.date.start}).` } };
        boundBy.set(nearest.date, spokenOf);
      }
    }
    // "At the invitation of", "has been invited to the meeting": the invitation came before what it invites to.
    if (type === "invitation" && !/\b(?:will|would|to|plans? to)\s+invite\b/i.test(modality)) {
      // "The trip takes place at the invitation of …": the sentence's date is the trip's, not the invitation's.
      const invitedTo = referred?.finding.date ?? (nearest && nearest.date.start.length === 10 && /\bat the (?:\w+ )?invitation of\b/i.test(sentence.text) ? nearest.date : undefined);
      if (invitedTo) {
        nearest = { index: -1, text: "the invitation", date: boundedByTenure(participants, invitedTo.start, context.index, "Before what it invites to") };
        status = "occurred";
        derived = true;
      }
    }
    // "Minister X also came to the capital in the past": while X held the post the text names, as the record holds the tenure.
    const past = /\bin the past\b/i.exec(sentence.text.slice(clauseStart, clauseEnd));
    if (past && status === "occurred") {
      const at = clauseStart + past.index;
      const own = nearestDate(ownDates, verbIndex);
      // How far a phrase stands from the verb's words, before or after them.
      const gap = (index: number) => (index >= verbIndex ? Math.max(0, index - verbIndex - match[0].length) : verbIndex - index);
      const acting = participants.filter((p) => SOURCE_ROLES.has(p.role) && p.actor && context.index.actors.get(p.actor)?.kind === "person");
      const tenure = (!own || gap(at) < gap(own.index)) && acting.length === 1 ? namedTenure(acting[0]!.actor!, sentence.text, context.index) : undefined;
      if (tenure) {
        const end = tenure.end && latestDay(tenure.end) < context.latest ? tenure.end : context.latest;
        nearest = { index: at, text: past[0], date: { start: tenure.start, end, window: true, basis: "inferred", note: `"${past[0]}": while ${tenure.holder} was ${tenure.title} (${tenure.start}${tenure.end ? `..${tenure.end}` : " on"}, as the record holds the tenure), not after the publication.` } };
        derived = true;
      }
    }
    // Undated talks or mediation between two sides the record shows at war ("to broker a ceasefire between A and B")
    // come no earlier than that war: from its start, read off the record's event; still under way in the present perfect.
    if (!nearest && TYPE_FAMILIES[type] === TYPE_FAMILIES["mediated-talks"]) {
      const sides = participants.filter((p) => p.role === "party" && p.actor).map((p) => p.actor!);
      const war = sides.length >= 2 ? context.index.events.filter((event) => event.type === "armed-conflict" && sides.every((id) => event.participants.some((p) => p.actor === id)) && earliestDay(event.date.start) <= context.latest && stillNear(event.date, context.latest)).sort((a, b) => earliestDay(b.date.start).localeCompare(earliestDay(a.date.start)))[0] : undefined;
      if (war) {
        const continuing = /\b(?:has|have)\s+(?:been\s+)?\w+(?:ed|ing)\b/i.test(sentence.text.slice(clauseStart, clauseEnd));
        const note = `Undated; between sides the record shows at war, so no earlier than ${war.id} (from ${war.date.start})${continuing ? ", and told in the present perfect as still under way when the article was written" : ", and not after the article"}.`;
        nearest = { index: -1, text: war.title, date: { start: war.date.start, end: context.latest, ...(continuing ? { ongoing: true as const } : { window: true }), basis: "inferred", note, derivedFrom: [{ event: war.id }] } };
        derived = true;
      }
    }
    // Announced without a date ("a second round has been confirmed"): dated by the report that announces it.
    const date: DateSpan =
      status === "reported-planned" && (!nearest || found === pegged)
        ? { start: context.published, basis: "inferred", note: `Announced without a date: the day of the report (${context.published}).` }
        : (nearest?.date ?? { start: context.published.slice(0, 7), basis: "inferred", note: `No date in the paragraph: the month of publication (${context.published}).` });
    types.add(pattern.type);
    findings.push({
      type,
      sentence,
      verbIndex,
      verbText: match[0],
      participants,
      places,
      date,
      dated: derived ? 2 : status === "reported-planned" && (!nearest || found === pegged) ? 0 : nearest === undefined ? 0 : found === pegged ? 1 : 2,
      status,
      ...(context.agency ? { agency: context.agency } : {}),
      firstClaim: /\bfor the first time\b|\bthe first\b/i.test(sentence.text),
    });
  }
  return findings;
}

/** A participant the text implies rather than names (the host state of a visit's city, a visit's two sides). */
function impliedParticipant(state: { id: string; name: string }, role: DraftParticipant["role"]): Finding["participants"][number] {
  return { actor: state.id, name: state.name, role, mention: { index: -1, length: 0, text: state.name, status: "existing", actor: state.id, candidates: [], via: "name", confidence: 0.6, modifier: false } };
}

/** A war still under way, or ended within the year before: what a ceasefire today can be about. */
function stillNear(span: DateSpan, latest: string): boolean {
  return span.end === undefined || span.ongoing === true || Number(span.end.slice(0, 4)) >= Number(latest.slice(0, 4)) - 1;
}

/**
 * A window that ends when something began and starts no earlier than its people all held the posts
 * the record gives them then (an invitation to a president is issued to a president); without a
 * tenure, the year of that end stands in, and the note says so.
 */
function boundedByTenure(participants: DraftParticipant[], end: string, index: RecordIndex, why: string): DateSpan {
  let start: string | undefined;
  let holder = "";
  for (const participant of participants) {
    const actor = index.actors.get(participant.actor ?? "");
    for (const position of actor?.positions ?? []) {
      if (!position.start || earliestDay(position.start) > end || (position.end && end.slice(0, position.end.length) > position.end)) continue;
      if (!start || earliestDay(position.start) > earliestDay(start)) {
        start = position.start;
        holder = `${actor!.name} held the post of ${index.posts.get(position.post)?.title ?? position.post} from ${position.start}`;
      }
    }
  }
  return start
    ? { start, end, window: true, basis: "inferred", note: `${why} (${end}); no earlier than ${holder}, as the record holds the tenure.` }
    : { start: end.slice(0, 4), end, window: true, basis: "inferred", note: `${why} (${end}); the text gives no earlier bound, so its year stands in: check it.` };
}

/** The tenure of the post the sentence names a person in ("the late Prime Minister X"), as the record holds it. */
function namedTenure(actorId: string, sentence: string, index: RecordIndex): { start: string; end?: string; holder: string; title: string } | undefined {
  const actor = index.actors.get(actorId);
  const named = (actor?.positions ?? []).filter((position) => {
    const title = index.posts.get(position.post)?.title ?? "";
    // The post's title word ("President", "Secretary") stands in the sentence.
    const head = title.split(/\s+(?:of|for|to)\s+/i)[0]!.split(/\s+/).at(-1) ?? "";
    return position.start !== undefined && head.length > 2 && new RegExp(`\\b${head.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").test(sentence);
  });
  if (named.length !== 1) return undefined;
  const position = named[0]!;
  return { start: position.start!, ...(position.end ? { end: position.end } : {}), holder: actor!.name, title: index.posts.get(position.post)?.title ?? position.post };
}

/** Dates worked out from a happening the article told before: the later start of a window ("after the talks"). */
const boundBy = new WeakMap<DateSpan, Finding>();

/**
 * A window that starts at a happening told in the article ("after the negotiations") starts, once
 * that happening is found in the record, at the record's date for it: read off that event (`derivedFrom`).
 */
function boundByRecord(event: DraftEvent, events: DraftEvent[], index: RecordIndex): void {
  const told = boundBy.get(event.date);
  if (!told || event.proposal === "corroborates") return;
  const cited = events.find((other) => other !== event && other.proposal === "corroborates" && other.paragraphs.includes(told.sentence.paragraph) && TYPE_FAMILIES[other.type] === TYPE_FAMILIES[told.type]);
  const recorded = index.events.find((record) => record.id === cited?.existing)?.date;
  if (!recorded || !cited?.existing) return;
  const start = recorded.start;
  // Only a tighter bound that still lies inside the window: the record refines the text, never overrides it.
  if (earliestDay(start) <= earliestDay(event.date.start) || earliestDay(start) > (event.date.end ?? event.date.start)) return;
  event.date = { ...event.date, start, note: `${event.date.note ?? ""} The record dates that ${told.verbText} ${start} (${cited.existing}).`.trim(), derivedFrom: [{ event: cited.existing }] };
}

/** What a happening told before dates: it took place within that one's span ("during the visit", "on the sidelines of the meeting"). */
function within(told: Finding, phrase: string): DateMention {
  const span = told.date;
  return {
    index: -1,
    text: phrase,
    date: {
      start: span.start,
      ...(span.end ? { end: span.end, window: true } : {}),
      basis: "inferred",
      note: `${phrase[0]!.toUpperCase()}${phrase.slice(1)} told in paragraph ${told.sentence.paragraph} (${span.start}${span.end ? `..${span.end}` : ""})${span.note ? `; ${span.note}` : ""}`,
    },
  };
}

/** The nouns that refer back to a happening, and the kinds of happening each can name. */
const REFERRING_NOUNS: Record<string, DraftEvent["type"][]> = {
  meeting: ["meeting", "summit"],
  summit: ["summit"],
  conference: ["summit", "meeting"],
  forum: ["summit"],
  visit: ["visit"],
  trip: ["visit"],
  talks: ["mediated-talks", "negotiation", "meeting"],
  negotiations: ["mediated-talks", "negotiation"],
  exercise: ["military-exercise"],
};

/**
 * "On the sidelines of the meeting", "during the summit", "invited to the meeting": the best-dated
 * happening told before that the noun names (its own words first: "the summit" is the "Regional Summit").
 */
function referredHappening(sentence: string, told: Finding[]): { finding: Finding; noun: string } | undefined {
  const reference = /\b(?:on the sidelines of|on the margins of|during|at|to|for)\s+(?:the|that|this)\s+(meeting|summit|conference|forum|visit|trip|talks|exercise)\b/i.exec(sentence);
  if (!reference) return undefined;
  const noun = reference[1]!.toLowerCase();
  const kinds = REFERRING_NOUNS[noun] ?? [];
  const candidates = [...told].reverse().filter((finding) => finding.dated === 2 && kinds.includes(finding.type) && finding.status !== "reported-planned");
  const finding = candidates.find((f) => f.verbText.toLowerCase().includes(noun)) ?? candidates[0];
  return finding ? { finding, noun } : undefined;
}

/** The best-dated report of the same visit (same visitor): its span, not the day of a later mention. */
function bestTold(visit: Finding | undefined, told: Finding[]): Finding | undefined {
  if (!visit) return undefined;
  const visitor = visit.participants.find((p) => p.role === "visitor")?.actor;
  const same = told.filter((finding) => finding.type === "visit" && finding.participants.some((p) => p.role === "visitor" && p.actor === visitor));
  return [visit, ...same].sort((a, b) => b.dated - a.dated || Number(b.date.end !== undefined) - Number(a.date.end !== undefined))[0];
}

function nearestDate(dates: DateMention[], at: number): DateMention | undefined {
  return [...dates].sort((a, b) => Math.abs(a.index - at) - Math.abs(b.index - at))[0];
}

function findPlaces(sentence: string, index: RecordIndex): DraftPlace[] {
  const found: { at: number; place: DraftPlace }[] = [];
  for (const { place, pattern } of index.placePatterns) {
    for (const match of sentence.matchAll(pattern)) {
      // Only where something happens: "in Muscat", "to Doha" — not "Muscat's role" or a dateline.
      if (!/\b(in|at|to|near|into|inside|for|nach|in der|im|في|در)\s+(the\s+)?$/iu.test(sentence.slice(Math.max(0, match.index - 14), match.index))) continue;
      // "to Iran's state news agency", "the US-Iran talks": a possessor or part of a compound, not where it happens.
      if (/^(?:['’]s?\b|-\p{L})/u.test(sentence.slice(match.index + match[0].length))) continue;
      found.push({ at: match.index, place: { place: place.id, name: match[0] } });
      break;
    }
  }
  // A place the record lacks, named where something happens ("in Sochi"): proposed by name, for the curator to add.
  // (No gazetteer: see docs/curation-assistant.md, "Places".)
  for (const match of sentence.matchAll(/\b(?:in|at|near)\s+(?:the\s+)?(\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+){0,2})(?!['’]s|\p{L}|-)/gu)) {
    const name = match[1]!;
    const at = match.index + match[0].length - name.length;
    if (found.some((f) => f.at <= at && at < f.at + (f.place.name.length || 1)) || index.placeNames.has(name.toLowerCase())) continue;
    if (CALENDAR_WORDS.test(name) || rankActors(name, index).length > 0) continue;
    found.push({ at, place: { name } });
  }
  // A city before its country: the most precise place first.
  const rank = (id: string | undefined) => ({ country: 3, region: 2, province: 2, sea: 2, city: 1, palace: 0, venue: 0 })[index.places.get(id ?? "")?.kind ?? "country"];
  return found.sort((a, b) => rank(a.place.place) - rank(b.place.place) || a.at - b.at).map((f) => f.place);
}

const CALENDAR_WORDS = /^(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|This|That|Its|His|Her|Their)\b/;

/** Evidence: the sentence, or the ~30 words of it around the verb, verbatim. */
function evidenceOf(finding: Finding, paragraphs: string[]): Evidence {
  const { sentence } = finding;
  const words = [...sentence.text.matchAll(/\S+/g)];
  let from = 0;
  let to = words.length - 1;
  if (words.length > EVIDENCE_WORDS) {
    const verbWord = Math.max(0, words.findIndex((w) => w.index + w[0].length > finding.verbIndex));
    from = Math.max(0, Math.min(verbWord - 12, words.length - EVIDENCE_WORDS));
    to = Math.min(words.length - 1, from + EVIDENCE_WORDS - 1);
  }
  // A dateline ("MUSCAT (Wire) —") is where the report was filed, not part of what supports it.
  const dateline = from === 0 ? /^[A-Z][A-Z .,'’/]+(?:\([^)]*\))?\s*[—–-]\s*/.exec(sentence.text) : null;
  if (dateline) while (from < to && words[from]!.index < dateline[0].length) from++;
  const start = words[from]!.index;
  const end = words[to]!.index + words[to]![0].length;
  const text = sentence.text.slice(start, end);
  const offset = sentence.offset + start;
  const paragraph = paragraphs[sentence.paragraph - 1]!;
  return { paragraph: sentence.paragraph, words: text, offset: paragraph.indexOf(text, Math.max(0, offset - 2)) >= 0 ? paragraph.indexOf(text, Math.max(0, offset - 2)) : offset };
}

const TITLE_VERBS: Partial<Record<DraftEvent["type"], string>> = {
  visit: "visits",
  meeting: "meets",
  "phone-call": "calls",
  negotiation: "negotiates with",
  "mediated-talks": "talks",
  mediation: "mediates between",
  summit: "summit:",
  statement: "speaks",
  "press-briefing": "briefs the press",
  praise: "praises",
  criticism: "criticises",
  appeal: "urges",
  invitation: "invites",
  "agreement-signing": "agreements:",
  "military-exercise": "exercise:",
  "military-build-up": "build-up:",
  airstrike: "strikes",
  "armed-conflict": "fights",
  "sanctions-designation": "designates",
  "break-relations": "cuts ties with",
  "withdrawal-from-agreement": "withdraws from",
  death: "dies",
};

function titleOf(type: DraftEvent["type"], participants: DraftParticipant[], index: RecordIndex): string {
  const sourceRoles = new Set(["visitor", "caller", "inviter", "speaker", "initiator", "attacker", "subject", "organiser", "mediator"]);
  const name = (p: DraftParticipant) => (p.actor ? (index.actors.get(p.actor)?.name ?? p.name) : p.name);
  const sources = participants.filter((p) => sourceRoles.has(p.role)).map(name);
  const others = participants.filter((p) => !sourceRoles.has(p.role)).map(name);
  const verb = TITLE_VERBS[type] ?? EVENT_TYPES[type].label;
  const title = sources.length > 0 ? `${sources.join(" and ")} ${verb} ${others.join(", ")}` : `${EVENT_TYPES[type].label}: ${others.join(", ")}`;
  return title.replace(/\s+/g, " ").trim().slice(0, 160);
}

const confidenceOf = (finding: Finding) =>
  Math.min(
    0.95,
    0.45 +
      (finding.participants.filter((p) => p.actor).length >= 2 ? 0.2 : 0.05) +
      (finding.dated ? 0.15 : 0) +
      (finding.type === "statement" ? 0 : 0.1),
  );

/** Types aimed at someone: one per target. */
const DIRECTED = new Set<DraftEvent["type"]>(["criticism", "praise", "appeal", "invitation", "sanctions-designation", "airstrike"]);

/** One proposal per real-world happening: findings of one type that share an actor and a date are one. */
function mergeFindings(findings: Finding[], paragraphs: string[], actors: DraftActor[], index: RecordIndex, published: string): (Omit<DraftEvent, "id"> & { ownDate: boolean })[] {
  const groups: Finding[][] = [];
  const ids = (finding: Finding) => new Set(finding.participants.map((p) => p.actor ?? p.name));
  const overlaps = (a: DateSpan, b: DateSpan) => {
    const bounds = (d: DateSpan) => [d.start.padEnd(10, "-00"), (d.end ?? d.start).padEnd(10, "-99")] as const;
    const [a1, a2] = bounds(a);
    const [b1, b2] = bounds(b);
    return a1 <= b2 && b1 <= a2;
  };
  for (const finding of findings) {
    const mine = ids(finding);
    const principal = finding.participants.filter((p) => !["host", "party", "addressee", "target", "attendee", "mediator"].includes(p.role) || finding.participants.length <= 2).map((p) => p.actor ?? p.name);
    const group = groups.find((g) =>
      // "X met Y … Z also received Y": one shared party, each with a person the other lacks, is two meetings,
      // whatever else (an undated headline) would join them.
      !g.some((other) => twoMeetings(other, finding)) &&
      g.some((other) => {
        // What a speaker says on the day of their briefing is said at it.
        const atBriefing = finding.type === "statement" && other.type === "press-briefing" && overlaps(other.date, finding.date) && [...actingIds(other)].some((id) => actingIds(finding).has(id));
        if (atBriefing) return true;
        if (other.type !== finding.type) return false;
        // What happened and what is only planned are two happenings.
        if ((other.status === "occurred") !== (finding.status === "occurred")) return false;
        // Criticism of one actor and of another are two criticisms, even by one speaker on one day.
        if (DIRECTED.has(finding.type) && targetIds(other).size > 0 && targetIds(finding).size > 0 && ![...targetIds(other)].some((id) => targetIds(finding).has(id))) return false;
        const shared = [...ids(other)].filter((id) => mine.has(id));
        // An undated mention near a dated one of the same kind, sharing an actor, is the same happening.
        // Anywhere in the article when they share who acts ("Pezeshkian heads for Qatar" in the headline); nearby when they share anyone.
        const dated = other.dated === 0 ? finding : other;
        const news = dated.dated > 0 && dated.date.start.length === 10 && dated.date.start >= addDays(published, -7) && dated.date.start <= addDays(published, 7);
        const sharedActing = shared.some((id) => actingIds(other).has(id) && actingIds(finding).has(id));
        if ((other.dated === 0 || finding.dated === 0) && ((news && sharedActing) || (Math.abs(other.sentence.paragraph - finding.sentence.paragraph) <= 2 && (sharedActing || shared.length >= 2 || symmetric(finding)) && shared.length > 0))) return true;
        // Two of the same actors in the same kind of happening at the same time: one happening.
        return overlaps(other.date, finding.date) && (shared.length >= 2 || shared.some((id) => principal.includes(id) || actingIds(other).has(id)));
      }),
    );
    if (group) group.push(finding);
    else groups.push([finding]);
  }
  function twoMeetings(a: Finding, b: Finding) {
    if (a.type !== b.type || !["meeting", "phone-call"].includes(a.type)) return false;
    const shared = a.participants.filter((p) => b.participants.some((o) => (o.actor ?? o.name) === (p.actor ?? p.name)));
    return shared.length <= 1 && otherPersons(a, b) && otherPersons(b, a);
  }
  function otherPersons(finding: Finding, than: Finding) {
    return finding.participants.some((p) => p.actor && index.actors.get(p.actor)?.kind === "person" && !than.participants.some((o) => o.actor === p.actor));
  }
  /** Everyone in it plays the same part (parties of an exercise, of talks): any shared one is a shared actor. */
  function symmetric(finding: Finding) {
    return finding.participants.every((p) => p.role === "party");
  }
  function targetIds(finding: Finding) {
    return new Set(finding.participants.filter((p) => p.role === "target" || p.role === "addressee" || p.role === "invitee").map((p) => p.actor ?? p.name));
  }
  function actingIds(finding: Finding) {
    return new Set(finding.participants.filter((p) => !["host", "party", "addressee", "target", "attendee", "mediator"].includes(p.role)).map((p) => p.actor ?? p.name));
  }
  const actorByMention = (mention: ActorMention, paragraph: number) =>
    actors.find((a) => a.evidence.some((e) => e.paragraph === paragraph && e.words === mention.text))?.id ?? actors.find((a) => a.actor !== undefined && a.actor === mention.actor)?.id;
  return groups.map((group) => {
    // The best-dated finding decides the date; every finding adds participants and evidence.
    // The best-dated finding leads: said in its own paragraph, to the day, not a window, with its end when it has one.
    const lead = [...group].sort((a, b) => Number(b.type === "press-briefing") - Number(a.type === "press-briefing") || b.dated - a.dated || b.date.start.length - a.date.start.length || Number(a.date.window ?? false) - Number(b.date.window ?? false) || Number(b.date.end !== undefined) - Number(a.date.end !== undefined))[0]!;
    const participants: DraftParticipant[] = [];
    for (const finding of group) {
      for (const { mention, ...participant } of finding.participants) {
        if (participants.some((p) => (p.actor ?? p.name) === (participant.actor ?? participant.name))) continue;
        const proposal = actorByMention(mention, finding.sentence.paragraph);
        participants.push({ ...participant, ...(proposal ? { proposal } : {}) });
      }
    }
    const evidence = group.map((finding) => evidenceOf(finding, paragraphs)).filter((e, at, all) => all.findIndex((o) => o.paragraph === e.paragraph && o.offset === e.offset) === at);
    const placeIds = new Map<string, DraftPlace>();
    for (const finding of group) for (const place of finding.places) placeIds.set(place.place ?? place.name, place);
    const status = group.some((f) => f.status === "occurred") && lead.status !== "occurred" && lead.dated ? lead.status : lead.status;
    const flags: string[] = [];
    if (!lead.dated) flags.push(`no date in the text: ${lead.date.start} stands in; check it`);
    if (participants.some((p) => !p.actor)) flags.push("a participant is not linked to an existing actor: pick a candidate or accept the new actor");
    for (const place of placeIds.values()) if (!place.place) flags.push(`"${place.name}" is not among the record's places: add it to data/places to keep it (it is left out when written)`);
    if (group.some((f) => f.firstClaim)) flags.push("claims a first: checked against the record");
    return {
      proposal: "new" as const,
      candidates: [],
      title: titleOf(lead.type, participants, index),
      type: lead.type,
      cameo: EVENT_TYPES[lead.type].cameo,
      date: lead.date,
      status,
      participants,
      places: [...placeIds.values()],
      paragraphs: [...new Set(group.map((f) => f.sentence.paragraph))].sort((a, b) => a - b),
      ...(group.find((f) => f.agency)?.agency ? { agency: group.find((f) => f.agency)!.agency! } : {}),
      confidence: Math.round(Math.max(...group.map(confidenceOf)) * 100) / 100,
      evidence,
      flags,
      // Dated by its own paragraph's words, not by the lead's news or the month of publication.
      ownDate: lead.dated === 2,
    };
  });
}

/** One proposal per actor: every mention of the same record (or the same new name) together. */
function actorProposals(sentences: Sentence[], mentions: ActorMention[][], index: RecordIndex): DraftActor[] {
  const proposals = new Map<string, DraftActor>();
  sentences.forEach((sentence, at) => {
    for (const mention of mentions[at]!) {
      // "Israeli pressure", "secretary of the Supreme National Security Council": a qualifier of someone
      // else, not an actor the article makes act (the codebook's actors act or speak).
      if (mention.modifier) continue;
      const key = mention.status === "existing" ? `x:${mention.actor}` : `${mention.status}:${mention.text.toLowerCase()}`;
      const evidence: Evidence = { paragraph: sentence.paragraph, words: mention.text, offset: sentence.offset + mention.index };
      const known = proposals.get(key);
      if (known) {
        if (known.evidence.length < 8) known.evidence.push(evidence);
        known.confidence = Math.max(known.confidence, mention.confidence);
        continue;
      }
      const flags: string[] = [];
      if (mention.status === "ambiguous") flags.push(`ambiguous: ${mention.candidates.map((c) => c.name).join(" or ")}; pick one`);
      if (mention.status === "new") flags.push("new actor: its kind and country are guesses");
      if (mention.via === "coreference") flags.push(`"${mention.text}" taken to mean the ${index.actors.get(mention.actor!)?.name} named earlier in the article`);
      const id = `a${proposals.size + 1}`;
      proposals.set(key, {
        id,
        status: mention.status,
        name: mention.text,
        ...(mention.status === "existing" ? { actor: mention.actor! } : {}),
        ...(mention.status === "new" ? { actor: newActorId(mention.text, index) } : {}),
        candidates: mention.candidates,
        ...(mention.kind ? { kind: mention.kind } : {}),
        ...(mention.country ? { country: mention.country } : {}),
        via: mention.via,
        confidence: mention.confidence,
        evidence: [evidence],
        flags,
      });
    }
  });
  return [...proposals.values()];
}

function newActorId(name: string, index: RecordIndex): string {
  const base = slugify(name) || "new-actor";
  let id = base;
  for (let n = 2; index.actors.has(id); n++) id = `${base}-${n}`;
  return id;
}
