/** Sorted arrays of ids (event numbers in memory, rowids of the snapshot): what pages and counts merge. */
type SortedIds = Int32Array | Uint32Array;

/** The ids in any of the sorted lists, sorted, each once: a list of the lists' own kind (the first list when it is the only one that is not empty). */
export function union<T extends SortedIds>(lists: readonly T[]): T {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? (lists[0]!.subarray(0, 0) as T);
  const all = new (nonEmpty[0]!.constructor as new (length: number) => T)(nonEmpty.reduce((sum, list) => sum + list.length, 0));
  let at = 0;
  for (const list of nonEmpty) {
    all.set(list, at);
    at += list.length;
  }
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (distinct === 0 || all[distinct - 1] !== all[i]) all[distinct++] = all[i]!;
  return all.subarray(0, distinct) as T;
}
