import { env } from "$env/dynamic/private";
import { error } from "@sveltejs/kit";
import { ApiError, createClient, isUnreachable, unwrap, type Client, type Fetcher } from "@backchannel/api/client";

/** Where the dashboard finds the API: BACKCHANNEL_API_URL, or the API's own default address. */
export function apiBase(): string {
  return (env.BACKCHANNEL_API_URL || "http://127.0.0.1:8787").replace(/\/+$/, "");
}

/** How long a page waits for the API before saying so (BACKCHANNEL_API_TIMEOUT_MS, default 10 s). */
export function timeoutMs(): number {
  const value = Number(env.BACKCHANNEL_API_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : 10_000;
}

/**
 * Fetches with a deadline that fires: at `ms` the answer is a TimeoutError whether or not the
 * request has noticed. (`AbortSignal.timeout` alone never fired: Kit's fetch makes a Request of
 * it, whose signal follows it only weakly, so it was collected while the request waited and the
 * page hung until undici's own 300 s header timeout.) The signal is still aborted, to free the
 * connection where the fetch honours it.
 */
export async function fetchWithDeadline(fetch: Fetcher, input: string | URL | Request, init: RequestInit = {}, ms = timeoutMs()): Promise<Response> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new DOMException(`no answer within ${ms} ms`, "TimeoutError");
      controller.abort(reason);
      reject(reason);
    }, ms);
  });
  try {
    return await Promise.race([fetch(input, { ...init, signal: controller.signal }), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The typed client over the load function's fetch (so Kit can track and dedupe requests). */
export function api(fetch: Fetcher): Client {
  return createClient(apiBase(), (input, init) => {
    // Beside the API there is nothing to gain from compressing; the page is compressed once, whole.
    const headers = new Headers(init?.headers);
    headers.set("accept-encoding", "identity");
    return fetchWithDeadline(fetch, input, { ...init, headers });
  });
}

export const isTimeout = (failure: unknown) => failure instanceof Error && failure.name === "TimeoutError";

/**
 * The 200 body of an API call, typed by the route; every failure becomes the page error a
 * reader can act on: 404 for an unknown id, 400 for a bad filter, 503 when the API is down,
 * 504 when it does not answer in time.
 */
export async function read<R extends { status: number; json(): Promise<unknown> }>(pending: R | Promise<R>) {
  try {
    return await unwrap(pending);
  } catch (failure) {
    if (failure instanceof ApiError) {
      if (failure.status === 404) error(404, { message: failure.message, kind: "not-found" });
      if (failure.status === 400) {
        const issues = failure.issueSummary;
        // The issues also go one by one, so the 400 page can list each (an unknown id with its closest ones).
        error(400, { message: issues ? `${failure.message} (${issues})` : failure.message, kind: "bad-request", issues: failure.problem?.issues ?? [] });
      }
      error(502, { message: `The API answered ${failure.status}: ${failure.message}`, kind: "api-error" });
    }
    if (isTimeout(failure)) {
      error(504, { message: `The Backchannel API at ${apiBase()} did not answer within ${timeoutMs() / 1000} s. Try again in a moment.`, kind: "api-down" });
    }
    if (isUnreachable(failure)) {
      error(503, { message: `The Backchannel API is not reachable at ${apiBase()}. Start it with "npm start", or point BACKCHANNEL_API_URL at a running one.`, kind: "api-down" });
    }
    throw failure;
  }
}
