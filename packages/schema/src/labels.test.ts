import { describe, expect, it } from "vitest";
import { EVENT_TYPES, EventTypeSchema } from "./cameo.js";
import { DateBasisSchema } from "./dates.js";
import { VOCABULARY_LABELS, vocabularyLabel } from "./labels.js";
import {
  ActorKindSchema,
  CreditRoleSchema,
  EventRelationTypeSchema,
  EventStatusSchema,
  ParticipantRoleSchema,
  PlaceKindSchema,
  RecordChangeTypeSchema,
  RecordKindSchema,
  SourceKindSchema,
  TopicSchema,
} from "./vocabularies.js";

const VOCABULARIES = {
  actorKind: ActorKindSchema,
  placeKind: PlaceKindSchema,
  status: EventStatusSchema,
  role: ParticipantRoleSchema,
  topic: TopicSchema,
  sourceKind: SourceKindSchema,
  creditRole: CreditRoleSchema,
  relation: EventRelationTypeSchema,
  dateBasis: DateBasisSchema,
  recordKind: RecordKindSchema,
  recordChange: RecordChangeTypeSchema,
} as const;

describe("vocabulary labels", () => {
  it("label every value of every vocabulary, with words rather than the id", () => {
    expect(Object.keys(VOCABULARY_LABELS).sort()).toEqual(Object.keys(VOCABULARIES).sort());
    for (const [name, schema] of Object.entries(VOCABULARIES)) {
      const labels = VOCABULARY_LABELS[name as keyof typeof VOCABULARIES] as Record<string, string>;
      expect(Object.keys(labels).sort(), name).toEqual([...schema.options].sort());
      for (const [id, label] of Object.entries(labels)) {
        expect(label, `${name}.${id}`).toMatch(/^[A-Z]/);
        if (id.includes("-")) expect(label.toLowerCase(), `${name}.${id}`).not.toContain(id);
        expect(vocabularyLabel(name as keyof typeof VOCABULARIES, id)).toBe(label);
      }
    }
    for (const type of EventTypeSchema.options) {
      expect(EVENT_TYPES[type].label).toMatch(/^[A-Z]/);
      if (type.includes("-")) expect(EVENT_TYPES[type].label.toLowerCase()).not.toContain(type);
    }
  });

  it("show a value outside the vocabulary as it is", () => {
    expect(vocabularyLabel("topic", "not-a-topic")).toBe("not-a-topic");
  });
});
