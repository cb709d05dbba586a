import { z } from "zod";

/** Stable, human-readable ids: lowercase words joined by hyphens (`ali-larijani`). They are permalinks. */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "expected a lowercase slug of letters, digits and single hyphens")
  .max(120)
  .meta({ id: "Slug" });
export type Slug = z.infer<typeof SlugSchema>;

export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 country code such as IR or OM")
  .meta({ id: "CountryCode" });

export const LanguageTagSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z]{4})?(-[A-Z]{2})?$/, "expected a BCP 47 language tag such as fa, ar or fa-Arab")
  .meta({ id: "LanguageTag" });

export const ActorKindSchema = z
  .enum([
    "person",
    "state",
    "organisation",
    "government-body",
    "military-unit",
    "news-agency",
    "news-outlet",
    "armed-group",
    "multilateral-forum",
    "group-of-states",
  ])
  .describe("group-of-states: several states a source names only together (\"European countries\")")
  .meta({ id: "ActorKind" });
export type ActorKind = z.infer<typeof ActorKindSchema>;

export const PlaceKindSchema = z
  .enum(["country", "region", "province", "city", "palace", "venue", "sea"])
  .meta({ id: "PlaceKind" });

export const EventStatusSchema = z
  .enum(["occurred", "scheduled", "expected", "reported-planned", "cancelled"])
  .describe(
    "occurred; scheduled (a date is set); expected (anticipated, e.g. agreements to be signed); reported-planned (announced without a date); cancelled",
  )
  .meta({ id: "EventStatus" });
export type EventStatus = z.infer<typeof EventStatusSchema>;

export const ParticipantRoleSchema = z
  .enum([
    "host",
    "visitor",
    "welcoming-official",
    "delegation-member",
    "mediator",
    "party",
    "speaker",
    "addressee",
    "caller",
    "inviter",
    "invitee",
    "organiser",
    "attendee",
    "initiator",
    "attacker",
    "target",
    "supporting-force",
    "subject",
  ])
  .meta({ id: "ParticipantRole" });
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>;

export const TopicSchema = z
  .enum([
    "nuclear-programme",
    "us-iran-talks",
    "bilateral-relations",
    "economy-and-trade",
    "infrastructure",
    "maritime",
    "security",
    "defence",
    "regional-stability",
    "yemen",
    "red-sea-shipping",
    "gaza",
    "lebanon",
    "israel",
    "normalisation",
    "world-order",
    "multilateralism",
    "muslim-unity",
    "sanctions",
    "culture-and-science",
    "gulf-crisis",
  ])
  .meta({ id: "Topic" });
export type Topic = z.infer<typeof TopicSchema>;

export const SourceKindSchema = z
  .enum(["news-article", "analysis", "agency-report", "official-statement"])
  .meta({ id: "SourceKind" });

/** What a source credits another party with: a fact (agency), a picture, or reporting. */
export const CreditRoleSchema = z.enum(["agency", "photo", "reporter"]).meta({ id: "CreditRole" });

export const EventRelationTypeSchema = z
  .enum(["follows", "part-of", "response-to", "invitation-for"])
  .describe("follows: comes after and builds on; part-of: a component of; response-to; invitation-for: this invitation led to that event")
  .meta({ id: "EventRelationType" });

/** The kinds of record the change log tracks (`/changes`), named as the API's paths name them. */
export const RecordKindSchema = z.enum(["events", "actors", "sources", "places", "posts"]).meta({ id: "RecordKind" });
export type TrackedRecordKind = z.infer<typeof RecordKindSchema>;

/** What a version did to a record, relative to the version it replaced. */
export const RecordChangeTypeSchema = z.enum(["added", "changed", "removed"]).meta({ id: "RecordChangeType" });
export type RecordChangeType = z.infer<typeof RecordChangeTypeSchema>;
