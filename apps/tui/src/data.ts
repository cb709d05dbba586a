import { existsSync } from "node:fs";
import { ApiError, createApp, createClient, isUnreachable, openSnapshot, unwrap, type Client } from "@backchannel/api";

export { ApiError, unwrap };
export type { Client };

/** Where the data comes from: the local snapshot in-process (no server), or a running API. */
export interface Connection {
  client: Client;
  /** Shown in the header and in error messages. */
  label: string;
  /** The API base URL for permalinks (`o`), when there is one. */
  apiBase: string;
  close(): void;
}

export class ConnectionError extends Error {}

export function connect(options: { api?: string | undefined; snapshot: string }): Connection {
  if (options.api) {
    const base = options.api.replace(/\/+$/, "");
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new ConnectionError(`--api needs a URL such as http://localhost:8787, not "${options.api}"`);
    }
    return { client: createClient(url.toString().replace(/\/$/, "")), label: base, apiBase: `${base}/api/v1`, close: () => {} };
  }
  if (!existsSync(options.snapshot)) {
    throw new ConnectionError(
      `no snapshot at ${options.snapshot}; run "npm run tui" from the repository (it builds one), or point BACKCHANNEL_SNAPSHOT at one, or use --api URL`,
    );
  }
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
