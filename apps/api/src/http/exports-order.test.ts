import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSnapshot } from "@backchannel/dataset";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { generateSynthetic } from "../bench/generate.js";
import { openSnapshot, type Snapshot } from "../store/snapshot.js";

/**
 * Exports over a synthetic snapshot of some thousands of events, so they span many of the
 * store's batches: every event once, in the order of the JSON pages, in both directions.
 */
let snapshot: Snapshot;
let get: (path: string) => Promise<Response>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "backchannel-exports-"));
  await generateSynthetic(join(dir, "data"), { events: 3_000, actors: 300, sources: 100, places: 50 });
  const built = await buildSnapshot(join(dir, "data"), join(dir, "snapshot.sqlite"));
  if (!built.ok) throw new Error("the synthetic data does not build");
  snapshot = openSnapshot(join(dir, "snapshot.sqlite"));
  const app = createApp(snapshot);
  get = async (path) => app.fetch(new Request(`http://backchannel.test${path}`));
}, 180_000);
afterAll(() => snapshot.close());

/** Every event's id through the JSON pages, following the cursor. */
async function pagedIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page = (await (await get(`/api/v1/events?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json()) as { data: { id: string }[]; page: { next: string | null } };
    ids.push(...page.data.map((event) => event.id));
    cursor = page.page.next;
  }
  return ids;
}

describe("a streamed export of many batches", { timeout: 120_000 }, () => {
  for (const sort of ["date", "-date", "title"]) {
    it(`holds every event once, in the JSON pages' order (sort=${sort})`, async () => {
      const paged = await pagedIds(`&sort=${sort}`);
      expect(paged).toHaveLength(snapshot.meta.counts.events);
      const ndjson = (await (await get(`/api/v1/events?format=ndjson&sort=${sort}`)).text()).trimEnd().split("\n");
      expect(ndjson.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(paged);
      const csv = parse(await (await get(`/api/v1/events?format=csv&sort=${sort}`)).text(), { columns: true }) as { id: string }[];
      expect(csv.map((row) => row.id)).toEqual(paged);
    });
  }

  it("filtered, holds the filter's events in date order", async () => {
    const first = (await (await get("/api/v1/events?limit=1")).json()) as { data: { type: string }[] };
    const type = first.data[0]!.type;
    const paged = await pagedIds(`&type=${type}`);
    expect(paged.length).toBeGreaterThan(0);
    const ndjson = (await (await get(`/api/v1/events?format=ndjson&type=${type}`)).text()).trimEnd().split("\n");
    expect(ndjson.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(paged);
  });
});
