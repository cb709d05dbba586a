/** An event's citations of one article: the article once, then each of its cited passages. */
export interface CitationGroup<T extends { source: string }> {
  source: string;
  citations: T[];
}

/**
 * Citations grouped by the article they cite, articles in the order they are first cited and
 * citations in their own order within each: a reader sees each article once.
 */
export function groupBySource<T extends { source: string }>(citations: readonly T[]): CitationGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const citation of citations) groups.set(citation.source, [...(groups.get(citation.source) ?? []), citation]);
  return [...groups].map(([source, grouped]) => ({ source, citations: grouped }));
}
