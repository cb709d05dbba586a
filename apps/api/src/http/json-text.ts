import type { Context, TypedResponse } from "hono";

/** The text of each answer made by `jsonText`: the representation layer reads it here instead of reading the body back. */
const texts = new WeakMap<Response, string>();

/**
 * A 200 JSON answer whose text was assembled by the store (a page of events joined from their
 * stored JSON), typed as `T` so the typed client reads it like any `c.json` answer.
 */
export function jsonText<T>(c: Context, text: string): Response & TypedResponse<T, 200, "json"> {
  const response = c.body(text, 200, { "Content-Type": "application/json" });
  texts.set(response, text);
  return response as unknown as Response & TypedResponse<T, 200, "json">;
}

/** A 200 JSON answer of `value`, encoded once, its text kept for the representation layer (as `jsonText`). */
export function json<T>(c: Context, value: T): Response & TypedResponse<T, 200, "json"> {
  return jsonText<T>(c, JSON.stringify(value));
}

/** The text of an answer `jsonText` made, if this is one (and no layer has replaced it since). */
export function answerText(response: Response): string | undefined {
  return texts.get(response);
}
