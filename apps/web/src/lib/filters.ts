/** The event filters the dashboard keeps in its URLs: the API's own parameter names. */
export const FILTER_KEYS = ["q", "actor", "actorMode", "type", "topic", "country", "place", "source", "status", "minSources", "from", "to"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string[]>>;

/** Every filter in a URL; empty values (a blank form field) are dropped. */
export function readFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const values = params.getAll(key).map((value) => value.trim()).filter(Boolean);
    if (values.length) filters[key] = values;
  }
  return filters;
}

/** The filters as an API query (repeated keys become arrays, as the client expects). */
export function asQuery(filters: Filters): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(filters)) {
    if (!values?.length) continue;
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

export function toSearch(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(filters)) for (const value of values ?? []) params.append(key, value);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function hasValue(filters: Filters, key: FilterKey, value: string): boolean {
  return filters[key]?.includes(value) ?? false;
}

/** The same view with one value added or taken away; a changed view starts on its first page. */
export function toggled(filters: Filters, key: FilterKey, value: string): Filters {
  const current = filters[key] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const copy: Filters = { ...filters };
  if (next.length) copy[key] = next;
  else delete copy[key];
  return copy;
}

/** A year facet is a date range: picking 2025 sets from=2025&to=2025. */
export function withYear(filters: Filters, year: string): Filters {
  const isSet = filters.from?.[0] === year && filters.to?.[0] === year;
  const copy: Filters = { ...filters };
  if (isSet) {
    delete copy.from;
    delete copy.to;
  } else {
    copy.from = [year];
    copy.to = [year];
  }
  return copy;
}

export function isEmpty(filters: Filters): boolean {
  return Object.keys(filters).length === 0;
}

/** The same view with the chosen actors combined as `all` (events where every one took part) or any of them. */
export function withActorMode(filters: Filters, mode: "any" | "all"): Filters {
  const copy: Filters = { ...filters };
  if (mode === "all") copy.actorMode = ["all"];
  else delete copy.actorMode;
  return copy;
}
