import { BadRequestError } from "./errors.js";

/**
 * Opaque keyset tokens: the sort key of the last row served, and which list and order it
 * belongs to, so a token cannot be replayed against another query shape.
 */
export interface CursorKey {
  list: string;
  key: (string | number)[];
}

export function encodeCursor(cursor: CursorKey): string {
  return Buffer.from(JSON.stringify([cursor.list, ...cursor.key])).toString("base64url");
}

export function decodeCursor(token: string | undefined, list: string, width: number): (string | number)[] | undefined {
  if (token === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== list ||
    parsed.length !== width + 1 ||
    !parsed.slice(1).every((part) => typeof part === "string" || typeof part === "number")
  ) {
    throw new BadRequestError("invalid cursor", [
      { path: "cursor", message: "not a cursor this list produced; use the page.next value of a previous page of the same query" },
    ]);
  }
  return parsed.slice(1) as (string | number)[];
}
