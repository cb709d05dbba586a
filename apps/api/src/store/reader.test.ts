import { describe, expect, it } from "vitest";
import { curatedApi } from "../../test/harness.js";
import { REMEMBERED_ENTRIES } from "./reader.js";

const { get, snapshot } = curatedApi();

describe("what a reader remembers", () => {
  it("stays within its bound however many distinct date spans and ids are asked", async () => {
    // Every day of many years as its own span, and ids that name nothing: far more keys than the bound.
    const start = Date.UTC(1990, 0, 1);
    for (let day = 0; day < REMEMBERED_ENTRIES + 500; day++) {
      const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
      snapshot.reader.remembered(`bounds\u0000${date}\u0000`, () => ({ lo: 0, hi: day }));
      snapshot.reader.docOf("places", `nowhere-${day}`);
    }
    expect(snapshot.reader.rememberedEntries).toBeLessThanOrEqual(REMEMBERED_ENTRIES);
    // Evicting the oldest leaves the reader answering: a page by date span reads its bounds again.
    const response = await get("/api/v1/events?from=2025-06-01&to=2025-06-30&limit=5");
    expect(response.status).toBe(200);
  });
});
