import { hc } from "hono/client";
import type { AppType } from "./app.js";

export type { AppType };

/** Anything that answers a Request: `app.fetch` in-process, or the global fetch over HTTP. */
export type Fetcher = (input: Request | string | URL, init?: RequestInit) => Response | Promise<Response>;

/**
 * The typed client: `client.api.v1.events.$get({ query: { actor: "ali-larijani" } })`.
 * Over HTTP give the API's base URL; in-process give the app's fetch and any base URL.
 */
export function createClient(baseUrl: string, fetcher?: Fetcher) {
  return hc<AppType>(baseUrl, fetcher ? { fetch: fetcher } : {});
}

export type Client = ReturnType<typeof createClient>;

/** A non-2xx answer, carrying the API's problem details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; issues?: { path: string; message: string }[] } | undefined,
  ) {
    super(problem?.detail ?? `the API answered ${status}`);
  }

  /** The problem's issues on one line (`from: expected a date…; to: …`); empty when there are none. */
  get issueSummary(): string {
    return (this.problem?.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`).join("; ");
  }
}

/** True when a request failed because the API did not answer at all (refused, reset, no such host). */
export function isUnreachable(failure: unknown): boolean {
  const text = failure instanceof Error ? `${failure.message} ${String((failure as { cause?: unknown }).cause ?? "")}` : String(failure);
  return /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket hang up|other side closed/i.test(text);
}

type Ok<R> = Extract<R, { status: 200 }>;

/** The JSON of a 200 answer, typed as the route's success shape; any other status throws ApiError. */
export async function unwrap<R extends { status: number; json(): Promise<unknown> }>(
  pending: R | Promise<R>,
): Promise<Awaited<ReturnType<Ok<R>["json"]>>> {
  const response = await pending;
  const body = (await response.json().catch(() => undefined)) as never;
  if (response.status !== 200) throw new ApiError(response.status, body);
  return body;
}
