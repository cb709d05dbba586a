import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupBySource } from "./citations.js";

const citations = fc.array(fc.record({ source: fc.constantFrom("a", "b", "c", "d"), paragraph: fc.nat(20) }), { maxLength: 30 });

describe("groupBySource", () => {
  it("shows each article once, keeps every citation exactly once and in its order", () => {
    fc.assert(
      fc.property(citations, (list) => {
        const groups = groupBySource(list);
        const sources = groups.map((group) => group.source);
        expect(new Set(sources).size).toBe(sources.length);
        expect(sources).toEqual([...new Set(list.map((citation) => citation.source))]);
        for (const group of groups) {
          expect(group.citations).toEqual(list.filter((citation) => citation.source === group.source));
        }
        expect(groups.flatMap((group) => group.citations)).toHaveLength(list.length);
      }),
    );
  });
});
