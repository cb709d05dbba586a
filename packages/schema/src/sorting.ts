// No zod here: the dashboard's browser code reads the sort keys through `@backchannel/schema/labels`.

/** The orders `/events` can be sorted in; a leading `-` reverses the whole order. */
export const EVENT_SORTS = ["date", "-date", "type", "-type", "title", "-title"] as const;
export type EventSort = (typeof EVENT_SORTS)[number];
export type EventSortKey = "date" | "type" | "title";

/** The key a sort orders by, without its direction. */
export const sortKeyOf = (sort: EventSort) => sort.replace(/^-/, "") as EventSortKey;
export const isDescending = (sort: EventSort) => sort.startsWith("-");

/**
 * Text as `type` and `title` sort it, without case or accents ("Élysée" with "elysee"). `type`
 * sorts by the type's label as every view shows it ("Agreement signed" before "Airstrike"),
 * `title` by the title; ties go by date.
 */
export const foldedText = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
