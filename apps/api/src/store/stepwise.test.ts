import { EventsQuerySchema, SearchQuerySchema } from "@backchannel/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticApi } from "../../test/harness.js";
import { openSnapshot, type Snapshot } from "./snapshot.js";

/**
 * A server reads its next snapshot's in-memory indexes (events and full text) while it still
 * answers from the current one: the read gives the event loop a turn every few thousand rows, so
 * a live swap never stalls requests for the whole read; and what it reads is what a read at once
 * reads.
 */
describe("reading a snapshot's indexes before it serves", () => {
  let path: string;
  const opened: Snapshot[] = [];
  beforeAll(async () => {
    const { snapshot } = await syntheticApi({ events: 2_000, actors: 300, sources: 100, places: 50 });
    path = snapshot.path;
    snapshot.close();
  }, 120_000);
  afterAll(() => opened.forEach((snapshot) => snapshot.close()));

  /** Timer callbacks that ran while `read` was under way. */
  async function ticksDuring(read: () => Promise<void> | void): Promise<number> {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await read();
    } finally {
      clearInterval(timer);
    }
    return ticks;
  }

  it("lets timers and I/O run between steps, where a read at once blocks them all", async () => {
    const stepwise = openSnapshot(path);
    const atOnce = openSnapshot(path);
    opened.push(stepwise, atOnce);
    expect(await ticksDuring(() => stepwise.warmYielding())).toBeGreaterThan(2);
    expect(await ticksDuring(() => atOnce.warm())).toBe(0);
    // Both hold their indexes: a page and a search answer the same, from memory.
    expect(stepwise.events.index()).toBeDefined();
    expect(stepwise.insight.textIndex()).toBeDefined();
    for (const q of ["talks", "visit oman", "min"]) {
      const query = SearchQuerySchema.parse({ q, limit: 50 });
      expect(stepwise.search(query)).toEqual(atOnce.search(query));
    }
    const page = { ...EventsQuerySchema.parse({ limit: "200", sort: "title" }), limit: 200 };
    expect(stepwise.listEventsJson(page).equals(atOnce.listEventsJson(page))).toBe(true);
  });
});
