/** The noun for a count: "event" for one, "events" for any other number (none included). */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** A count with its noun, grouped for reading: "1 event", "0 events", "12,400 events". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en")} ${noun(count, one, many)}`;
}
