import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sourcingOf, type SourcingSource } from "./sourcing.js";

const ids = ["s1", "s2", "s3", "s4"];
const world = fc.record({
  outlets: fc.array(fc.option(fc.constantFrom("kurdistan24", "tehran-times", "ona"), { nil: undefined }), { minLength: 4, maxLength: 4 }),
  credits: fc.array(fc.array(fc.record({ actor: fc.constantFrom("irna", "ona", "tass"), paragraphs: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }), {
    minLength: 4,
    maxLength: 4,
  }),
  citations: fc.array(
    fc.record({ source: fc.constantFrom(...ids), paragraphs: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }), agency: fc.option(fc.constantFrom("irna", "ona", "tass"), { nil: undefined }) }),
    { minLength: 1, maxLength: 8 },
  ),
});

function lookup(outlets: (string | undefined)[], credits: { actor: string; paragraphs: number[] }[][]) {
  const sources = new Map<string, SourcingSource>(
    ids.map((id, i) => [
      id,
      {
        id,
        outlet: outlets[i] ? { actor: outlets[i], basis: "stated" as const } : { basis: "unknown" as const, note: "n" },
        credits: credits[i]!.map((credit) => ({ ...credit, role: "agency" as const })),
      },
    ]),
  );
  return (id: string) => sources.get(id);
}

describe("sourcingOf", () => {
  it("counts distinct sources, no more outlets than sources, and at least one line", () => {
    fc.assert(
      fc.property(world, ({ outlets, credits, citations }) => {
        const sourcing = sourcingOf(citations, lookup(outlets, credits));
        expect(sourcing.sources).toBe(new Set(citations.map((c) => c.source)).size);
        expect(sourcing.outlets).toBeLessThanOrEqual(sourcing.sources);
        expect(sourcing.outlets).toBeGreaterThanOrEqual(1);
        expect(sourcing.lines).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it("counts an agency's report once, however many outlets carry it", () => {
    fc.assert(
      fc.property(world, fc.constantFrom(...ids), ({ outlets, credits, citations }, other) => {
        const before = sourcingOf(citations, lookup(outlets, credits));
        const agencyCitation = citations.find((c) => c.agency);
        fc.pre(agencyCitation !== undefined);
        // The same agency's paragraph, carried by another outlet too.
        const after = sourcingOf([...citations, { source: other, paragraphs: [1], agency: agencyCitation!.agency }], lookup(outlets, credits));
        expect(after.lines).toBe(before.lines);
      }),
    );
  });

  it("reads one source without credits as one source, one outlet, one line", () => {
    const sourcing = sourcingOf([{ source: "s1", paragraphs: [1, 2] }, { source: "s1", paragraphs: [5] }], lookup(["kurdistan24", undefined, undefined, undefined], [[], [], [], []]));
    expect(sourcing).toEqual({ sources: 1, outlets: 1, lines: 1 });
  });
});
