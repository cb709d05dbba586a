// Words for readers, kept apart from the zod schemas (types only are imported) so that the
// dashboard's browser code can use them without shipping zod: `@backchannel/schema/labels`.
import type { Sourcing } from "./sourcing.js";

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** How well an event is sourced, in words: "one source" plainly, or what corroborates it. */
export function sourcingSummary(sourcing: Sourcing): string {
  const lines = `${count(sourcing.lines, "independent line")} of reporting`;
  if (sourcing.sources === 1) return `one source (${lines})`;
  return `${count(sourcing.sources, "source")} from ${count(sourcing.outlets, "outlet")}, ${lines}`;
}
