import type { Handle, HandleServerError } from "@sveltejs/kit";
import { apiBase, fetchWithDeadline, isTimeout, timeoutMs } from "$lib/server/api";
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

/**
 * `/api/…` is passed through to the API, so each page's JSON twin and the export buttons are
 * links on this same origin (and work with the API on a private address).
 */
async function proxyToApi(request: Request, url: URL): Promise<Response> {
  const headers = new Headers();
  for (const name of ["accept", "if-none-match"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  try {
    // Every method goes through, without its body: the API answers 405 (or 404) itself, the same way.
    const answer = await fetchWithDeadline(fetch, `${apiBase()}${url.pathname}${url.search}`, { method: request.method, headers });
    const passed = new Headers(answer.headers);
    // fetch has already decoded the body.
    passed.delete("content-encoding");
    passed.delete("content-length");
    return new Response(answer.body, { status: answer.status, headers: passed });
  } catch (failure) {
    const problem = isTimeout(failure)
      ? { type: "about:blank", title: "API timeout", status: 504, detail: `The Backchannel API at ${apiBase()} did not answer within ${timeoutMs() / 1000} s.` }
      : { type: "about:blank", title: "API unreachable", status: 503, detail: `The Backchannel API is not reachable at ${apiBase()}.` };
    return new Response(JSON.stringify(problem), { status: problem.status, headers: { "Content-Type": "application/problem+json" } });
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith("/api/")) {
    const response = await proxyToApi(event.request, event.url);
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
  }
  const chosen = event.cookies.get("theme");
  const theme = isTheme(chosen) ? chosen : "system";
  event.locals.theme = theme;
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace("%backchannel.theme%", theme),
  });
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
};

/** An unexpected failure: logged with its stack here, shown to the reader without it. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status !== 404) console.error(`web: ${event.request.method} ${event.url.pathname}:`, error);
  return { message: status === 404 ? `No page at ${event.url.pathname}.` : message, kind: status === 404 ? "not-found" : "internal" };
};
