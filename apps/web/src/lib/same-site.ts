/** A place on this site to send a reader back to; anything else becomes the home page. */
const ORIGIN = "http://same-site.invalid";

/**
 * `back` is accepted only as a path of this site: one leading `/`, no `\` (browsers read it as
 * `/`), no control characters (tab and newline are dropped by URL parsers, CR/LF would split the
 * header), and nothing that resolves to another origin. The answer is the parsed path,
 * query and fragment, percent-encoded, so the Location header is always plain ASCII.
 */
export function sameSitePath(back: string | null | undefined): string {
  if (!back || !back.startsWith("/") || back.startsWith("//")) return "/";
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f-\u009f]/.test(back)) return "/";
  let url: URL;
  try {
    url = new URL(back, ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== ORIGIN) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can collapse `/.//evil` into `//evil`: the result must itself be a single-slash path.
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}
