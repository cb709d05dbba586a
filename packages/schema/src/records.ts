import { z } from "zod";
import { EventTypeSchema } from "./cameo.js";
import { DateBasisSchema, DateSpanSchema, DerivedFromSchema, PartialDateSchema, earliestDay, latestDay } from "./dates.js";
import {
  ActorKindSchema,
  CountryCodeSchema,
  CreditRoleSchema,
  EventRelationTypeSchema,
  EventStatusSchema,
  LanguageTagSchema,
  ParticipantRoleSchema,
  PlaceKindSchema,
  SlugSchema,
  SourceKindSchema,
  TopicSchema,
} from "./vocabularies.js";

const text = z.string().trim().min(1);
const note = text.describe("our own words: how this was derived or how a source frames it");

// ---------------------------------------------------------------- citations

export const MAX_QUOTE_WORDS = 30;
const wordCount = (value: string) => value.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;

/** The fragments of a citation's quote: verbatim runs of the article, joined by “…” in order. */
export function quoteFragments(quote: string): string[] {
  return quote
    .split(/…|\.\.\./)
    .map((fragment) => fragment.trim())
    .filter(Boolean);
}

/** A short, attributed quotation of what an actor said — never a pasted paragraph. */
export const QuotationSchema = z
  .strictObject({
    speaker: SlugSchema.describe("actor id of who said it"),
    text: text.max(320, "a quotation must be short (320 characters at most)"),
  })
  .meta({ id: "Quotation" });
export type Quotation = z.infer<typeof QuotationSchema>;

/** Where a fact comes from: the source, its paragraphs, and the agency the article credits. */
export const CitationSchema = z
  .strictObject({
    source: SlugSchema.describe("source id"),
    paragraphs: z.array(z.number().int().positive()).min(1).describe("1-based paragraph numbers in the source"),
    agency: SlugSchema.optional().describe("actor id of the agency the article credits for this fact (IRNA, ONA, TASS…)"),
    quote: text
      .refine((quote) => wordCount(quote) <= MAX_QUOTE_WORDS, `a quote is the few words that support the claim: ${MAX_QUOTE_WORDS} words at most`)
      .describe(
        "the few words (30 at most) of the cited paragraphs that support the claim, verbatim; “…” joins fragments taken in order",
      ),
    quotes: z.array(QuotationSchema).optional(),
    note: note.optional(),
  })
  .meta({ id: "Citation" });
export type Citation = z.infer<typeof CitationSchema>;

// ---------------------------------------------------------------- places

export const PlaceSchema = z
  .strictObject({
    id: SlugSchema,
    name: text,
    aliases: z.array(text).default([]).describe("other spellings, including the sources'"),
    kind: PlaceKindSchema,
    country: CountryCodeSchema.optional().describe("absent for seas and regions across borders"),
    within: SlugSchema.optional().describe("place id of the enclosing place"),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    note: note.optional(),
  })
  .meta({ id: "Place" });
export type Place = z.infer<typeof PlaceSchema>;

// ---------------------------------------------------------------- posts and actors

/** A post (FollowTheMoney's Position): the office itself, apart from who held it when. */
export const PostSchema = z
  .strictObject({
    id: SlugSchema,
    title: text,
    organisation: SlugSchema.describe("actor id of the state or body the post belongs to"),
    seats: z
      .union([z.number().int().positive(), z.literal("unknown")])
      .default(1)
      .describe("how many people hold it at once; 1 makes overlapping tenures an error; `unknown` when no source says"),
  })
  .meta({ id: "Post" });
export type Post = z.infer<typeof PostSchema>;

/** A tenure (FollowTheMoney's Occupancy): an actor in a post, at reduced precision, attested by sources. */
export const PositionSchema = z
  .strictObject({
    post: SlugSchema.describe("post id"),
    start: PartialDateSchema.optional(),
    end: PartialDateSchema.optional(),
    basis: DateBasisSchema.optional().describe("how start and end are known; sources rarely state them"),
    note: note.optional(),
    citations: z.array(CitationSchema).min(1, "a position needs at least one citation that shows the actor in the post"),
  })
  .superRefine((position, ctx) => {
    if ((position.start || position.end) && position.basis === undefined) {
      ctx.addIssue({ code: "custom", path: ["basis"], message: "a tenure with dates needs a basis" });
    }
    if (position.basis && position.basis !== "stated" && position.note === undefined) {
      ctx.addIssue({ code: "custom", path: ["note"], message: `${position.basis} tenure dates need a note` });
    }
    if (position.start && position.end && latestDay(position.end) < earliestDay(position.start)) {
      ctx.addIssue({ code: "custom", path: ["end"], message: `end ${position.end} is before start ${position.start}` });
    }
  })
  .meta({ id: "Position" });
export type Position = z.infer<typeof PositionSchema>;

export const AliasSchema = z
  .strictObject({
    name: text,
    lang: LanguageTagSchema.optional().describe("absent for English / Latin-script spellings"),
    usedBy: z.array(SlugSchema).min(1).optional().describe("source ids that use this spelling"),
    common: z
      .literal(true)
      .optional()
      .describe("a common spelling readers type that no source uses; kept for search, never credited to a source"),
  })
  .superRefine((alias, ctx) => {
    if (alias.common && alias.usedBy) {
      ctx.addIssue({ code: "custom", path: ["common"], message: "an alias a source uses is not a common spelling: keep usedBy or common, not both" });
    }
    if (alias.lang === undefined && !alias.common && !alias.usedBy) {
      ctx.addIssue({
        code: "custom",
        path: ["usedBy"],
        message: "name the sources that use this spelling, or mark it `common: true` if none does (native-script names take `lang`)",
      });
    }
  })
  .meta({ id: "Alias" });
export type Alias = z.infer<typeof AliasSchema>;

/** Kinds that belong to no single country (the EU, the UN, the ACD): they carry no `country`. */
export const INTERNATIONAL_ACTOR_KINDS: ReadonlySet<string> = new Set(["organisation", "multilateral-forum", "group-of-states"]);

export const ActorSchema = z
  .strictObject({
    id: SlugSchema,
    kind: ActorKindSchema,
    name: text.describe("canonical name in English"),
    aliases: z.array(AliasSchema).default([]),
    country: CountryCodeSchema.optional(),
    description: text.max(400),
    positions: z.array(PositionSchema).default([]),
  })
  .meta({ id: "Actor" });
export type Actor = z.infer<typeof ActorSchema>;

// ---------------------------------------------------------------- sources

const KnownBySchema = z.enum(["stated", "inferred", "unknown"]);

/** A publication date: a day, or a window when only its bounds are known. */
export const PublishedSchema = z
  .strictObject({
    date: PartialDateSchema.describe("the publication date, or the first day it can be"),
    end: PartialDateSchema.optional().describe("with it, `date`–`end` is the window the article was published in"),
    basis: z.enum(["stated", "inferred"]),
    note: note.optional(),
    derivedFrom: DerivedFromSchema,
  })
  .superRefine((published, ctx) => {
    if (published.basis === "inferred" && published.note === undefined) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "an inferred publication date needs its reasoning" });
    }
    if (published.end !== undefined && latestDay(published.end) <= earliestDay(published.date)) {
      ctx.addIssue({ code: "custom", path: ["end"], message: `a window ends after it starts (${published.date}–${published.end})` });
    }
  })
  .meta({ id: "Published" });
export type Published = z.infer<typeof PublishedSchema>;

export const SourceSchema = z
  .strictObject({
    id: SlugSchema,
    kind: SourceKindSchema,
    file: text.describe("the article file this record was built from (shared/sources)"),
    title: text.optional().describe("the headline as published; absent when the text has none"),
    description: text.describe("our one-line description of the article"),
    url: z
      .url({ protocol: /^https?$/, error: "expected the article's web address, starting with http:// or https://" })
      .max(2000)
      .optional()
      .describe("where the article is published, when known"),
    outlet: z
      .strictObject({
        actor: SlugSchema.optional(),
        basis: KnownBySchema,
        note: note.optional(),
      })
      .superRefine((outlet, ctx) => {
        if ((outlet.basis === "unknown") !== (outlet.actor === undefined)) {
          ctx.addIssue({ code: "custom", path: ["actor"], message: "name the outlet actor exactly when its basis is not unknown" });
        }
        if (outlet.basis !== "stated" && outlet.note === undefined) {
          ctx.addIssue({ code: "custom", path: ["note"], message: "say why the outlet is inferred or unknown" });
        }
      }),
    published: PublishedSchema,
    byline: text.optional(),
    dateline: z.strictObject({ text, place: SlugSchema.optional() }).optional(),
    language: LanguageTagSchema,
    paragraphs: z.number().int().positive().describe("non-blank lines of the text, headline and captions included"),
    credits: z
      .array(
        z.strictObject({
          actor: SlugSchema,
          role: CreditRoleSchema,
          paragraphs: z.array(z.number().int().positive()).min(1).describe("the paragraphs that carry the credited words"),
          note: note.optional().describe("why a paragraph is listed, e.g. a quotation that runs on into it"),
        }),
      )
      .default([]),
  })
  .meta({ id: "Source" });
export type Source = z.infer<typeof SourceSchema>;

// ---------------------------------------------------------------- events

export const ParticipantSchema = z
  .strictObject({
    actor: SlugSchema,
    role: ParticipantRoleSchema,
    post: SlugSchema.optional().describe("post id the actor acted in; checked against the actor's tenure"),
    note: note.optional(),
  })
  .meta({ id: "Participant" });
export type Participant = z.infer<typeof ParticipantSchema>;

export const EventRelationSchema = z
  .strictObject({ type: EventRelationTypeSchema, event: SlugSchema, note: note.optional() })
  .meta({ id: "EventRelation" });

export const EventSchema = z
  .strictObject({
    id: SlugSchema,
    title: text.max(160),
    summary: text.max(1200).describe("our own words"),
    date: DateSpanSchema,
    status: EventStatusSchema,
    type: EventTypeSchema,
    places: z.array(SlugSchema).default([]).describe("place ids, the principal first"),
    participants: z.array(ParticipantSchema).min(1),
    topics: z.array(TopicSchema).default([]),
    relations: z.array(EventRelationSchema).default([]),
    citations: z.array(CitationSchema).min(1, "every event cites at least one source"),
  })
  .meta({ id: "Event" });
export type Event = z.infer<typeof EventSchema>;

/** Every record kind, by the folder of `data/` it lives in. */
export const RECORD_SCHEMAS = {
  places: PlaceSchema,
  actors: ActorSchema,
  posts: PostSchema,
  sources: SourceSchema,
  events: EventSchema,
} as const;
export type RecordKind = keyof typeof RECORD_SCHEMAS;

// 2.0.0: every citation carries `quote`; dates and publication dates may name what they were derived from.
export const SCHEMA_VERSION = "2.0.0";
