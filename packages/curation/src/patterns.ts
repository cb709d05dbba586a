import type { EventType, ParticipantRole } from "@backchannel/schema";

/**
 * Our verb-pattern dictionary, in the manner of the PETRARCH family of dictionary coders: a verb
 * phrase, with the actors named before it (source) and after it (target), codes an event type, and
 * through the type a CAMEO code. Patterns run on the sentence as written (case-insensitive); the
 * first pattern of a type that matches places the verb, whose position splits source from target.
 */
export interface VerbPattern {
  type: EventType;
  pattern: RegExp;
  /** The same without its leading edge: Arabic writes "and", "to", "the" joined to the word (والتقى). */
  clitic: RegExp;
  source: ParticipantRole;
  target: ParticipantRole;
  /** Coded from what a speaker says of someone ("…were illegal", he said): the speaker is the source. */
  evaluative?: boolean;
}

/**
 * `\b` knows only ASCII letters, so it never matches beside Arabic or Persian words: the patterns'
 * word edges are rewritten as Unicode letter lookarounds.
 */
const unicodeEdges = (pattern: RegExp) =>
  new RegExp(pattern.source.replace(/^\\b/, "(?<![\\p{L}\\p{M}])").replace(/\\b$/, "(?![\\p{L}\\p{M}])"), pattern.flags.includes("u") ? pattern.flags : `${pattern.flags}u`);

const p = (type: EventType, source: ParticipantRole, target: ParticipantRole, ...patterns: RegExp[]): VerbPattern[] =>
  patterns.map((pattern) => ({ type, pattern: unicodeEdges(pattern), clitic: new RegExp(unicodeEdges(pattern).source.replace("(?<![\\p{L}\\p{M}])", ""), "iu"), source, target }));

/** Criticism read from a speaker's judgement of someone rather than from a verb. */
const evaluation = (pattern: RegExp): VerbPattern[] => p("criticism", "speaker", "target", pattern).map((verb) => ({ ...verb, evaluative: true }));

export const VERB_PATTERNS: VerbPattern[] = [
  ...p("press-briefing", "speaker", "addressee", /\b(news briefing|press briefing|press conference|pressekonferenz|نشست خبری|مؤتمر صحفي)\b/iu),
  ...p("phone-call", "caller", "party", /\b(phone calls?|telephone (?:call|conversation)s?|telephoned|spoke by (?:tele)?phone|telefonat\w*|تلفنی|اتصالا? هاتفي)/iu),
  ...p(
    "mediated-talks",
    "mediator",
    "party",
    /\b(indirect (?:nuclear )?(?:talks|negotiations)|\p{L}+-mediated|mediat\w+ and hosting|mediat(?:ing|ed|es) (?:\p{L}+ ){0,2}(?:talks|negotiations)|host(?:ed|s|ing) (?:\p{L}+ ){0,2}(?:talks|negotiations)|round of (?:indirect )?(?:nuclear )?talks|nuclear talks|indirekte\w* (?:gespräche|verhandlungen)|مذاکرات غیرمستقیم|محادثات غير مباشرة)\b/iu,
  ),
  ...p("mediation", "mediator", "party", /\b(broker\w*|helped (?:to )?end|mediat\w+ (?:a |an |the )?(?:ceasefire|truce|deal|end))\b/i),
  ...p("negotiation", "party", "party", /\b(direct talks|negotiations with|negotiated with|verhandlungen mit|(?:talks|dialogue|negotiations) between|resumption of (?:the )?(?:dialogue|talks|negotiations)|gespräche zwischen)\b/iu),
  ...p("agreement-signing", "party", "party", /\b(sign(?:ed|ing|s)?\b.{0,50}\b(?:agreements?|documents?|memorand\w+|accords?|deals?)|(?:agreements?|documents?|memorand\w+) .{0,40}\b(?:to be |be )?sign(?:ed|ing)|signing ceremony|unterzeichne\w*|امضا|توقيع|وقع)/iu),
  ...p("military-exercise", "party", "party", /\b(military (?:exercise|drills?|training)|joint (?:military |combat |naval )?(?:exercise|drills?|training)|exercise is|exercise was|manoeuvres|maneuvers|manöver\w*|militärübung\w*|رزمایش|مناورات?)/iu),
  ...p("military-build-up", "initiator", "target", /\b(military build-?up|build-?up of (?:forces|troops)|deploy(?:ed|s|ing|ment) (?:of )?(?:troops|forces|warships|carriers?|aircraft))\b/i),
  ...p("airstrike", "attacker", "target", /\b(air ?strikes?|airstrikes?|missile strikes?|drone strikes?|bomb(?:ed|ing|ardment)|luftangriff\w*|غارات?|حمله هوایی)/iu),
  ...p("armed-conflict", "attacker", "target", /\b(ground operation|war of aggression|(?:\d+|twelve)-day war|the war\b|a war\b|war with|war on|conflict (?:between|with)|offensive against|targeting shipping|attacks? on|krieg\w*|جنگ|حرب)/iu),
  ...p("sanctions-designation", "initiator", "target", /\b(designat\w+\b.{0,80}\bterrorist|impos\w+ sanctions|sanctions? (?:on|against))/i),
  ...p("break-relations", "initiator", "target", /\b(cut (?:diplomatic )?ties|severed (?:diplomatic )?(?:ties|relations)|broke off (?:diplomatic )?relations)\b/i),
  ...p("withdrawal-from-agreement", "initiator", "party", /\b(withdr(?:ew|awal|aws|awn) from|pulled out of)\b/i),
  ...p("death", "subject", "subject", /\b(died|killed in|death of|passed away|starb|ums leben)\b/i),
  ...p("invitation", "inviter", "invitee", /\b(invit(?:e|ed|es|ing|ation)|eingeladen|einladung|دعوت|دعوة|دعا)/iu),
  ...p("summit", "organiser", "attendee", /\b(summit|international meeting|general assembly|(?:was |were )?(?:first )?inaugurated|gipfel\w*|اجلاس|قمة)/iu),
  ...p(
    "visit",
    "visitor",
    "host",
    /\b(visit(?:s|ed|ing)?|travel(?:s|ed|led|ing|ling)? to|arriv(?:e|es|ed|ing|al) in|heading (?:to|for)|heads (?:to|for)|trip to|(?:state|official) visit|reiste nach|besuch\w*|eingetroffen|سفر|زيارة|زار|وصل)/iu,
  ),
  // A visit as its host's side reports it: "was welcomed by the deputy prime minister"; who travels with the visitor.
  ...p("visit", "visitor", "welcoming-official", /\b((?:was|were|being|been) (?:welcomed|greeted)(?: by)?)\b/i),
  ...p("visit", "visitor", "delegation-member", /\b(accompan(?:ying|ied by|ies)|travell?ing with)\b/i),
  ...p("meeting", "party", "party", /\b(met with|met|meet(?:s|ing)? with|meets|(?:to|will|would|shall) meet|received|receives|(?:to |will |would )?discuss(?:ed|es)?\b|hold talks with|held talks with|talks with|traf\w*|دیدار|التقى|استقبل)/iu),
  ...p("praise", "initiator", "target", /\b(prais\w+|hail\w+|commend\w+|laud\w+|lobte|würdigte)\b/i),
  ...p("criticism", "initiator", "target", /\b(condemn\w*|denounc\w+|slamm\w+|criticis\w+|criticiz\w+|accus\w+|blam(?:ed|es|ing)|verurteilt\w*|محکوم|أدان)/iu),
  ...evaluation(/\b(illegal|unlawful|a (?:strategic |serious |grave )?mistake|miscalculations?|destabili[sz]\w*|subservien\w+|(?:missed|squandered) (?:\w+ )?opportunit\w+|failed to act|rechtswidrig|ein fehler)\b/iu),
  ...p("appeal", "initiator", "addressee", /\b(urg(?:e|ed|es|ing)|called on|appeal(?:ed)? to|forderte)\b/i),
  ...p("statement", "speaker", "addressee", /\b(said|says|stated|made the remarks|(?:is |was )?speaking (?:about|on|of)|spoke (?:about|on|of)|told reporters|addresse[sd]|declared|echoed|describ(?:ed|ing) \S+(?: \S+){0,4} as|expressed (?:hope|concern|support|regret)|stressed|emphasi[sz]ed|underlined|reiterated|sagte|erklärte|betonte|گفت|قال)/iu),
];

/** Types that report the same kind of happening; a corroboration or a match needs the same family. */
export const TYPE_FAMILIES: Record<EventType, string> = {
  visit: "contact",
  meeting: "contact",
  summit: "contact",
  "phone-call": "call",
  negotiation: "talks",
  "mediated-talks": "talks",
  mediation: "talks",
  statement: "speech",
  "press-briefing": "speech",
  praise: "speech",
  criticism: "speech",
  appeal: "speech",
  invitation: "invitation",
  "agreement-signing": "agreement",
  "military-exercise": "military",
  "military-build-up": "military",
  airstrike: "force",
  "armed-conflict": "force",
  "sanctions-designation": "sanction",
  "break-relations": "relations",
  "withdrawal-from-agreement": "relations",
  death: "death",
};

/** Future and modality, read around the verb: what is planned or expected has not occurred. */
export const EXPECTED = /\b(expected to|is expected|are expected|was expected|were expected|likely to|soll(?:en)? .{0,20}werden|erwartet)\b/i;
export const PLANNED = /\b(will|shall|scheduled to|is to|are to|due to|set to|plans? to|planning to|to be held|heading (?:to|for)|heads (?:to|for)|is heading|would|(?:next|second|third|another|new) round of [\w\s-]{0,20}(?:talks|negotiations) (?:has|have) been (?:confirmed|agreed|announced)|(?:a|no) date (?:has|had) (?:not )?(?:yet )?been (?:announced|set|fixed)|wird|werden|soll|sollen|سوف|خواهد)\b/iu;
