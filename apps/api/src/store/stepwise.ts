/**
 * A read of many rows cut into steps: the generator yields between steps, so the same code can
 * run at once (a server that does not serve yet), give the event loop a turn between steps (a
 * server reading its next snapshot while it answers requests from the current one), or run in
 * time slices between requests (the warm-up of a snapshot read through SQLite).
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

/**
 * A value read once, on first use: at once (`now`), or stepwise before anything uses it
 * (`yielding`). Nothing may ask for it while a stepwise read is under way: that would start a
 * second read.
 */
export class ReadOnce<T> {
  private done = false;
  private value: T | undefined;

  /** `reading`: the read, or undefined when there is nothing to read (the value is then undefined). */
  constructor(private readonly reading: () => Stepwise<T | undefined> | undefined) {}

  now(): T | undefined {
    if (!this.done) {
      const steps = this.reading();
      this.hold(steps && runNow(steps));
    }
    return this.value;
  }

  async yielding(): Promise<void> {
    if (!this.done) {
      const steps = this.reading();
      this.hold(steps && (await runYielding(steps)));
    }
  }

  /** The value if it has been read, without reading it. */
  held(): T | undefined {
    return this.value;
  }

  private hold(value: T | undefined): void {
    this.value = value;
    this.done = true;
  }
}

/** How long a warm-up runs its steps before it lets requests in. */
const WARM_SLICE_MS = 5;
/** How long a warm-up waits when other work (a request) ran since its last slice, so that the request finishes first. */
const WARM_BACK_OFF_MS = 20;

/**
 * Runs a warm-up's steps between requests: steps for up to WARM_SLICE_MS, then a turn of the
 * event loop (an unref'd turn would wait for other work to come first); when more than a
 * millisecond passed in that turn, something else is being served, and the warm-up waits
 * WARM_BACK_OFF_MS. It stops when `going` turns false (the snapshot closed) or at an error: the
 * requests that need what failed read it themselves, and say why.
 */
export function runInSlices(steps: Iterator<void>, going: () => boolean): Promise<void> {
  return new Promise((done) => {
    let ended = performance.now();
    const slice = (afterBackOff: boolean) => {
      if (!afterBackOff && performance.now() - ended > 1) return void setTimeout(slice, WARM_BACK_OFF_MS, true);
      try {
        for (const started = performance.now(); performance.now() - started < WARM_SLICE_MS; ) if (!going() || steps.next().done) return done();
      } catch {
        return done();
      }
      ended = performance.now();
      setImmediate(slice, false);
    };
    setImmediate(slice, true);
  });
}
