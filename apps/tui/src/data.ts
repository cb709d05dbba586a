import { existsSync } from "node:fs";
import { ApiError, createClient, isUnreachable, unwrap, type Client, type Fetcher } from "@backchannel/api/client";

export { ApiError, unwrap };
export type { Client };

/** Where the data comes from: the local snapshot in-process (no server), or a running API. */
export interface Connection {
  client: Client;
  /** Shown in the header and in error messages. */
  label: string;
  /** The API base URL for permalinks (`o`), when there is one. */
  apiBase: string;
  /** Headers for a streamed export (CSV, NDJSON): none uncompressed from this machine's own API. */
  exportHeaders?: Record<string, string>;
  close(): void;
}

export class ConnectionError extends Error {}

/** The API took longer than the deadline to answer (or to send the next part of an answer). */
export class TimeoutError extends Error {
  constructor(
    readonly server: string,
    readonly seconds: number,
  ) {
    super(`the API at ${server} did not answer within ${seconds} s (--timeout sets the limit)`);
  }
}

export const DEFAULT_TIMEOUT_SECONDS = 10;
const RETRIES = 3;
const FIRST_BACKOFF_MS = 250;

const idempotent = (method: string) => ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * fetch with a deadline per attempt, and retries with exponential backoff for idempotent
 * requests that failed to connect or met a 503 (the server said: later). The deadline covers the
 * answer's headers and every pause between parts of its body, so a stalled stream fails too.
 * For the terminal only: the web's client keeps its own behaviour.
 */
export function patientFetch(server: string, timeoutSeconds: number, inner: Fetcher = fetch, backoffMs = FIRST_BACKOFF_MS): Fetcher {
  const deadline = timeoutSeconds * 1000;
  const once = async (request: Request): Promise<Response> => {
    const controller = new AbortController();
    request.signal.addEventListener("abort", () => controller.abort(), { once: true });
    // The clock is raced as well as wired to the abort signal, so it fires even where a signal
    // does not reach the socket; the abort then frees the connection where it does.
    let timer: NodeJS.Timeout | undefined;
    const clock = () =>
      new Promise<never>((_, reject) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          reject(new TimeoutError(server, timeoutSeconds));
          controller.abort();
        }, deadline);
      });
    const response = await Promise.race([inner(new Request(request, { signal: controller.signal })), clock()]).finally(() => clearTimeout(timer));
    if (!response.body) return response;
    // Each part of the body restarts the clock; the end, or a reader that stops, stops it.
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        try {
          const part = await Promise.race([reader.read(), clock()]).finally(() => clearTimeout(timer));
          if (part.done) return stream.close();
          stream.enqueue(part.value);
        } catch (error) {
          stream.error(error);
          reader.cancel().catch(() => {});
        }
      },
      cancel(reason) {
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return async (input, init) => {
    const request = new Request(input, init);
    const retries = idempotent(request.method) ? RETRIES : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await once(request.clone());
        if (response.status !== 503 || attempt >= retries) return response;
        await response.body?.cancel();
      } catch (error) {
        if (error instanceof TimeoutError || !isUnreachable(error) || attempt >= retries) throw error;
      }
      await pause(backoffMs * 2 ** attempt);
    }
  };
}

/**
 * An API on this machine: its exports are asked for uncompressed, since compressing 900 MB to
 * send it across the loopback interface costs both processes seconds of CPU and saves nothing.
 */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function connect(options: { api?: string | undefined; snapshot: string; timeoutSeconds?: number }): Promise<Connection> {
  if (options.api) {
    const base = options.api.replace(/\/+$/, "");
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new ConnectionError(`--api needs a URL such as http://localhost:8787, not "${options.api}"`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConnectionError(`--api needs an http or https URL, not "${options.api}"`);
    const fetcher = patientFetch(base, options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
    const client = createClient(url.toString().replace(/\/$/, ""), fetcher);
    return { client, label: base, apiBase: `${base}/api/v1`, exportHeaders: isLoopback(url) ? { "Accept-Encoding": "identity" } : {}, close: () => {} };
  }
  if (!existsSync(options.snapshot)) {
    throw new ConnectionError(
      `no snapshot at ${options.snapshot}; run "npm run tui" from the repository (it builds one), or point BACKCHANNEL_SNAPSHOT at one, or use --api URL`,
    );
  }
  // The API's app (and SQLite) are loaded only for the local snapshot, not for --api or --help.
  const { createApp, openSnapshot } = await import("@backchannel/api");
  const snapshot = openSnapshot(options.snapshot);
  const app = createApp(snapshot);
  const client = createClient("http://backchannel.local", (input, init) => app.fetch(new Request(input, init)));
  return { client, label: `local snapshot ${snapshot.meta.datasetVersion}`, apiBase: "http://localhost:8787/api/v1", close: () => snapshot.close() };
}

/** A message a person can act on, for any failure of a request. */
export function describeError(error: unknown, connection: Pick<Connection, "label">): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return `not found: ${error.message}`;
    const issues = error.issueSummary;
    return `the API answered ${error.status}: ${error.message}${issues ? ` (${issues})` : ""}`;
  }
  if (error instanceof TimeoutError) return error.message;
  if (isUnreachable(error)) return `cannot reach the API at ${connection.label}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Filters typed by a person are plain strings; the API validates them and answers a 400 with
 * the reason, which the views show. This gives them the client's query type.
 */
export type EventsQueryInput = NonNullable<Parameters<Client["api"]["v1"]["events"]["$get"]>[0]>["query"];
export type TimelineQueryInput = NonNullable<Parameters<Client["api"]["v1"]["timeline"]["$get"]>[0]>["query"];
export const asEventsQuery = (query: Record<string, string | string[] | undefined>) => query as EventsQueryInput;
export const asTimelineQuery = (query: Record<string, string | string[] | undefined>) => query as TimelineQueryInput;
