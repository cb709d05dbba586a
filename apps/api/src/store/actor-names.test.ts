import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticApi } from "../../test/harness.js";
import { ActorNames, actorNames, actorSpellings, matchActors, warmActorNames } from "./search.js";
import type { Snapshot } from "./snapshot.js";
import { runNow } from "./stepwise.js";

/** The actors' names read a slice at a time (a warm-up's steps) hold exactly what they hold read at once. */
let snapshot: Snapshot;

beforeAll(async () => {
  ({ snapshot } = await syntheticApi({ events: 1_000, actors: 400, sources: 50, places: 30 }));
}, 120_000);
afterAll(() => snapshot.close());

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
    const whole = lookups(runNow(ActorNames.reading(snapshot.reader.sql, 1_000_000)));
    expect(whole.length).toBeGreaterThan(1_000);
    for (const rows of [1, 7, 500]) expect(lookups(runNow(ActorNames.reading(snapshot.reader.sql, rows))), `${rows} rows a slice`).toEqual(whole);
  });

  it("are finished by a search that comes during a warm-up, and the warm-up then stops", () => {
    const warming = warmActorNames(snapshot.reader.sql);
    warming.next();
    const names = actorNames(snapshot.reader.sql);
    expect(lookups(names)).toEqual(lookups(runNow(ActorNames.reading(snapshot.reader.sql))));
    expect(warming.next().done).toBe(true);
    expect(actorNames(snapshot.reader.sql)).toBe(names);
  });
});

describe("the matches of the actors' name tokens, kept per snapshot", () => {
  const tokens = () => snapshot.db.prepare("SELECT DISTINCT token FROM actor_tokens").pluck().all() as string[];

  it("are kept for the snapshot's own tokens only, up to their bound in actors, and read back as worked out", () => {
    const bound = 60;
    const names = runNow(ActorNames.reading(snapshot.reader.sql, 1_000_000, bound));
    let worked = 0;
    const work = (token: string) => () => {
      worked++;
      return new Map([[`actor-of-${token}`, 1]]);
    };
    const all = tokens();
    expect(all.length).toBeGreaterThan(bound);
    for (const token of all) names.matchesOf(token, work(token));
    expect(worked).toBe(all.length);
    // The bound is reached and never passed: the tokens past it are worked out again, the kept ones are not.
    expect(names.keptEntries).toBe(bound);
    worked = 0;
    for (const token of all) expect([...names.matchesOf(token, work(token)).keys()]).toEqual([`actor-of-${token}`]);
    expect(worked).toBe(all.length - bound);
    // A word no name holds is never kept, whatever room is left.
    const roomy = runNow(ActorNames.reading(snapshot.reader.sql, 1_000_000, 1_000_000));
    for (let i = 0; i < 3; i++) roomy.matchesOf("zzzz-not-a-name", work("zzzz-not-a-name"));
    for (let i = 0; i < 3; i++) roomy.spellingsAmong("zzzz-not-a-name", "actor", () => [all[0]!]);
    expect(roomy.keptEntries).toBe(0);
  });

  it("keep which of an actor's name tokens spell a token within the same bound, each found once", () => {
    const names = runNow(ActorNames.reading(snapshot.reader.sql, 1_000_000, 50));
    const typedWords = tokens().slice(0, 20);
    const actors = (snapshot.db.prepare("SELECT id FROM actors LIMIT 20").pluck().all() as string[]);
    let found = 0;
    const find = (typed: string, actor: string) => () => {
      found++;
      return [`${typed}-in-${actor}`];
    };
    for (const typed of typedWords) for (const actor of actors) names.spellingsAmong(typed, actor, find(typed, actor));
    expect(found).toBe(400);
    expect(names.keptEntries).toBe(50);
    found = 0;
    for (const typed of typedWords) for (const actor of actors) expect(names.spellingsAmong(typed, actor, find(typed, actor))).toEqual([`${typed}-in-${actor}`]);
    expect(found).toBe(350);
  });

  it("leave every search's actors and other spellings as they were worked out the first time", () => {
    const queries = tokens().slice(0, 80).flatMap((token, i, all) => [token, `${token} ${all[(i * 7) % all.length]}`, token.slice(0, 3)]);
    const answers = () => queries.map((q) => [matchActors(snapshot.reader.sql, q, 50), actorSpellings(snapshot.reader.sql, q)]);
    const first = answers();
    expect(answers()).toEqual(first);
    expect(first.some(([matches]) => (matches as unknown[]).length > 1)).toBe(true);
  });
});
