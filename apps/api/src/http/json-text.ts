import type { Context, TypedResponse } from "hono";

/**
 * A 200 JSON answer whose text was assembled by the store (a page of events joined from their
 * stored JSON), typed as `T` so the typed client reads it like any `c.json` answer.
 */
export function jsonText<T>(c: Context, text: string): Response & TypedResponse<T, 200, "json"> {
  return c.body(text, 200, { "Content-Type": "application/json" }) as unknown as Response & TypedResponse<T, 200, "json">;
}
