import { useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

/** Runs one request per change of `key`; a late answer to an old key is dropped. */
export function useRequest<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    let current = true;
    setState({ data: undefined, error: undefined, loading: true });
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}

export interface Page<T> {
  data: T[];
  page: { next: string | null; total: number; totalExact: boolean };
}

/**
 * A list fetched a page at a time as the reader moves down it, so a million rows cost
 * only the pages actually seen.
 */
export function usePaged<T>(load: (cursor: string | undefined) => Promise<Page<T>>, key: string) {
  const [rows, setRows] = useState<T[]>([]);
  const [total, setTotal] = useState<{ total: number; exact: boolean } | undefined>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const next = useRef<string | null | undefined>(undefined);
  const busy = useRef(false);
  const generation = useRef(0);

  const fetchMore = useCallback(() => {
    if (busy.current || next.current === null) return;
    busy.current = true;
    setLoading(true);
    const mine = generation.current;
    load(next.current).then(
      (page) => {
        if (mine !== generation.current) return;
        next.current = page.page.next;
        setRows((current) => [...current, ...page.data]);
        setTotal({ total: page.page.total, exact: page.page.totalExact });
        setLoading(false);
        busy.current = false;
      },
      (failure: unknown) => {
        if (mine !== generation.current) return;
        setError(failure);
        setLoading(false);
        busy.current = false;
      },
    );
  }, [key]);

  useEffect(() => {
    generation.current++;
    next.current = undefined;
    busy.current = false;
    setRows([]);
    setTotal(undefined);
    setError(undefined);
    fetchMore();
  }, [key]);

  return { rows, total, error, loading, fetchMore, hasMore: next.current !== null };
}
