import type { Actor, Event, Place, Post, Source } from "@backchannel/schema";
import { checkIntegrity } from "./integrity.js";
import { sortProblems, type Problem } from "./problems.js";
import { readAllRecords } from "./read-records.js";

export interface Dataset {
  places: Place[];
  actors: Actor[];
  posts: Post[];
  sources: Source[];
  events: Event[];
}

/** Either the whole dataset, clean (warnings allowed), or every problem found — never part of it. */
export type LoadResult =
  | { ok: true; dataset: Dataset; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

export function loadDataset(dataDir: string): LoadResult {
  const problems: Problem[] = [];
  const records = readAllRecords(dataDir, problems);
  // Cross-record checks on a partial set would report every reference to a broken file again.
  if (problems.some((problem) => problem.severity === "error")) return { ok: false, problems: sortProblems(problems) };
  checkIntegrity(records, problems);
  const sorted = sortProblems(problems);
  if (sorted.some((problem) => problem.severity === "error")) return { ok: false, problems: sorted };
  const values = <T>(list: { value: T }[]) => list.map((record) => record.value);
  return {
    ok: true,
    warnings: sorted,
    dataset: {
      places: values(records.places),
      actors: values(records.actors),
      posts: values(records.posts),
      sources: values(records.sources),
      events: values(records.events),
    },
  };
}
