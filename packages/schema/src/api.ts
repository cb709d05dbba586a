import { z } from "zod";
import { EventCodingSchema, EventTypeSchema } from "./cameo.js";
import { DatePrecisionSchema, PartialDateSchema } from "./dates.js";
import { EVENT_SORTS } from "./sorting.js";
import { SourcingSchema } from "./sourcing.js";
import {
  ActorSchema,
  CitationSchema,
  EventSchema,
  ParticipantSchema,
  PlaceSchema,
  PositionSchema,
  PostSchema,
  QuotationSchema,
  SourceSchema,
} from "./records.js";
import {
  ActorKindSchema,
  CountryCodeSchema,
  EventRelationTypeSchema,
  EventStatusSchema,
  PlaceKindSchema,
  RecordChangeTypeSchema,
  RecordKindSchema,
  SlugSchema,
  TopicSchema,
} from "./vocabularies.js";

// ---------------------------------------------------------------- query parameters

/** A parameter that may be given once or repeated (`?actor=a&actor=b`): any of the values. */
const repeatable = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(50)]).optional();

const text = z.string().trim().min(1).max(200);

export const FormatSchema = z.enum(["json", "csv", "ndjson"]).meta({ id: "Format" });
export const EventFormatSchema = z.enum(["json", "csv", "ndjson", "geojson", "atom"]).meta({ id: "EventFormat" });

/** `?bom=true`: a CSV export starts with a UTF-8 byte order mark, so Excel reads Persian and Arabic names right. */
const BomSchema = z.enum(["true", "false"]).optional().describe("CSV only: `true` starts the file with a UTF-8 byte order mark (for Excel)");

export const PageParamsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("rows per page, 1–500"),
  cursor: z.string().min(1).max(400).optional().describe("the opaque `page.next` token of the previous page"),
});

/** Filters shared by /events, /timeline and /network. */
export const EventFiltersSchema = z.strictObject({
  q: text.optional().describe("full text over titles, summaries and participants' names (transliteration-tolerant)"),
  actor: repeatable(SlugSchema).describe("actor id; repeat for several: any of them, or all of them with `actorMode=all`"),
  actorMode: z.enum(["any", "all"]).optional().describe("`any` (the default): events with any of the `actor`s; `all`: events where every one of them took part"),
  type: repeatable(EventTypeSchema),
  country: repeatable(CountryCodeSchema).describe("ISO country of a participant or of a place"),
  place: repeatable(SlugSchema),
  topic: repeatable(TopicSchema),
  source: repeatable(SlugSchema),
  status: repeatable(EventStatusSchema),
  minSources: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("events citing at least this many distinct sources (2 keeps corroborated events only)"),
  from: PartialDateSchema.optional().describe("events overlapping on or after this date (precision-aware)"),
  to: PartialDateSchema.optional().describe("events overlapping on or before this date (precision-aware)"),
});
export type EventFilters = z.infer<typeof EventFiltersSchema>;

export const EventsQuerySchema = EventFiltersSchema.extend({
  ...PageParamsSchema.shape,
  sort: z
    .enum(EVENT_SORTS)
    .default("date")
    .describe("`date` (oldest first), `type` (by the type's label, then date), `title` (case and accents ignored, then date); a leading `-` reverses the whole order"),
  format: EventFormatSchema.optional(),
  bom: BomSchema,
}).meta({ id: "EventsQuery" });
export type EventsQuery = z.infer<typeof EventsQuerySchema>;

export const ActorsQuerySchema = z
  .strictObject({
    q: text.optional(),
    kind: repeatable(ActorKindSchema),
    country: repeatable(CountryCodeSchema),
    ...PageParamsSchema.shape,
    format: FormatSchema.optional(),
    bom: BomSchema,
  })
  .meta({ id: "ActorsQuery" });
export type ActorsQuery = z.infer<typeof ActorsQuerySchema>;

export const SourcesQuerySchema = z
  .strictObject({ q: text.optional(), ...PageParamsSchema.shape, format: FormatSchema.optional(), bom: BomSchema })
  .meta({ id: "SourcesQuery" });
export const PlacesQuerySchema = z
  .strictObject({
    q: text.optional(),
    kind: repeatable(PlaceKindSchema),
    country: repeatable(CountryCodeSchema),
    ...PageParamsSchema.shape,
    format: FormatSchema.optional(),
    bom: BomSchema,
  })
  .meta({ id: "PlacesQuery" });

export const PostsQuerySchema = z
  .strictObject({
    q: text.optional().describe("words of the post's title"),
    on: PartialDateSchema.refine((date) => date.length === 10, "expected a full date, YYYY-MM-DD")
      .optional()
      .describe("only the holders on this day (YYYY-MM-DD): who was the secretary of Iran's Supreme National Security Council on 2024-05-01?"),
    ...PageParamsSchema.shape,
  })
  .meta({ id: "PostsQuery" });
export type PostsQuery = z.infer<typeof PostsQuerySchema>;
export const PostDetailQuerySchema = PostsQuerySchema.pick({ on: true }).meta({ id: "PostDetailQuery" });

export const ActorDetailQuerySchema = z.strictObject({ ...PageParamsSchema.shape }).meta({ id: "ActorDetailQuery" });
export const NoQuerySchema = z.strictObject({}).meta({ id: "NoQuery" });

export const SearchQuerySchema = z
  .strictObject({
    q: text,
    kind: repeatable(z.enum(["actor", "event", "source", "place"])),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    format: FormatSchema.optional(),
    bom: BomSchema,
  })
  .meta({ id: "SearchQuery" });
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

export const TimelineQuerySchema = EventFiltersSchema.extend({
  bucket: z.enum(["month", "year"]).default("month"),
  format: FormatSchema.optional(),
  bom: BomSchema,
}).meta({ id: "TimelineQuery" });
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;

export const NetworkQuerySchema = EventFiltersSchema.extend({
  limit: z.coerce.number().int().min(1).max(2000).default(300).describe("the strongest edges to return"),
  format: FormatSchema.optional(),
  bom: BomSchema,
}).meta({ id: "NetworkQuery" });
export type NetworkQuery = z.infer<typeof NetworkQuerySchema>;

export const FacetsQuerySchema = EventFiltersSchema.extend({
  size: z.coerce.number().int().min(1).max(100).default(20).describe("values per facet, most frequent first"),
}).meta({ id: "FacetsQuery" });
export type FacetsQuery = z.infer<typeof FacetsQuerySchema>;

export const IdParamSchema = z.object({ id: SlugSchema.meta({ param: { name: "id", in: "path" } }) });

// ---------------------------------------------------------------- responses

export const PageInfoSchema = z
  .object({
    next: z.string().nullable().describe("pass as `cursor` for the next page, with the same query; null on the last page"),
    offset: z.number().int().nonnegative().describe("matching rows before this page, counted by the server (0 on the first page): this page shows rows offset+1 to offset+data.length"),
    offsetExact: z.boolean().describe("false when counting stopped at the cap; offset is then a lower bound"),
    total: z.number().int().nonnegative(),
    totalExact: z.boolean().describe("false when counting stopped at the cap; total is then a lower bound"),
  })
  .meta({ id: "PageInfo" });

export const ParticipantViewSchema = ParticipantSchema.extend({
  name: z.string(),
  kind: ActorKindSchema,
}).meta({ id: "ParticipantView" });

export const EventListItemSchema = EventSchema.extend({
  participants: z.array(ParticipantViewSchema),
  precision: DatePrecisionSchema,
  coding: EventCodingSchema,
  sourcing: SourcingSchema,
}).meta({ id: "EventListItem" });
export type EventListItem = z.infer<typeof EventListItemSchema>;

export const EventPageSchema = z.object({ data: z.array(EventListItemSchema), page: PageInfoSchema }).meta({ id: "EventPage" });

/** `?format=geojson` of /events: one feature per event, at every place it happened (RFC 7946). */
export const EventFeatureSchema = z
  .object({
    type: z.literal("Feature"),
    id: SlugSchema,
    geometry: z
      .object({ type: z.literal("MultiPoint"), coordinates: z.array(z.tuple([z.number(), z.number()]).describe("[longitude, latitude]")).min(1) })
      .nullable()
      .describe("null for an event with no place"),
    properties: z.object({
      id: SlugSchema,
      title: z.string(),
      start: PartialDateSchema,
      end: PartialDateSchema.nullable(),
      precision: DatePrecisionSchema,
      type: EventTypeSchema,
      status: EventStatusSchema,
      cameo: EventCodingSchema.shape.cameo,
      goldstein: EventCodingSchema.shape.goldstein,
      quadClass: EventCodingSchema.shape.quadClass,
      places: z.array(SlugSchema).describe("the places, in the order of the geometry's points"),
      placeNames: z.array(z.string()),
      participants: z.array(z.string()),
    }),
  })
  .meta({ id: "EventFeature" });
export type EventFeature = z.infer<typeof EventFeatureSchema>;
export const EventFeatureCollectionSchema = z
  .object({ type: z.literal("FeatureCollection"), features: z.array(EventFeatureSchema) })
  .meta({ id: "EventFeatureCollection" });

export const SourceRefSchema = SourceSchema.pick({ id: true, title: true, description: true, kind: true, published: true })
  // A union, not .nullable(): on a referenced schema that renders as allOf [Slug, string|null], which refuses null.
  .extend({ outlet: z.object({ id: z.union([SlugSchema, z.null()]).describe("null when the outlet is not known"), name: z.string().nullable(), basis: z.string() }) })
  .meta({ id: "SourceRef" });

export const CitationViewSchema = CitationSchema.extend({
  quotes: z.array(QuotationSchema.extend({ speakerName: z.string() })).optional(),
  sourceInfo: SourceRefSchema,
  agencyName: z.string().nullable(),
}).meta({ id: "CitationView" });

export const RelatedEventSchema = z
  .object({
    type: EventRelationTypeSchema,
    direction: z.enum(["outgoing", "incoming"]).describe("outgoing: this event → that one; incoming: that event → this one"),
    note: z.string().optional(),
    event: z.object({ id: SlugSchema, title: z.string(), date: EventSchema.shape.date, type: EventTypeSchema }),
  })
  .meta({ id: "RelatedEvent" });

export const EventDetailSchema = EventListItemSchema.extend({
  participants: z.array(ParticipantViewSchema.extend({ postTitle: z.string().optional().describe("the title of the post the actor acted in") })),
  placeDetails: z.array(PlaceSchema),
  citations: z.array(CitationViewSchema),
  related: z.array(RelatedEventSchema),
}).meta({ id: "EventDetail" });
export type EventDetail = z.infer<typeof EventDetailSchema>;

export const ActorListItemSchema = ActorSchema.pick({ id: true, kind: true, name: true, country: true, description: true })
  .extend({ aliases: z.array(z.string()), eventCount: z.number().int() })
  .meta({ id: "ActorListItem" });
export const ActorPageSchema = z.object({ data: z.array(ActorListItemSchema), page: PageInfoSchema }).meta({ id: "ActorPage" });

export const PositionViewSchema = PositionSchema.extend({ postTitle: z.string(), organisation: SlugSchema }).meta({ id: "PositionView" });

export const CounterpartSchema = z
  .object({ id: SlugSchema, name: z.string(), kind: ActorKindSchema, sharedEvents: z.number().int() })
  .meta({ id: "Counterpart" });

export const ActorDetailSchema = ActorSchema.extend({
  positions: z.array(PositionViewSchema),
  eventCount: z.number().int(),
  events: EventPageSchema,
  counterparts: z.array(CounterpartSchema),
}).meta({ id: "ActorDetail" });

/** One tenure of a post, seen from the post: who held it, when, and the sources showing it. */
// From the tenure's fields (its refinements checked the record already).
export const PostHolderSchema = z
  .object(PositionSchema.shape)
  .omit({ post: true, citations: true })
  .extend({
    actor: SlugSchema,
    name: z.string(),
    kind: ActorKindSchema,
    certain: z
      .boolean()
      .optional()
      .describe("with `on`: true when the tenure's dates, at their precision, surely cover the day; false when they only may"),
    citations: z.array(CitationViewSchema),
  })
  .meta({ id: "PostHolder" });

export const PostListItemSchema = PostSchema.extend({
  organisationName: z.string(),
  tenureCount: z.number().int(),
  holders: z
    .array(PostHolderSchema.omit({ citations: true }))
    .describe("every tenure, the latest first (at most 20); with `on`, only the tenures covering that day"),
}).meta({ id: "PostListItem" });
export const PostPageSchema = z.object({ data: z.array(PostListItemSchema), page: PageInfoSchema }).meta({ id: "PostPage" });
export const PostDetailSchema = PostSchema.extend({
  organisationName: z.string(),
  on: z.string().optional().describe("the day asked for, when `on` was given"),
  holders: z.array(PostHolderSchema).describe("every tenure, the latest first; with `on`, only those covering that day"),
}).meta({ id: "PostDetail" });
export type PostListItem = z.infer<typeof PostListItemSchema>;
export type PostDetail = z.infer<typeof PostDetailSchema>;
export type PostHolder = z.infer<typeof PostHolderSchema>;

export const SourceListItemSchema = SourceSchema.extend({ eventCount: z.number().int() }).meta({ id: "SourceListItem" });
export const SourcePageSchema = z.object({ data: z.array(SourceListItemSchema), page: PageInfoSchema }).meta({ id: "SourcePage" });
/** A record that cites a paragraph: an event, or an actor's tenure of a post. */
export const ParagraphCiterSchema = z
  .object({
    kind: z.enum(["event", "tenure"]),
    id: SlugSchema.describe("the event's id, or the actor's id for a tenure"),
    label: z.string().describe("the event's title, or the actor's name"),
    post: z.object({ id: SlugSchema, title: z.string() }).optional().describe("for a tenure: the post held"),
    quote: z.string().optional().describe("the words of the paragraph the record cites, when given"),
  })
  .meta({ id: "ParagraphCiter" });

export const SourceParagraphSchema = z
  .object({
    paragraph: z.number().int().positive(),
    anchor: z.string().describe("the fragment of the dashboard's source page for this paragraph: `p3` in /sources/{id}#p3"),
    citedBy: z.array(ParagraphCiterSchema).describe("the records that cite this paragraph, events first (at most PARAGRAPH_CITERS_CAP)"),
    citedByTotal: z.number().int().nonnegative(),
  })
  .meta({ id: "SourceParagraph" });
export type SourceParagraph = z.infer<typeof SourceParagraphSchema>;

export const SourceDetailSchema = SourceListItemSchema.extend({
  outletName: z.string().nullable(),
  credited: z.array(z.object({ id: SlugSchema, name: z.string(), role: z.string(), paragraphs: z.array(z.number().int()) })),
  paragraphIndex: z
    .array(SourceParagraphSchema)
    .describe("paragraphs 1…N (the first 2,000 at most) with the records that cite each: what the article supports"),
  events: z.array(EventListItemSchema),
}).meta({ id: "SourceDetail" });

export const PlaceListItemSchema = PlaceSchema.extend({ eventCount: z.number().int() }).meta({ id: "PlaceListItem" });
export const PlacePageSchema = z.object({ data: z.array(PlaceListItemSchema), page: PageInfoSchema }).meta({ id: "PlacePage" });
export const PlaceDetailSchema = PlaceListItemSchema.extend({ events: z.array(EventListItemSchema) }).meta({ id: "PlaceDetail" });

export const SearchHitSchema = z
  .object({
    kind: z.enum(["actor", "event", "source", "place"]),
    id: SlugSchema,
    label: z.string(),
    detail: z.string().describe("a short line to show under the label"),
    matched: z.string().describe("the name or alias that matched, or the text field"),
    score: z.number(),
  })
  .meta({ id: "SearchHit" });
export const SearchResultSchema = z.object({ query: z.string(), data: z.array(SearchHitSchema) }).meta({ id: "SearchResult" });

export const TimelineBucketSchema = z
  .object({
    bucket: z.string().describe("YYYY or YYYY-MM of the events' start; in a monthly timeline, events dated only to the year come in a YYYY bucket of their own"),
    count: z.number().int(),
    byQuadClass: z.object({ "1": z.number().int(), "2": z.number().int(), "3": z.number().int(), "4": z.number().int(), uncoded: z.number().int() }),
    meanGoldstein: z.number().nullable(),
  })
  .meta({ id: "TimelineBucket" });
export const TimelineSchema = z.object({ bucket: z.enum(["month", "year"]), data: z.array(TimelineBucketSchema) }).meta({ id: "Timeline" });

export const NetworkSchema = z
  .object({
    counted: z.number().int().describe("matching events the network was drawn from: the most recent 5,000 at most"),
    exact: z.boolean().describe("true when that was every matching event"),
    nodes: z.array(z.object({ id: SlugSchema, name: z.string(), kind: ActorKindSchema, country: z.string().nullable(), events: z.number().int() })),
    edges: z.array(z.object({ source: SlugSchema, target: SlugSchema, weight: z.number().int() })),
  })
  .meta({ id: "Network" });

const FacetValueSchema = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
export const FacetsSchema = z
  .object({
    total: z.number().int().describe("events matching the filters (counting stops at a cap, as for pages)"),
    totalExact: z.boolean(),
    counted: z.number().int().describe("events whose values were counted: the first 10,000 matching in date order"),
    exact: z.boolean().describe("true when the counts cover every matching event"),
    facets: z.object({
      type: z.array(FacetValueSchema),
      status: z.array(FacetValueSchema),
      topic: z.array(FacetValueSchema),
      country: z.array(FacetValueSchema),
      actor: z.array(FacetValueSchema),
      place: z.array(FacetValueSchema),
      source: z.array(FacetValueSchema),
      year: z.array(FacetValueSchema),
    }),
  })
  .meta({ id: "Facets" });
export type Facets = z.infer<typeof FacetsSchema>;

// ---------------------------------------------------------------- changes between versions

/** A dataset version, as `/meta` gives it: 16 hexadecimal digits. */
export const DatasetVersionSchema = z.string().regex(/^[0-9a-f]{16}$/, "expected a dataset version: 16 hexadecimal digits, as /meta gives it");

export const ChangesQuerySchema = z
  .strictObject({
    since: DatasetVersionSchema.optional().describe("list what changed after this version; without it, what the latest version changed"),
    limit: z.coerce.number().int().min(1).max(1000).default(200).describe("changes listed at most, over every version, 1–1000"),
  })
  .meta({ id: "ChangesQuery" });
export type ChangesQuery = z.infer<typeof ChangesQuerySchema>;

export const RecordChangeSchema = z
  .object({
    kind: RecordKindSchema,
    id: z.string(),
    title: z.string().describe("the record's title or name (as it was, for a removed record)"),
    change: RecordChangeTypeSchema,
    fields: z.array(z.string()).describe("for a changed record, the top-level fields whose values differ"),
  })
  .meta({ id: "RecordChange" });
export type RecordChange = z.infer<typeof RecordChangeSchema>;

export const VersionChangesSchema = z
  .object({
    version: z.string(),
    replaces: z.string().nullable().describe("the version this one replaced; null for the first version on record"),
    builtAt: z.string(),
    counts: z.object({ added: z.number().int(), changed: z.number().int(), removed: z.number().int() }),
    changes: z.array(RecordChangeSchema).describe("added, then changed, then removed; each by kind and title"),
    complete: z.boolean().describe("false when `limit` (or the log's bound per version) left some out; `counts` are exact"),
  })
  .meta({ id: "VersionChanges" });
export type VersionChanges = z.infer<typeof VersionChangesSchema>;

export const ChangesSchema = z
  .object({
    datasetVersion: z.string().describe("the version served"),
    since: z.string().nullable().describe("the version asked for, or null (the latest version's changes)"),
    versions: z.array(VersionChangesSchema).describe("newest first"),
    oldest: z.object({ version: z.string(), builtAt: z.string() }).describe("the oldest version the change log holds"),
  })
  .meta({ id: "Changes" });
export type Changes = z.infer<typeof ChangesSchema>;

export const MetaSchema = z
  .object({
    datasetVersion: z.string(),
    builtAt: z.string(),
    schemaVersion: z.string(),
    counts: z.object({ events: z.number().int(), actors: z.number().int(), sources: z.number().int(), places: z.number().int(), posts: z.number().int() }),
  })
  .meta({ id: "Meta" });
export type Meta = z.infer<typeof MetaSchema>;

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });
export type ProblemDetails = z.infer<typeof ProblemSchema>;

export type ActorListItem = z.infer<typeof ActorListItemSchema>;
export type ActorDetail = z.infer<typeof ActorDetailSchema>;
export type SourceListItem = z.infer<typeof SourceListItemSchema>;
export type SourceDetail = z.infer<typeof SourceDetailSchema>;
export type PlaceListItem = z.infer<typeof PlaceListItemSchema>;
export type PlaceDetail = z.infer<typeof PlaceDetailSchema>;
export type SearchHit = z.infer<typeof SearchHitSchema>;
export type Timeline = z.infer<typeof TimelineSchema>;
export type Network = z.infer<typeof NetworkSchema>;
export type Counterpart = z.infer<typeof CounterpartSchema>;
