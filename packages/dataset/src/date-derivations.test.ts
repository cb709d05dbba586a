import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkDateDerivations, type Report } from "./integrity.js";
import type { Dataset } from "./load.js";

type Node = { kind: "sources" | "events"; index: number };
const name = ({ kind, index }: Node) => `${kind}/${kind === "sources" ? "s" : "e"}${index}`;

/** A small world of sources and events whose dates are worked out from one another. */
const world = fc
  .record({ sources: fc.integer({ min: 1, max: 4 }), events: fc.integer({ min: 0, max: 5 }) })
  .chain(({ sources, events }) => {
    const node = fc.oneof(
      fc.integer({ min: 0, max: sources - 1 }).map((index): Node => ({ kind: "sources", index })),
      ...(events > 0 ? [fc.integer({ min: 0, max: events - 1 }).map((index): Node => ({ kind: "events", index }))] : []),
    );
    const source = fc.uniqueArray(node, { maxLength: 3, selector: name });
    const event = fc.record({
      basis: fc.constantFrom("stated", "relative", "inferred"),
      derivedFrom: fc.option(fc.uniqueArray(node, { minLength: 1, maxLength: 3, selector: name }), { nil: undefined }),
      cites: fc.uniqueArray(fc.integer({ min: 0, max: sources - 1 }), { minLength: 1, maxLength: 3 }),
    });
    return fc.record({ sources: fc.array(source, { minLength: sources, maxLength: sources }), events: fc.array(event, { minLength: events, maxLength: events }) });
  });

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

const reference = (node: Node) => (node.kind === "sources" ? { source: `s${node.index}` } : { event: `e${node.index}` });

/** Only the fields the rule reads; the rest of a record does not matter to it. */
function datasetOf(w: World): Dataset {
  return {
    places: [],
    actors: [],
    posts: [],
    sources: w.sources.map((from, index) => ({ id: `s${index}`, published: { derivedFrom: from.length ? from.map(reference) : undefined } })),
    events: w.events.map((event, index) => ({
      id: `e${index}`,
      date: { basis: event.basis, derivedFrom: event.derivedFrom?.map(reference) },
      citations: event.cites.map((source) => ({ source: `s${source}` })),
    })),
  } as unknown as Dataset;
}

/** The oracle: the graph has a cycle iff repeatedly removing nodes with no outgoing edge leaves some. */
function hasCycle(w: World): boolean {
  const edges = new Map<string, string[]>();
  w.sources.forEach((from, index) => edges.set(`sources/s${index}`, from.map(name)));
  w.events.forEach((event, index) => {
    const implicit = event.basis === "relative" ? event.cites.map((source) => `sources/s${source}`) : [];
    edges.set(`events/e${index}`, event.derivedFrom ? event.derivedFrom.map(name) : implicit);
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const [node, targets] of edges) {
      if (targets.every((target) => !edges.has(target))) {
        edges.delete(node);
        changed = true;
      }
    }
  }
  return edges.size > 0;
}

describe("a date may not be derived from a date derived from it", () => {
  it("reports a problem exactly when the derivations form a cycle, on an edge of that cycle", () => {
    fc.assert(
      fc.property(world, (w) => {
        const reported: { id: string; message: string }[] = [];
        const report: Report = (_kind, id, _path, message) => reported.push({ id, message });
        checkDateDerivations(datasetOf(w), report);
        expect(reported.length > 0).toBe(hasCycle(w));
        for (const { id, message } of reported) {
          // the cycle printed starts and ends at the record reported
          const cycle = /\((.*)\)/.exec(message)![1]!.split(" → ");
          expect(cycle[0]).toMatch(new RegExp(`/${id}$`));
          expect(cycle.at(-1)).toBe(cycle[0]);
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
