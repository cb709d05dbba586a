import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { noun, plural } from "./text.js";

describe("plural", () => {
  it("says one thing in the singular and every other count in the plural", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.constantFrom(["event", "events"], ["result", "results"], ["match", "matches"]), (count, [one, many]) => {
        const text = plural(count, one!, many);
        expect(text).toBe(`${count.toLocaleString("en")} ${count === 1 ? one : many}`);
        expect(noun(count, one!, many)).toBe(count === 1 ? one : many);
      }),
    );
    expect(plural(1, "event")).toBe("1 event");
    expect(plural(0, "result")).toBe("0 results");
    expect(plural(12_400, "event")).toBe("12,400 events");
  });
});
