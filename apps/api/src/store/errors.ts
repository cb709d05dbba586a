/** A request the store cannot answer because of what the caller sent (bad cursor, contradictory filters). */
export class BadRequestError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** An id that names no record. */
export class NotFoundError extends Error {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`no ${kind} with id "${id}"`);
  }
}
