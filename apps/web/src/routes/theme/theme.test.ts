import { isRedirect } from "@sveltejs/kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GET } from "./+server";

const SITE = "https://dashboard.test";

/** Where the theme switch sends a browser for this raw query value of `back`. */
function locationFor(rawBack: string): string {
  const url = new URL(`/theme?set=dark&back=${rawBack}`, SITE);
  const cookies = { set: () => undefined };
  try {
    GET({ url, cookies } as never);
  } catch (thrown) {
    if (isRedirect(thrown)) return thrown.location;
    throw thrown;
  }
  throw new Error("expected a redirect");
}

/** What a browser does with the Location header: WHATWG URL parsing against the current page. */
function followed(location: string): URL {
  return new URL(location, `${SITE}/theme`);
}

const KNOWN_BYPASSES = [
  "//evil.example",
  "/%5Cevil.example",
  "%5C%5Cevil.example",
  "/%09/evil.example",
  "/%0A/evil.example",
  "/%0D/evil.example",
  "/%2F/evil.example",
  "%2F%2Fevil.example",
  "/%5C/evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "/%20/evil.example",
  "https://evil.example",
  "https:evil.example",
  "javascript:alert(1)",
  "%252F%252Fevil.example",
  "/.//evil.example",
  "/%2E//evil.example",
  "/./%2F/evil.example",
  "/%E2%88%95evil.example", // ∕ division slash
  "/%EF%BC%8Fevil.example", // ／ fullwidth solidus
  "/%E2%81%84evil.example", // ⁄ fraction slash
  "/%C0%AFevil.example", // overlong '/'
  "/a%0d%0aX:1",
  "/a%0d%0aLocation:%20https://evil.example",
  "/%00evil.example",
  "@evil.example",
  "/@evil.example",
  "evil.example",
  "",
];

describe("the theme switch's redirect", () => {
  it("never leaves the site, for every known open-redirect bypass", () => {
    for (const raw of KNOWN_BYPASSES) {
      const location = locationFor(raw);
      expect(followed(location).origin, raw).toBe(SITE);
      expect(location, raw).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
    }
  });

  it("answers a redirect (not a server error) for header-splitting input, falling back to /", () => {
    expect(locationFor("/a%0d%0aX:1")).toBe("/");
    expect(locationFor("/%5Cevil.example")).toBe("/");
    expect(locationFor("/%09/evil.example")).toBe("/");
  });

  it("keeps a real path of the site with its query, non-Latin text percent-encoded", () => {
    expect(locationFor("/events%3Factor%3Dali-larijani%26type%3Dvisit")).toBe("/events?actor=ali-larijani&type=visit");
    const persian = locationFor(encodeURIComponent("/search?q=عراقچی"));
    expect(followed(persian).searchParams.get("q")).toBe("عراقچی");
  });

  it("stays on the site for any input (generated)", () => {
    const piece = fc.constantFrom("/", "\\", "%5C", "%2F", "%09", "%0A", "%0D", ".", "%2E", "evil.example", ":", "@", "?", "#", "%", "／", "∕", "a");
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 8 }), (pieces) => {
        const location = locationFor(pieces.join(""));
        expect(followed(location).origin).toBe(SITE);
        expect(location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
      }),
      { numRuns: 500 },
    );
  });
});
