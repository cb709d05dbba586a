import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";

const require = createRequire(import.meta.url);
// swagger-ui-dist ships the assets: the docs page needs no network. Found on first use, so a
// program that embeds the API without its docs (the terminal's bundle) need not ship them.
let assetsDir: string | undefined;
const assets = () => (assetsDir ??= dirname(require.resolve("swagger-ui-dist/package.json")));
// A Map, not an object literal: a name like "constructor" must not find an inherited property.
const ASSET_TYPES = new Map<string, string>([
  ["swagger-ui.css", "text/css; charset=utf-8"],
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
]);

/**
 * Swagger UI runs from its two files and our init script (no inline script, no eval); it sets
 * inline styles as it renders and draws its icons as data: images; it fetches the document
 * and "Try it out" requests from this origin only.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Interactive API documentation (Swagger UI) over the generated OpenAPI document. */
export function docsRoutes(specUrl: string) {
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backchannel API</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script>
</body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: "#docs", deepLinking: true, validatorUrl: null });`;
  return new Hono()
    .get("/", (c) => c.html(page, 200, { "Content-Security-Policy": DOCS_CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff" }))
    // init.js is answered by the assets' route: a static path beside a parameter at the same place
    // makes Hono fall back from its RegExpRouter to the slower TrieRouter for every route of the app.
    .get("/assets/:name", (c) => {
      const name = c.req.param("name");
      if (name === "init.js") return c.body(init, 200, { "content-type": "text/javascript; charset=utf-8" });
      const type = ASSET_TYPES.get(name);
      if (!type) return c.notFound();
      return c.body(readFileSync(join(assets(), name)), 200, { "content-type": type, "cache-control": "public, max-age=86400" });
    });
}
