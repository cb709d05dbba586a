import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementsDuring, syntheticApi } from "../../test/harness.js";
import { openSnapshot, type Snapshot } from "./snapshot.js";

/**
 * A snapshot whose lists are read through SQLite (beyond the in-memory index) reads, once
 * opened and between requests, what its first requests would otherwise read: the counts built
 * with it, the actors' names, each vocabulary value's events.
 */
let snapshot: Snapshot;
let get: (path: string) => Promise<Response>;

beforeAll(async () => {
  ({ snapshot, get } = await syntheticApi({ events: 3_000, actors: 300, sources: 120, places: 60 }, { eventIndex: false }));
}, 120_000);
afterAll(() => snapshot.close());

/** The statements the store runs while `request` is answered (a 200, read to its end). */
function statementsOf(request: () => Promise<Response>): Promise<string[]> {
  return statementsDuring(snapshot, async () => {
    const response = await request();
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
}

describe("warming a snapshot read through SQLite", () => {
  it("leaves the first search and the first counts of lists nothing to read but their answers", async () => {
    await snapshot.warm();
    const name = ((await (await get("/api/v1/actors/actor-000007")).json()) as { name: string }).name;
    const searched = await statementsOf(() => get(`/api/v1/search?q=${encodeURIComponent(name)}`));
    expect(searched.filter((sql) => /actor_(keys|tokens)/.test(sql))).toEqual([]);
    const listed = await statementsOf(() => get("/api/v1/events?topic=security&country=IR&limit=5"));
    expect(listed.filter((sql) => /timeline_counts|list_counts|group_concat\(id\)/.test(sql))).toEqual([]);
    // A type, a status and a topic: every list was held.
    const counted = await statementsOf(() => get("/api/v1/events?type=visit&status=cancelled&topic=gaza&limit=5&sort=-date"));
    expect(counted.filter((sql) => /group_concat\(id\)/.test(sql))).toEqual([]);
    expect(snapshot.events.postings.heldBytes).toBeGreaterThan(0);
  });

  it("stops when the snapshot closes first, and the process goes on", async () => {
    const early = openSnapshot(snapshot.path, { eventIndex: false });
    const warming = early.warm();
    early.close();
    await warming;
    expect(early.db.open).toBe(false);
  });
});
