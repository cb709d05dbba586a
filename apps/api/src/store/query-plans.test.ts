import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "./snapshot.js";
import { syntheticApi } from "../../test/harness.js";

/**
 * The hot queries' plans, read with EXPLAIN QUERY PLAN from the statements a request really
 * runs: an index dropped or a query rewritten so that SQLite scans every event, or sorts a whole
 * list to serve one page, fails here rather than at a million events. Over a synthetic snapshot
 * of some thousands of events: SQLite plans by the statistics the build gathers, and over the
 * curated few dozen a scan is the cheapest plan for everything.
 */
let snapshot: Snapshot;
let get: (path: string) => Promise<Response>;

beforeAll(async () => {
  // The SQL path, as a snapshot beyond the in-memory index's bounds reads every list (event-index.ts).
  ({ snapshot, get } = await syntheticApi({ events: 5_000, actors: 500, sources: 200, places: 100 }, { eventIndex: false }));
}, 120_000);
afterAll(() => snapshot.close());

/** Every statement (text and parameters) the store runs while `request` is answered, with its plan. */
async function plansOf(path: string): Promise<{ sql: string; plan: string[] }[]> {
  const reader = snapshot.reader as unknown as { sql: (text: string) => Database.Statement };
  const original = reader.sql;
  const ran: { sql: string; params: unknown[] }[] = [];
  reader.sql = (text: string) => {
    const statement = original(text);
    const record =
      (method: "all" | "get" | "iterate") =>
      (...params: unknown[]) => {
        ran.push({ sql: text, params });
        return (statement[method] as (...args: unknown[]) => unknown).apply(statement, params);
      };
    const proxy: Database.Statement = new Proxy(statement, {
      get: (target, key) => {
        if (key === "all" || key === "get" || key === "iterate") return record(key);
        const value = Reflect.get(target, key, target);
        if (typeof value !== "function") return value;
        // pluck(), raw() and expand() return the statement: keep recording what it runs.
        return (...args: unknown[]) => {
          const result = value.apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  try {
    const response = await get(path);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    await response.arrayBuffer();
  } finally {
    reader.sql = original;
  }
  return ran.map(({ sql, params }) => ({
    sql,
    plan: (snapshot.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail),
  }));
}

/** A plan line that sorts in a temporary tree: over the events table, a whole list sorted to serve one page. */
const sortsAll = (line: string) => /USE TEMP B-TREE FOR ORDER BY/.test(line);
/** Statements that read the events (or an actor's events in type order) for a page (the page's own JSON, read by key, is not one). */
const overEvents = (sql: string) => /FROM (events e|actor_event_types a)\b/.test(sql);

describe("the hot queries' plans", () => {
  it.each([
    ["/api/v1/events?limit=50", []],
    ["/api/v1/events?limit=50&sort=-date", []],
    ["/api/v1/events?limit=50&sort=title", ["events_by_title_key"]],
    ["/api/v1/events?limit=50&sort=-type", ["events_by_type_key"]],
    ["/api/v1/events?actor=actor-000007&limit=50", ["participants_by_actor"]],
    ["/api/v1/events?type=visit&limit=50", ["events_by_type"]],
    ["/api/v1/events?type=visit&limit=50&sort=title", ["events_by_type_title (type=?)"]],
    ["/api/v1/events?type=visit&limit=50&sort=-title", ["events_by_type_title (type=?)"]],
    ["/api/v1/events?actor=actor-000007&limit=50&sort=type", ["SEARCH a USING PRIMARY KEY (actor=?)"]],
    ["/api/v1/events?actor=actor-000007&limit=50&sort=-type&from=2010", ["SEARCH a USING PRIMARY KEY (actor=?)"]],
    ["/api/v1/events?source=source-000003&limit=50", ["event_sources_by_source"]],
    ["/api/v1/events?from=2010&to=2010&limit=50", ["INTEGER PRIMARY KEY (rowid>? AND rowid<?)"]],
  ])("%s is read in its order from an index, never sorted whole", async (path, indexes) => {
    const plans = await plansOf(path);
    const lines = plans.flatMap((statement) => statement.plan);
    for (const { sql, plan } of plans.filter((statement) => overEvents(statement.sql))) expect(plan.filter(sortsAll), sql).toEqual([]);
    for (const index of indexes) expect(lines.join("\n"), path).toContain(index);
  });

  it("reads one event's stored JSON by key", async () => {
    const plans = await plansOf("/api/v1/events/event-0000042");
    const lines = plans.flatMap((statement) => statement.plan).join("\n");
    expect(lines).toMatch(/SEARCH e USING (COVERING )?INDEX sqlite_autoindex_events_1 \(id=\?\)/);
    expect(lines).toMatch(/SEARCH d USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });

  it("pages by cursor from the index, in every order", async () => {
    for (const sort of ["date", "-date", "title", "-title", "type", "-type"]) {
      const first = (await (await get(`/api/v1/events?limit=5&sort=${sort}`)).json()) as { page: { next: string } };
      const plans = await plansOf(`/api/v1/events?limit=5&sort=${sort}&cursor=${first.page.next}`);
      for (const { sql, plan } of plans.filter((statement) => overEvents(statement.sql))) expect(plan.filter(sortsAll), `${sort}: ${sql}`).toEqual([]);
    }
  });

  it("pages a type's events by title, and an actor's by type, from their indexes by cursor", async () => {
    for (const list of ["type=visit&sort=title", "type=visit&sort=-title", "actor=actor-000007&sort=type", "actor=actor-000007&sort=-type"]) {
      const first = (await (await get(`/api/v1/events?limit=5&${list}`)).json()) as { page: { next: string } };
      const plans = await plansOf(`/api/v1/events?limit=5&${list}&cursor=${first.page.next}`);
      for (const { sql, plan } of plans.filter((statement) => overEvents(statement.sql))) expect(plan.filter(sortsAll), `${list}: ${sql}`).toEqual([]);
      expect(plans.flatMap((statement) => statement.plan).join("\n"), list).toMatch(/events_by_type_title \(type=\? AND|SEARCH a USING PRIMARY KEY \(actor=\? AND/);
    }
  });

  it("searches through the full-text index, with the actors' names read once, in key order, into memory", async () => {
    const name = ((await (await get("/api/v1/actors/actor-000007")).json()) as { name: string }).name;
    const path = `/api/v1/search?q=${encodeURIComponent(name)}`;
    const readsNames = (sql: string) => /actor_(keys|tokens)/.test(sql);
    for (const { sql, plan } of (await plansOf(path)).filter((statement) => readsNames(statement.sql))) expect(plan.filter(sortsAll), sql).toEqual([]);
    const again = await plansOf(path);
    expect(again.flatMap((statement) => statement.plan).join("\n")).toContain("VIRTUAL TABLE INDEX");
    expect(again.map((statement) => statement.sql).filter(readsNames)).toEqual([]);
  });
});
