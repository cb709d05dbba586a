import { describe, expect, it } from "vitest";
import { countryName, formatDate, formatPublished, formatSpan, paragraphs, weekday } from "./format";

describe("dates as a reader says them", () => {
  it("keeps each date at its own precision", () => {
    expect(formatDate("2026")).toBe("2026");
    expect(formatDate("2026-02")).toBe("Feb 2026");
    expect(formatDate("2026-02-10")).toBe("10 Feb 2026");
  });

  it("tells a span that lasted from one that happened once within bounds", () => {
    expect(formatSpan({ start: "2024-10-02", end: "2024-10-03" })).toBe("2 Oct 2024 – 3 Oct 2024");
    expect(formatSpan({ start: "2024-07", end: "2024-10-02", window: true })).toBe("sometime between Jul 2024 and 2 Oct 2024");
    expect(formatSpan({ start: "2026-02-12", window: true })).toBe("sometime after 12 Feb 2026");
  });

  it("never shows the last date a source saw a conflict under way as its end", () => {
    expect(formatSpan({ start: "2023-10", end: "2024-10", ongoing: true })).toBe("Oct 2023 – still under way in Oct 2024");
  });

  it("gives an undated article's publication as the window its text allows", () => {
    expect(formatPublished({ date: "2024-10-01", end: "2024-10-02" })).toBe("between 1 Oct 2024 and 2 Oct 2024");
    expect(formatPublished({ date: "2026-02-12" })).toBe("12 Feb 2026");
  });

  it("names the weekday a relative date was resolved to, only for full dates", () => {
    expect(weekday("2026-02-10")).toBe("Tuesday");
    expect(weekday("2026-02")).toBeUndefined();
  });
});

it("writes paragraph locators and country names", () => {
  expect(paragraphs([4])).toBe("¶ 4");
  expect(paragraphs([1, 2])).toBe("¶¶ 1, 2");
  expect(countryName("OM")).toBe("Oman");
  expect(countryName("not-a-code")).toBe("not-a-code");
});
