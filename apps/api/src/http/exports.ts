import type { Context, MiddlewareHandler } from "hono";
import { answerBody } from "./json-text.js";
import { problem } from "./problem.js";

/** How many streamed exports (CSV, NDJSON, GeoJSON) one process runs at once, unless told otherwise. */
export const DEFAULT_MAX_EXPORTS = 4;
/** What a refused export is told to wait, in seconds: a large export takes a few seconds. */
export const EXPORT_RETRY_AFTER_SECONDS = 5;

const STREAMED = /^(text\/csv|application\/x-ndjson|application\/geo\+json)\b/;

/**
 * Bounds the streamed exports in flight: beyond `limit`, 429 with Retry-After (the query has been
 * prepared but not run, so nothing is wasted), and lets them take turns with other requests. A stream that fails after its status was sent is
 * logged and breaks the transfer: the server then ends the connection without the terminating
 * chunk, so every HTTP client reports a truncated body instead of a complete-looking file.
 */
export function exportGate(limit = DEFAULT_MAX_EXPORTS): MiddlewareHandler {
  const admit = exportAdmission(limit);
  return async (c, next) => {
    await next();
    await admit(c);
  };
}

/**
 * The gate as a step on the route's answer (`exportGate` is it as a middleware): nothing to do,
 * and nothing to wait for, unless the answer is a streamed export.
 */
export function exportAdmission(limit = DEFAULT_MAX_EXPORTS): (c: Context) => Promise<void> | undefined {
  let running = 0;
  return (c) => {
    // An answer jsonText made is JSON; for any other, the type first: reading `body` makes @hono/node-server build a full Response.
    if (answerBody(c.res) !== undefined || !STREAMED.test(c.res.headers.get("content-type") ?? "")) return undefined;
    return admit(c);
  };

  async function admit(c: Context): Promise<void> {
    const body = c.res.body;
    if (!body) return;
    if (running >= limit) {
      await body.cancel();
      c.res = undefined; // Hono keeps the previous response's headers otherwise
      c.res = problem(c, 429, `${limit} exports are already running; try again in ${EXPORT_RETRY_AFTER_SECONDS} s`);
      c.res.headers.set("Retry-After", String(EXPORT_RETRY_AFTER_SECONDS));
      return;
    }
    running++;
    let released = false;
    let cancelled = false;
    const release = () => {
      if (!released) running--;
      released = true;
    };
    const reader = body.getReader();
    const where = `${c.req.method} ${c.req.url}`;
    // Served by @hono/node-server, the Node response is in the bindings; in-process there is none.
    const nodeResponse = (c.env as { outgoing?: { destroy(error: Error): void } } | undefined)?.outgoing;
    const guarded = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          // One chunk a turn of the event loop: while a fast reader keeps the socket writable,
          // an export would otherwise run to its end in microtasks, ahead of every other request.
          await new Promise((turn) => setImmediate(turn));
          const { done, value } = await reader.read();
          if (cancelled) return; // the reader hung up while this chunk was on its way
          if (done) {
            release();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          release();
          console.error(`${where}: the export failed after it began; the transfer was broken off:`, error);
          // @hono/node-server would otherwise write the error text and end the body cleanly.
          nodeResponse?.destroy(error instanceof Error ? error : new Error(String(error)));
          controller.error(error);
        }
      },
      cancel(reason) {
        cancelled = true;
        release();
        return reader.cancel(reason);
      },
    });
    c.res = new Response(guarded, { status: c.res.status, headers: c.res.headers });
  }
}
