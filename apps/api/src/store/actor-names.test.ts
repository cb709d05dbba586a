import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticApi } from "../../test/harness.js";
import { ActorNames, actorNames, warmActorNames } from "./search.js";
import type { Snapshot } from "./snapshot.js";

/** The actors' names read a slice at a time (a warm-up's steps) hold exactly what they hold read at once. */
let snapshot: Snapshot;

beforeAll(async () => {
  ({ snapshot } = await syntheticApi({ events: 1_000, actors: 400, sources: 50, places: 30 }));
}, 120_000);
afterAll(() => snapshot.close());

const drain = (reading: Generator<void, ActorNames>) => {
  for (let step = reading.next(); ; step = reading.next()) if (step.done) return step.value;
};

/** Every lookup of `names` over every key, token and token prefix the snapshot holds. */
function lookups(names: ActorNames): unknown[] {
  const keys = snapshot.db.prepare("SELECT DISTINCT key FROM actor_keys").pluck().all() as string[];
  const tokens = snapshot.db.prepare("SELECT DISTINCT token FROM actor_tokens").pluck().all() as string[];
  const rows: unknown[] = [];
  for (const key of keys) names.eachByKey(key, (token, actor) => rows.push(["key", key, token, actor]));
  for (const token of tokens) {
    names.eachByToken(token, (actor) => rows.push(["token", token, actor]));
    names.eachWithPrefix(token.slice(0, 3), (actor) => rows.push(["prefix", token.slice(0, 3), actor]));
  }
  for (let length = 1; length < 20; length++) rows.push(["length", length, names.ofLength(length, length)]);
  return rows;
}

describe("the actors' names read in slices", () => {
  it("hold every row once, across the slices' edges, whatever the slice's size", () => {
    const whole = lookups(drain(ActorNames.reading(snapshot.reader.sql, 1_000_000)));
    expect(whole.length).toBeGreaterThan(1_000);
    for (const rows of [1, 7, 500]) expect(lookups(drain(ActorNames.reading(snapshot.reader.sql, rows))), `${rows} rows a slice`).toEqual(whole);
  });

  it("are finished by a search that comes during a warm-up, and the warm-up then stops", () => {
    const warming = warmActorNames(snapshot.reader.sql);
    warming.next();
    const names = actorNames(snapshot.reader.sql);
    expect(lookups(names)).toEqual(lookups(drain(ActorNames.reading(snapshot.reader.sql))));
    expect(warming.next().done).toBe(true);
    expect(actorNames(snapshot.reader.sql)).toBe(names);
  });
});
