// Every endpoint, 10,000 hostile requests each, in-process over the curated snapshot: never a 5xx.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { curatedApi } from "../test/harness.js";

const RUNS = Number(process.env.FAULTS_HOSTILE_RUNS ?? 10_000);
const { get } = curatedApi();

const KEYS = ["q", "actor", "type", "country", "place", "topic", "source", "status", "from", "to", "sort", "limit", "cursor", "format", "kind", "bucket", "size", "role", "bom", "x", "__proto__", "constructor"];
/** What someone who means harm types: SQL and FTS syntax, markup, huge and odd strings, bad encodings. */
const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    "' OR 1=1 --", "\"; DROP TABLE events; --", "1; SELECT * FROM meta", "NEAR(a b)", "a OR b AND NOT c", "\"unterminated", "*", "^", "title:x", "{a b}:c",
    "<script>alert(1)</script>", "javascript:alert(1)", "%00", "%", "%zz", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "\u0000", "\uFFFF", "\uD800",
    "9999-99-99", "2025-13", "-0", "1e309", "NaN", "Infinity", "0x10", "-date,date", "csv", "ndjson", "geojson", "OM", "visit", "2025", "2025-06",
  ),
  fc.nat({ max: 20_000 }).map((n) => "x".repeat(n)),
);
const query = fc.array(fc.tuple(fc.constantFrom(...KEYS), hostileText), { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs).toString());
const accept = fc.constantFrom(undefined, "text/csv", "application/x-ndjson", "application/geo+json", "*/*", "text/html", "application/json;q=0", "x".repeat(5000));
/** A path segment: the text's bytes percent-encoded, or raw malformed encodings and dot segments. */
const segment = fc.oneof(
  hostileText.map((text) => [...Buffer.from(text, "utf8")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("") || "x"),
  fc.constantFrom("%zz", "%", "%00", "%2e%2e", "..", ".", "%C0%AE", "%FF%FE", "constructor", "__proto__", "toString", "hasOwnProperty"),
);

const LISTS = ["/events", "/actors", "/sources", "/places", "/search", "/timeline", "/network", "/facets", "/meta", "/healthz"];
const DETAILS = ["/events/", "/actors/", "/sources/", "/places/"];

async function neverFails(path: string) {
  const response = await get(path.split("#")[0]!);
  expect(response.status, path.slice(0, 300)).toBeLessThan(500);
  await response.arrayBuffer();
}

describe(`${RUNS.toLocaleString("en")} hostile requests per endpoint`, () => {
  it.each(LISTS)("/api/v1%s: no 5xx", async (path) => {
    await fc.assert(
      fc.asyncProperty(query, accept, async (search, type) => {
        const response = await get(`/api/v1${path}?${search}`, type ? { Accept: type } : {});
        expect(response.status, `${path}?${search}`.slice(0, 300)).toBeLessThan(500);
        await response.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });

  it.each(DETAILS)("/api/v1%s{id}: no 5xx", async (path) => {
    await fc.assert(fc.asyncProperty(segment, query, async (id, search) => neverFails(`/api/v1${path}${id}?${search}`)), { numRuns: RUNS });
  });

  it("/api/docs/assets/{name}: no 5xx", async () => {
    await fc.assert(fc.asyncProperty(segment, async (name) => neverFails(`/api/docs/assets/${name}`)), { numRuns: RUNS });
  });
});
