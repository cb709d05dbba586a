import { describe, expect, it } from "vitest";
import { DraftActorSchema, DraftEventSchema } from "./draft.js";

const evidence = [{ paragraph: 2, words: "met the sultan", offset: 10 }];
const event = {
  id: "e1",
  proposal: "new",
  candidates: [],
  title: "A meeting",
  type: "meeting",
  cameo: "040",
  date: { start: "2026-02-10", basis: "stated" },
  status: "occurred",
  participants: [{ actor: "oman", name: "Oman", role: "party" }],
  places: [],
  paragraphs: [2],
  confidence: 0.8,
  evidence,
  flags: [],
} as const;

describe("draft proposals", () => {
  it("a corroboration names the event it corroborates, and only then", () => {
    expect(DraftEventSchema.safeParse(event).success).toBe(true);
    expect(DraftEventSchema.safeParse({ ...event, proposal: "corroborates" }).success).toBe(false);
    expect(DraftEventSchema.safeParse({ ...event, existing: "some-event" }).success).toBe(false);
    expect(DraftEventSchema.safeParse({ ...event, proposal: "corroborates", existing: "some-event" }).success).toBe(true);
  });

  it("a relative date without its note is refused, as in the record", () => {
    expect(DraftEventSchema.safeParse({ ...event, date: { start: "2026-02-10", basis: "relative" } }).success).toBe(false);
  });

  it("only an ambiguous actor may leave its actor id open", () => {
    const actor = { id: "a1", status: "existing", name: "Busaidi", candidates: [], confidence: 0.5, evidence, flags: [] } as const;
    expect(DraftActorSchema.safeParse(actor).success).toBe(false);
    expect(DraftActorSchema.safeParse({ ...actor, status: "ambiguous" }).success).toBe(true);
    expect(DraftActorSchema.safeParse({ ...actor, actor: "badr-albusaidi" }).success).toBe(true);
  });
});
