import type { Actor, Event, Place, Post, Source } from "@backchannel/schema";
import { checkAgainstArticles } from "./article-checks.js";
import { checkIntegrity, reportInto, valuesOf } from "./integrity.js";
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

export interface LoadOptions {
  /** The folder of the source articles: when given, quotes and spellings are checked against them. */
  articles?: string;
}

export function loadDataset(dataDir: string, options: LoadOptions = {}): LoadResult {
  const problems: Problem[] = [];
  const records = readAllRecords(dataDir, problems);
  // Cross-record checks on a partial set would report every reference to a broken file again.
  if (problems.some((problem) => problem.severity === "error")) return { ok: false, problems: sortProblems(problems) };
  checkIntegrity(records, problems);
  const dataset = valuesOf(records);
  if (options.articles !== undefined) checkAgainstArticles(dataset, options.articles, reportInto(records, problems));
  const sorted = sortProblems(problems);
  if (sorted.some((problem) => problem.severity === "error")) return { ok: false, problems: sorted };
  return { ok: true, warnings: sorted, dataset };
}
