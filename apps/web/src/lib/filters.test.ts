import { describe, expect, it } from "vitest";
import { asQuery, readFilters, toSearch, toggled, withYear } from "./filters";

describe("filters in the URL", () => {
  it("reads repeated values, drops blanks and anything that is not a filter", () => {
    const filters = readFilters(new URLSearchParams("actor=a&actor=b&q=+&from=2025&cursor=xyz&format=csv"));
    expect(filters).toEqual({ actor: ["a", "b"], from: ["2025"] });
    expect(asQuery(filters)).toEqual({ actor: ["a", "b"], from: "2025" });
  });

  it("round-trips through a query string", () => {
    const filters = { type: ["visit", "meeting"], to: ["2026-02"] };
    expect(readFilters(new URLSearchParams(toSearch(filters)))).toEqual(filters);
    expect(toSearch({})).toBe("");
  });

  it("toggles one facet value on and off, leaving the others", () => {
    const on = toggled({ type: ["visit"] }, "actor", "ali-larijani");
    expect(on).toEqual({ type: ["visit"], actor: ["ali-larijani"] });
    expect(toggled(on, "actor", "ali-larijani")).toEqual({ type: ["visit"] });
  });

  it("turns a year facet into a date range, and back", () => {
    const year = withYear({ type: ["visit"] }, "2025");
    expect(year).toEqual({ type: ["visit"], from: ["2025"], to: ["2025"] });
    expect(withYear(year, "2025")).toEqual({ type: ["visit"] });
  });
});
