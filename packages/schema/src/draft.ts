import { z } from "zod";
import { EventTypeSchema } from "./cameo.js";
import { DateSpanSchema, PartialDateSchema } from "./dates.js";
import {
  ActorKindSchema,
  CountryCodeSchema,
  CreditRoleSchema,
  EventStatusSchema,
  LanguageTagSchema,
  ParticipantRoleSchema,
  SlugSchema,
} from "./vocabularies.js";

/**
 * The curator's assistant's output: proposals drafted from one article, each with the words that
 * support it. Nothing here is a record yet: a person accepts, edits or rejects every proposal.
 */

/** The words of one paragraph that support a proposal, verbatim, with where they start in it. */
export const EvidenceSchema = z
  .strictObject({
    paragraph: z.number().int().positive().describe("1-based paragraph number, as the codebook counts them"),
    words: z.string().min(1).describe("verbatim words of that paragraph"),
    offset: z.number().int().nonnegative().describe("where the words start in the paragraph, in UTF-16 code units"),
  })
  .meta({ id: "Evidence" });
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ConfidenceSchema = z.number().min(0).max(1).meta({ id: "Confidence" });

/** An existing record the assistant considered, best first. */
export const CandidateSchema = z
  .strictObject({ id: SlugSchema, name: z.string().min(1), score: ConfidenceSchema, reason: z.string().min(1) })
  .meta({ id: "Candidate" });
export type Candidate = z.infer<typeof CandidateSchema>;

export const DraftCreditSchema = z
  .strictObject({
    actor: SlugSchema,
    role: CreditRoleSchema,
    paragraphs: z.array(z.number().int().positive()).min(1),
    evidence: z.array(EvidenceSchema).min(1),
  })
  .meta({ id: "DraftCredit" });
export type DraftCredit = z.infer<typeof DraftCreditSchema>;

export const DraftSourceSchema = z
  .strictObject({
    id: SlugSchema.describe("proposed source id: publication date and a slug of the title"),
    file: z.string().min(1).describe("the article file's name"),
    url: z.string().url().optional(),
    title: z.string().min(1).optional(),
    outlet: z.strictObject({
      actor: SlugSchema.optional(),
      name: z.string().min(1).optional(),
      basis: z.enum(["stated", "inferred", "unknown"]),
      note: z.string().min(1).optional(),
    }),
    published: z.strictObject({
      date: PartialDateSchema,
      end: PartialDateSchema.optional().describe("with it, `date`–`end` is the window the article was published in"),
      basis: z.enum(["stated", "inferred"]),
      note: z.string().min(1).optional(),
      evidence: EvidenceSchema.optional(),
    }),
    byline: z.string().min(1).optional(),
    dateline: z.strictObject({ text: z.string().min(1), place: SlugSchema.optional(), paragraph: z.number().int().positive() }).optional(),
    language: LanguageTagSchema,
    paragraphs: z.number().int().nonnegative(),
    credits: z.array(DraftCreditSchema),
  })
  .meta({ id: "DraftSource" });
export type DraftSource = z.infer<typeof DraftSourceSchema>;

/**
 * An actor the article names. `existing`: linked to a record (`actor`), with the other candidates
 * weighed; `ambiguous`: several records fit and none clearly wins, so the curator picks (never a
 * silent merge); `new`: nothing fits, kind and country are guesses and flagged as such.
 */
export const DraftActorSchema = z
  .strictObject({
    id: z.string().regex(/^a\d+$/).describe("proposal id within the draft: a1, a2…"),
    status: z.enum(["existing", "ambiguous", "new"]),
    name: z.string().min(1).describe("the name or description as the article writes it"),
    actor: SlugSchema.optional().describe("the linked actor (existing), or the proposed id (new)"),
    candidates: z.array(CandidateSchema).describe("ranked, best first"),
    kind: ActorKindSchema.optional().describe("new actors: a guess"),
    country: CountryCodeSchema.optional().describe("new actors: a guess"),
    via: z.enum(["name", "alias", "native-script", "post", "demonym", "coreference"]).optional(),
    confidence: ConfidenceSchema,
    evidence: z.array(EvidenceSchema).min(1),
    flags: z.array(z.string().min(1)),
  })
  .superRefine((actor, ctx) => {
    if (actor.status !== "ambiguous" && actor.actor === undefined) {
      ctx.addIssue({ code: "custom", path: ["actor"], message: `an ${actor.status} actor proposal names its actor id` });
    }
  })
  .meta({ id: "DraftActor" });
export type DraftActor = z.infer<typeof DraftActorSchema>;

export const DraftParticipantSchema = z
  .strictObject({
    actor: SlugSchema.optional().describe("existing actor id; absent while ambiguous or new"),
    proposal: z.string().regex(/^a\d+$/).optional().describe("the actor proposal this participant comes from"),
    name: z.string().min(1),
    role: ParticipantRoleSchema,
  })
  .meta({ id: "DraftParticipant" });
export type DraftParticipant = z.infer<typeof DraftParticipantSchema>;

export const DraftPlaceSchema = z
  .strictObject({ place: SlugSchema.optional().describe("existing place id; absent for a place the record lacks"), name: z.string().min(1) })
  .meta({ id: "DraftPlace" });
export type DraftPlace = z.infer<typeof DraftPlaceSchema>;

/**
 * A reported happening. `new`: an event the record lacks. `corroborates`: the record already holds
 * it (`existing`), so the proposal is a citation, and a date refinement when this source is more
 * precise (`refineDate`).
 */
export const DraftEventSchema = z
  .strictObject({
    id: z.string().regex(/^e\d+$/).describe("proposal id within the draft: e1, e2…"),
    proposal: z.enum(["new", "corroborates"]),
    existing: SlugSchema.optional().describe("the existing event this report corroborates"),
    refineDate: DateSpanSchema.optional().describe("a more precise date than the record's, from this source"),
    candidates: z.array(CandidateSchema).describe("existing events weighed, best first"),
    title: z.string().min(1).max(160),
    type: EventTypeSchema,
    cameo: z.string().nullable(),
    date: DateSpanSchema,
    status: EventStatusSchema,
    participants: z.array(DraftParticipantSchema),
    places: z.array(DraftPlaceSchema),
    paragraphs: z.array(z.number().int().positive()).min(1),
    agency: SlugSchema.optional().describe("the agency the article credits in these paragraphs"),
    confidence: ConfidenceSchema,
    evidence: z.array(EvidenceSchema).min(1),
    flags: z.array(z.string().min(1)).describe("what the curator must look at: a date after publication, a conflicting claim…"),
  })
  .superRefine((event, ctx) => {
    if ((event.proposal === "corroborates") !== (event.existing !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["existing"], message: "name the existing event exactly when the proposal corroborates one" });
    }
  })
  .meta({ id: "DraftEvent" });
export type DraftEvent = z.infer<typeof DraftEventSchema>;

export const DRAFT_VERSION = 1;

export const DraftSchema = z
  .strictObject({
    version: z.literal(DRAFT_VERSION),
    source: DraftSourceSchema,
    actors: z.array(DraftActorSchema),
    events: z.array(DraftEventSchema),
    warnings: z.array(z.string().min(1)),
  })
  .meta({ id: "Draft" });
export type Draft = z.infer<typeof DraftSchema>;

/** A curator's decision on one proposal, kept beside the draft in its review folder. */
export const DecisionSchema = z.enum(["pending", "accepted", "rejected"]).meta({ id: "Decision" });
export type Decision = z.infer<typeof DecisionSchema>;

export const ReviewStateSchema = z
  .strictObject({
    decisions: z.record(z.string().regex(/^[ae]\d+$/), DecisionSchema).describe("by proposal id; absent means pending"),
  })
  .meta({ id: "ReviewState" });
export type ReviewState = z.infer<typeof ReviewStateSchema>;
