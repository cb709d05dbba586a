// Words for readers, kept apart from the zod schemas (types only are imported) so that the
// dashboard's browser code can use them without shipping zod: `@backchannel/schema/labels`.
import type { DateBasis } from "./dates.js";
import type { Sourcing } from "./sourcing.js";
import type { ActorKind, EventStatus, ParticipantRole, RecordChangeType, Topic, TrackedRecordKind } from "./vocabularies.js";
import type { z } from "zod";
import type { CreditRoleSchema, EventRelationTypeSchema, PlaceKindSchema, SourceKindSchema } from "./vocabularies.js";

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** How well an event is sourced, in words: "one source" plainly, or what corroborates it. */
export function sourcingSummary(sourcing: Sourcing): string {
  const lines = `${count(sourcing.lines, "independent line")} of reporting`;
  if (sourcing.sources === 1) return `one source (${lines})`;
  return `${count(sourcing.sources, "source")} from ${count(sourcing.outlets, "outlet")}, ${lines}`;
}

/**
 * A reader's label for every value of every vocabulary (event types have theirs in the CAMEO
 * codebook, `EVENT_TYPES`). Pages, the TUI and tables show these; JSON keeps the ids.
 */
export const VOCABULARY_LABELS = {
  actorKind: {
    person: "Person",
    state: "State",
    organisation: "Organisation",
    "government-body": "Government body",
    "military-unit": "Military unit",
    "news-agency": "News agency",
    "news-outlet": "News outlet",
    "armed-group": "Armed group",
    "multilateral-forum": "Multilateral forum",
    "group-of-states": "Group of states",
  } satisfies Record<ActorKind, string>,
  placeKind: { country: "Country", region: "Region", province: "Province", city: "City", palace: "Palace", venue: "Venue", sea: "Sea" } satisfies Record<
    z.infer<typeof PlaceKindSchema>,
    string
  >,
  status: { occurred: "Occurred", scheduled: "Scheduled", expected: "Expected", "reported-planned": "Reported as planned", cancelled: "Cancelled" } satisfies Record<EventStatus, string>,
  role: {
    host: "Host",
    visitor: "Visitor",
    "welcoming-official": "Welcoming official",
    "delegation-member": "Delegation member",
    mediator: "Mediator",
    party: "Party",
    speaker: "Speaker",
    addressee: "Addressee",
    caller: "Caller",
    inviter: "Inviter",
    invitee: "Invitee",
    organiser: "Organiser",
    attendee: "Attendee",
    initiator: "Initiator",
    attacker: "Attacker",
    target: "Target",
    "supporting-force": "Supporting force",
    subject: "Subject",
  } satisfies Record<ParticipantRole, string>,
  topic: {
    "nuclear-programme": "Nuclear programme",
    "us-iran-talks": "US–Iran talks",
    "bilateral-relations": "Bilateral relations",
    "economy-and-trade": "Economy and trade",
    infrastructure: "Infrastructure",
    maritime: "Maritime affairs",
    security: "Security",
    defence: "Defence",
    "regional-stability": "Regional stability",
    yemen: "Yemen",
    "red-sea-shipping": "Red Sea shipping",
    gaza: "Gaza",
    lebanon: "Lebanon",
    israel: "Israel",
    normalisation: "Normalisation",
    "world-order": "World order",
    multilateralism: "Multilateralism",
    "muslim-unity": "Muslim unity",
    sanctions: "Sanctions",
    "culture-and-science": "Culture and science",
    "gulf-crisis": "Gulf crisis",
  } satisfies Record<Topic, string>,
  sourceKind: { "news-article": "News article", analysis: "Analysis", "agency-report": "Agency report", "official-statement": "Official statement" } satisfies Record<
    z.infer<typeof SourceKindSchema>,
    string
  >,
  creditRole: { agency: "Agency", photo: "Photo", reporter: "Reporter" } satisfies Record<z.infer<typeof CreditRoleSchema>, string>,
  relation: { follows: "Follows", "part-of": "Part of", "response-to": "Response to", "invitation-for": "Invitation for" } satisfies Record<
    z.infer<typeof EventRelationTypeSchema>,
    string
  >,
  dateBasis: { stated: "Stated", relative: "Resolved from a relative phrase", inferred: "Inferred" } satisfies Record<DateBasis, string>,
  recordKind: { events: "Event", actors: "Actor", sources: "Source", places: "Place", posts: "Office" } satisfies Record<TrackedRecordKind, string>,
  recordChange: { added: "Added", changed: "Changed", removed: "Removed" } satisfies Record<RecordChangeType, string>,
} as const;
export type Vocabulary = keyof typeof VOCABULARY_LABELS;

/** The label of a vocabulary's value; a value outside the vocabulary is shown as it is. */
export function vocabularyLabel(vocabulary: Vocabulary, id: string): string {
  return (VOCABULARY_LABELS[vocabulary] as Record<string, string>)[id] ?? id;
}

// Counts with their nouns, for every reader of the labels (the dashboard imports this module without zod).
export { noun, plural } from "./text.js";
export { EVENT_SORTS, foldedText, isDescending, sortKeyOf, type EventSort, type EventSortKey } from "./sorting.js";
