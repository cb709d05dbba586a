import type { IncomingMessage, ServerResponse } from "node:http";
import type { Handle, HandleServerError } from "@sveltejs/kit";
import { env } from "$env/dynamic/private";
import { apiBase, fetchWithDeadline, isTimeout, timeoutMs } from "$lib/server/api";
import { datasetVersion, knownVersion } from "$lib/server/dataset-version";
import { AnswerCache, deliverFresh } from "$lib/server/delivery";
import { isTheme } from "$lib/theme";

/** Headers for every answer; the Content-Security-Policy itself comes from svelte.config.js. */
const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** Rendered pages kept per dataset version: BACKCHANNEL_PAGE_CACHE_MB (default 64), bodies and keys counted. */
function pageCacheBytes(): number {
  const megabytes = env.BACKCHANNEL_PAGE_CACHE_MB?.trim() ? Number(env.BACKCHANNEL_PAGE_CACHE_MB) : Number.NaN;
  return (Number.isFinite(megabytes) && megabytes >= 0 ? megabytes : 64) * 1024 * 1024;
}
let pages: AnswerCache | undefined;

const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** A CSV that Excel reads as UTF-8 (Persian and Arabic names intact): the byte order mark first. */
function withByteOrderMark(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let first = true;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (first && !(chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)) controller.enqueue(UTF8_BOM);
        first = false;
        controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * `/api/…` is passed through to the API, so each page's JSON twin and the export buttons are
 * links on this same origin (and work with the API on a private address). `bom=true` on a CSV
 * export is answered here: the dashboard's download adds the byte order mark.
 */
async function proxyToApi(request: Request, url: URL): Promise<Response> {
  // If-None-Match is not passed on: the dashboard answers it against its own ETag (a BOM changes it).
  const headers = new Headers({ "accept-encoding": "identity" });
  const accept = request.headers.get("accept");
  if (accept) headers.set("accept", accept);
  const forwarded = new URL(url);
  const bom = forwarded.searchParams.get("bom") === "true";
  forwarded.searchParams.delete("bom");
  try {
    // Every method goes through, without its body: the API answers 405 (or 404) itself, the same way.
    const answer = await fetchWithDeadline(fetch, `${apiBase()}${forwarded.pathname}${forwarded.search}`, { method: request.method, headers });
    const passed = new Headers(answer.headers);
    passed.delete("content-length");
    const csv = (passed.get("content-type") ?? "").startsWith("text/csv");
    if (bom && csv && answer.body) passed.set("etag", (passed.get("etag") ?? '""').replace(/"$/, '-bom"'));
    return new Response(bom && csv && answer.body ? withByteOrderMark(answer.body) : answer.body, { status: answer.status, headers: passed });
  } catch (failure) {
    const problem = isTimeout(failure)
      ? { type: "about:blank", title: "API timeout", status: 504, detail: `The Backchannel API at ${apiBase()} did not answer within ${timeoutMs() / 1000} s.` }
      : { type: "about:blank", title: "API unreachable", status: 503, detail: `The Backchannel API is not reachable at ${apiBase()}.` };
    return new Response(JSON.stringify(problem), { status: problem.status, headers: { "Content-Type": "application/problem+json" } });
  }
}

/** Pages, their data for client-side navigation and map images: the same for every reader with the same theme. */
function isKept(request: Request, url: URL): boolean {
  return (request.method === "GET" || request.method === "HEAD") && url.pathname !== "/theme";
}

/** The key of a kept answer: dataset version, theme and the requested path with its query. */
function keptKey(version: string, theme: string, requested: URL): string {
  return `${version}\u0000${theme}\u0000${requested.pathname}${requested.search}`;
}

/**
 * For server.js, in front of Kit: answers a request for a page already kept for the current
 * dataset version straight onto the socket, and says whether it did. Anything else (not kept,
 * the version due to be asked again, the API, the theme switch) goes on to Kit.
 */
function answerKept(request: IncomingMessage, response: ServerResponse): boolean {
  if ((request.method !== "GET" && request.method !== "HEAD") || !pages || !request.url) return false;
  const version = knownVersion();
  if (!version) return false;
  const requested = new URL(request.url, "http://dashboard.invalid");
  if (requested.pathname.startsWith("/api/") || requested.pathname === "/theme") return false;
  const chosen = /(?:^|;\s*)theme=([^;]*)/.exec(request.headers.cookie ?? "")?.[1];
  const key = keptKey(version, isTheme(chosen) ? chosen : "system", requested);
  const entry = pages.get(key);
  if (!entry) return false;
  const answer = pages.prepare(request.headers["accept-encoding"], request.headers["if-none-match"], key, entry);
  response.writeHead(answer.status, answer.headers);
  response.end(request.method === "HEAD" || answer.body === null ? undefined : answer.body);
  return true;
}
(globalThis as Record<symbol, unknown>)[Symbol.for("backchannel.answerKept")] = answerKept;

export const handle: Handle = async ({ event, resolve }) => {
  const { request, url } = event;
  if (url.pathname.startsWith("/api/")) {
    const response = await proxyToApi(request, url);
    response.headers.set("X-Content-Type-Options", "nosniff");
    return deliverFresh(request, response);
  }
  const chosen = event.cookies.get("theme");
  const theme = isTheme(chosen) ? chosen : "system";
  event.locals.theme = theme;

  const version = isKept(request, url) ? await datasetVersion() : null;
  // The request's own URL: Kit gives `event.url` of a page's data request (`…/__data.json`) the page's path.
  const key = version ? keptKey(version, theme, new URL(request.url)) : null;
  pages ??= new AnswerCache(pageCacheBytes());
  const kept = key ? pages.get(key) : undefined;
  if (key && kept) return pages.deliver(request, key, kept);

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace("%backchannel.theme%", theme),
  });
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  // A HEAD renders no body to keep; it is answered from a GET's copy when there is one.
  if (key && request.method === "GET" && response.status === 200 && !response.headers.has("set-cookie") && pages.maxBytes > 0) {
    return pages.deliver(request, key, await pages.store(key, response));
  }
  return deliverFresh(request, response);
};

/** An unexpected failure: logged with its stack here, shown to the reader without it. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status !== 404) console.error(`web: ${event.request.method} ${event.url.pathname}:`, error);
  return { message: status === 404 ? `No page at ${event.url.pathname}.` : message, kind: status === 404 ? "not-found" : "internal" };
};
