import { z } from "zod";
import type { Citation, Source } from "./records.js";

/** How well an event is sourced: computed from its citations and the sources they cite. */
export const SourcingSchema = z
  .object({
    sources: z.number().int().nonnegative().describe("distinct articles cited"),
    outlets: z.number().int().nonnegative().describe("distinct outlets publishing them (an article whose outlet is unknown counts as its own)"),
    lines: z
      .number()
      .int()
      .nonnegative()
      .describe("independent lines of reporting: paragraphs credited to one agency count once however many outlets carry them; an outlet's own reporting counts once"),
  })
  .meta({ id: "Sourcing" });
export type Sourcing = z.infer<typeof SourcingSchema>;

/** What the count needs of a source: who published it and what it credits to whom. */
export type SourcingSource = Pick<Source, "id" | "outlet" | "credits">;

/**
 * Counts an event's sources, outlets and independent lines of reporting. A cited paragraph
 * belongs to the agency the citation names, else to every agency the source credits with that
 * paragraph, else to the outlet's own reporting.
 */
export function sourcingOf(citations: readonly Pick<Citation, "source" | "paragraphs" | "agency">[], sourceOf: (id: string) => SourcingSource | undefined): Sourcing {
  const sources = new Set<string>();
  const outlets = new Set<string>();
  const lines = new Set<string>();
  for (const citation of citations) {
    sources.add(citation.source);
    const source = sourceOf(citation.source);
    const outlet = source?.outlet.actor ? `actor:${source.outlet.actor}` : `source:${citation.source}`;
    outlets.add(outlet);
    for (const paragraph of citation.paragraphs) {
      const agencies = citation.agency
        ? [citation.agency]
        : (source?.credits ?? []).filter((credit) => credit.role === "agency" && credit.paragraphs.includes(paragraph)).map((credit) => credit.actor);
      if (agencies.length === 0) lines.add(outlet);
      for (const agency of agencies) lines.add(`actor:${agency}`);
    }
  }
  return { sources: sources.size, outlets: outlets.size, lines: lines.size };
}
