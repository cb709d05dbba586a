import { loadDataset } from "@backchannel/dataset";
import { describe, expect, it } from "vitest";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unwrap } from "./client.js";
import { apiOver } from "../test/harness.js";

const loaded = loadDataset(join(dirname(fileURLToPath(import.meta.url)), "../../../data"));
if (!loaded.ok) throw new Error("the curated dataset does not load");
const now = loaded.dataset;
const copy = () => structuredClone(now);

// Three versions: the record without its latest event and with an extra place, then with one
// actor described differently, then the record as curated.
const first = copy();
const added = first.events.pop()!;
first.places.push({ ...first.places[0]!, id: "a-place-since-removed", name: "A place since removed" });
const second = copy();
second.places.push({ ...second.places[0]!, id: "a-place-since-removed", name: "A place since removed" });
const actor = now.actors[0]!;
second.actors[0] = { ...second.actors[0]!, description: `${actor.description} (as first described)` };

const { client, get, snapshot } = apiOver(now, { before: [first, second] });
const changes = client.api.v1.changes;

describe("GET /changes", () => {
  it("lists what the latest version added, changed (which fields) and removed", async () => {
    const body = await unwrap(changes.$get({ query: {} }));
    expect(body.datasetVersion).toBe(snapshot.meta.datasetVersion);
    expect(body.versions).toHaveLength(1);
    const [latest] = body.versions;
    expect(latest!.version).toBe(snapshot.meta.datasetVersion);
    expect(latest!.changes).toEqual([
      { kind: "actors", id: actor.id, title: actor.name, change: "changed", fields: ["description"] },
      { kind: "places", id: "a-place-since-removed", title: "A place since removed", change: "removed", fields: [] },
    ]);
    expect(latest!.counts).toEqual({ added: 0, changed: 1, removed: 1 });
    expect(latest!.complete).toBe(true);
  });

  it("lists every version after `since`, newest first, each naming the one it replaced", async () => {
    const log = await unwrap(changes.$get({ query: {} }));
    const oldest = log.oldest.version;
    const body = await unwrap(changes.$get({ query: { since: oldest } }));
    expect(body.since).toBe(oldest);
    expect(body.versions).toHaveLength(2);
    expect(body.versions[0]!.replaces).toBe(body.versions[1]!.version);
    expect(body.versions[1]!.replaces).toBe(oldest);
    expect(body.versions[0]!.builtAt >= body.versions[1]!.builtAt).toBe(true);
    expect(body.versions[1]!.changes.map(({ kind, id, change, fields }) => [kind, id, change, fields])).toEqual([
      ["events", added.id, "added", []],
      ["actors", actor.id, "changed", ["description"]],
    ]);
    expect(body.versions[1]!.changes[0]!.title).toBe(added.title);
    // Since the version served: nothing newer.
    expect((await unwrap(changes.$get({ query: { since: snapshot.meta.datasetVersion } }))).versions).toEqual([]);
  });

  it("bounds the list with `limit`, saying what it left out", async () => {
    const log = await unwrap(changes.$get({ query: {} }));
    const body = await unwrap(changes.$get({ query: { since: log.oldest.version, limit: "1" } }));
    expect(body.versions.flatMap((v) => v.changes)).toHaveLength(1);
    expect(body.versions.map((v) => v.complete)).toEqual([false, false]);
    expect(body.versions[1]!.counts).toEqual({ added: 1, changed: 1, removed: 0 });
    expect((await get("/api/v1/changes?limit=1001")).status).toBe(400);
    expect((await get("/api/v1/changes?limit=0")).status).toBe(400);
  });

  it("answers a version outside the log, or not a version, with 400 saying how far back the log goes", async () => {
    const log = await unwrap(changes.$get({ query: {} }));
    const unknown = await get("/api/v1/changes?since=0123456789abcdef");
    expect(unknown.status).toBe(400);
    const problem = (await unknown.json()) as { detail: string; issues: { path: string }[] };
    expect(problem.detail).toContain(`back to ${log.oldest.version}`);
    expect(problem.issues.map((issue) => issue.path)).toEqual(["since"]);
    for (const bad of ["latest", "0123", "0123456789ABCDEF", "x".repeat(500)]) expect((await get(`/api/v1/changes?since=${bad}`)).status, bad).toBe(400);
    expect((await get("/api/v1/changes?junk=1")).status).toBe(400);
  });
});

describe("GET /changes on a first build", () => {
  it("names the version as the first on record, with nothing changed", async () => {
    const { client } = apiOver(now);
    const body = await unwrap(client.api.v1.changes.$get({ query: {} }));
    expect(body.versions).toHaveLength(1);
    expect(body.versions[0]).toMatchObject({ replaces: null, counts: { added: 0, changed: 0, removed: 0 }, changes: [], complete: true });
  });
});
