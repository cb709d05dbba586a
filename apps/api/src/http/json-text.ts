import type { Context, TypedResponse } from "hono";

/** The body of each answer made by `jsonText`: the representation layer reads it here instead of reading the Response back. */
const bodies = new WeakMap<Response, string | Uint8Array>();

/**
 * A 200 JSON answer whose text or bytes the store assembled (a page of events joined from their
 * stored JSON), typed as `T` so the typed client reads it like any `c.json` answer. Its only header
 * is its type: the representation layer (representation.ts) gives it every other from headers
 * prepared once, so a route must not set its own headers on it.
 */
export function jsonText<T>(c: Context, body: string | Uint8Array): Response & TypedResponse<T, 200, "json"> {
  const response = c.body(body as string, 200, { "Content-Type": "application/json" });
  bodies.set(response, body);
  return response as unknown as Response & TypedResponse<T, 200, "json">;
}

/** A 200 JSON answer of `value`, encoded once, its text kept for the representation layer (as `jsonText`). */
export function json<T>(c: Context, value: T): Response & TypedResponse<T, 200, "json"> {
  return jsonText<T>(c, JSON.stringify(value));
}

/** The body of an answer `jsonText` made, if this is one (and no layer has replaced it since). */
export function answerBody(response: Response): string | Uint8Array | undefined {
  return bodies.get(response);
}
