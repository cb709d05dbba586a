/**
 * A read of many rows cut into steps: the generator yields between steps, so the same code can
 * run at once (a server that does not serve yet) or give the event loop a turn between steps (a
 * server reading its next snapshot while it answers requests from the current one).
 */
export type Stepwise<T> = Generator<void, T, void>;

/** Rows read between two steps: a millisecond or two of work. */
export const ROWS_PER_STEP = 2_000;

/** Runs every step now. */
export function runNow<T>(steps: Stepwise<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps, letting pending I/O and timers run between two. */
export async function runYielding<T>(steps: Stepwise<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
