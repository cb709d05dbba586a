/** Walks a keyset-paged list to its end, page by page: exports stream every row without holding them. */
export function* allPages<T>(page: (cursor: string | undefined) => { data: T[]; page: { next: string | null } }): Generator<T> {
  let cursor: string | undefined;
  do {
    const result = page(cursor);
    yield* result.data;
    cursor = result.page.next ?? undefined;
  } while (cursor);
}
