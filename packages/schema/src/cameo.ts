import { z } from "zod";

/**
 * The part of the CAMEO codebook Backchannel uses, with Goldstein scores and quad classes.
 * Provenance: shared/reference/cameo-goldstein.csv (ICEWS CAMEO codes table,
 * andybega/icews data-raw/cameo-codes.csv). A test checks every row against that file;
 * never edit a score by hand.
 */
export const CAMEO_CODES = {
  "010": { name: "Make statement", goldstein: 0, quadClass: 1 },
  "020": { name: "Make an appeal or request", goldstein: 3, quadClass: 1 },
  "036": { name: "Express intent to meet or negotiate", goldstein: 4, quadClass: 1 },
  "040": { name: "Consult", goldstein: 1, quadClass: 1 },
  "041": { name: "Discuss by telephone", goldstein: 1, quadClass: 1 },
  "042": { name: "Make a visit", goldstein: 1.9, quadClass: 1 },
  "045": { name: "Mediate", goldstein: 5, quadClass: 1 },
  "046": { name: "Engage in negotiation", goldstein: 7, quadClass: 1 },
  "051": { name: "Praise or endorse", goldstein: 3.4, quadClass: 1 },
  "057": { name: "Sign formal agreement", goldstein: 8, quadClass: 1 },
  "062": { name: "Cooperate militarily", goldstein: 7.4, quadClass: 2 },
  "111": { name: "Criticize or denounce", goldstein: -2, quadClass: 3 },
  "154": { name: "Mobilize or increase armed forces", goldstein: -7.2, quadClass: 4 },
  "160": { name: "Reduce relations", goldstein: -4, quadClass: 4 },
  "161": { name: "Reduce or break diplomatic relations", goldstein: -4, quadClass: 4 },
  "172": { name: "Impose administrative sanctions", goldstein: -5, quadClass: 4 },
  "190": { name: "Use conventional military force", goldstein: -10, quadClass: 4 },
  "195": { name: "Employ aerial weapons", goldstein: -10, quadClass: 4 },
} as const satisfies Record<string, { name: string; goldstein: number; quadClass: 1 | 2 | 3 | 4 }>;
export type CameoCode = keyof typeof CAMEO_CODES;

export const QUAD_CLASSES = {
  1: "verbal cooperation",
  2: "material cooperation",
  3: "verbal conflict",
  4: "material conflict",
} as const;
export const QuadClassSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).meta({ id: "QuadClass" });
export type QuadClass = z.infer<typeof QuadClassSchema>;

/**
 * Backchannel's event types, each mapped to the most specific CAMEO code that fits every
 * event of the type. `death` has no code: CAMEO codes interactions between actors, and an
 * accident is not one; forcing a code would misstate it.
 */
export const EVENT_TYPES = {
  visit: { label: "Visit", cameo: "042", description: "An official travels to another country; the visitor makes it, the host hosts it." },
  meeting: { label: "Meeting", cameo: "040", description: "An in-person meeting or consultation between named actors." },
  "phone-call": { label: "Phone call", cameo: "041", description: "A discussion by telephone." },
  negotiation: { label: "Negotiation", cameo: "046", description: "Direct talks between parties." },
  "mediated-talks": { label: "Mediated talks", cameo: "045", description: "Talks carried through a mediator; the mediator is not a party." },
  mediation: { label: "Mediation", cameo: "045", description: "A third party brokers an end to a conflict or a deal." },
  summit: { label: "Summit or conference", cameo: "040", description: "A multilateral gathering of delegations." },
  statement: { label: "Statement", cameo: "010", description: "Remarks, an address or an interview; what was said is in the summary and quotations." },
  "press-briefing": { label: "Press briefing", cameo: "010", description: "A news briefing or press conference." },
  praise: { label: "Praise", cameo: "051", description: "An actor praises or endorses another's conduct." },
  criticism: { label: "Criticism", cameo: "111", description: "An actor criticises or denounces another's conduct." },
  appeal: { label: "Appeal", cameo: "020", description: "An actor urges or requests another to act." },
  invitation: { label: "Invitation", cameo: "036", description: "An invitation to visit or to meet." },
  "agreement-signing": { label: "Agreement signed", cameo: "057", description: "A formal agreement or cooperation documents signed." },
  "military-exercise": { label: "Joint military exercise", cameo: "062", description: "Armed forces of different states train together." },
  "military-build-up": { label: "Military build-up", cameo: "154", description: "Forces are mobilised or reinforced in a region." },
  airstrike: { label: "Airstrike", cameo: "195", description: "Attack with aircraft, missiles or drones from the air." },
  "armed-conflict": { label: "Armed conflict", cameo: "190", description: "War, a ground operation or sustained armed attacks." },
  "sanctions-designation": { label: "Sanctions or designation", cameo: "172", description: "An administrative sanction, such as a terrorist listing." },
  "break-relations": { label: "Relations broken", cameo: "161", description: "Diplomatic relations reduced or cut." },
  "withdrawal-from-agreement": { label: "Withdrawal from agreement", cameo: "160", description: "A party leaves an agreement." },
  death: { label: "Death", cameo: null, description: "The death of an actor (uncoded: not an interaction)." },
} as const satisfies Record<string, { label: string; cameo: CameoCode | null; description: string }>;

export const EventTypeSchema = z
  .enum(Object.keys(EVENT_TYPES) as [keyof typeof EVENT_TYPES, ...(keyof typeof EVENT_TYPES)[]])
  .meta({ id: "EventType" });
export type EventType = z.infer<typeof EventTypeSchema>;

export const EventCodingSchema = z
  .object({
    type: EventTypeSchema,
    label: z.string(),
    cameo: z.string().nullable(),
    cameoName: z.string().nullable(),
    goldstein: z.number().min(-10).max(10).nullable(),
    quadClass: QuadClassSchema.nullable(),
  })
  .meta({ id: "EventCoding" });
export type EventCoding = z.infer<typeof EventCodingSchema>;

/** Goldstein score and quad class always follow from the type's CAMEO code, never from data. */
export function codeEventType(type: EventType): EventCoding {
  const { label, cameo } = EVENT_TYPES[type];
  if (cameo === null) return { type, label, cameo: null, cameoName: null, goldstein: null, quadClass: null };
  const entry = CAMEO_CODES[cameo];
  return { type, label, cameo, cameoName: entry.name, goldstein: entry.goldstein, quadClass: entry.quadClass };
}
