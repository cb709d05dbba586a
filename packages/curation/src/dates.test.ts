import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findDates, isAfterPublication, resolveWeekday } from "./dates.js";

const at = (published: string, future = false, language = "en") => ({ published, future, language });
const first = (sentence: string, context = at("2026-02-12")) => findDates(sentence, context)[0]?.date;

describe("date resolution against the publication date", () => {
  it.each([
    // [sentence, published, future, start, end, basis]
    ["He arrived in Oman on Tuesday.", "2026-02-12", false, "2026-02-10", undefined, "relative"],
    ["He arrived in Oman on Tuesday.", "2026-02-10", false, "2026-02-10", undefined, "relative"],
    ["He will travel to Doha on Wednesday.", "2024-09-30", true, "2024-10-02", undefined, "relative"],
    ["Talks were held last week.", "2026-02-12", false, "2026-02-02", "2026-02-08", "relative"],
    ["The sultan visited Iran two years ago.", "2025-05-28", false, "2023", undefined, "relative"],
    ["He died last year.", "2025-05-28", false, "2024", undefined, "relative"],
    ["The war last June froze the channels.", "2026-02-10", false, "2025-06", undefined, "relative"],
    ["It happened earlier this month.", "2026-02-12", false, "2026-02", undefined, "relative"],
    ["The training began this week.", "2024-10-02", false, "2024-09-30", "2024-10-02", "relative"],
    ["He traveled to Oman on May 27.", "2025-05-28", false, "2025-05-27", undefined, "inferred"],
    ["He visits the chapel on December 4, 2024 in Waterloo.", "2026-02-12", false, "2024-12-04", undefined, "stated"],
    ["It was first inaugurated in June 2002 in Cha-Am.", "2024-10-02", false, "2002-06", undefined, "stated"],
    ["Netanyahu visited Oman in 2018.", "2024-10-02", false, "2018", undefined, "stated"],
    ["The meeting takes place in Moscow on May 27-29.", "2025-05-28", false, "2025-05-27", "2025-05-29", "inferred"],
    ["The ministers met on 2 Khordad 1401.", "2026-02-12", false, "2022-05-23", undefined, "stated"],
    ["The decree is dated 1404/03/06.", "2026-02-12", false, "2025-05-27", undefined, "stated"],
    ["وزیران در ۲ خرداد ۱۴۰۱ دیدار کردند", "2026-02-12", false, "2022-05-23", undefined, "stated"],
    ["Larijani traf am Dienstag in Maskat ein.", "2026-02-12", false, "2026-02-10", undefined, "relative"],
    ["Das Treffen fand am 10. Februar 2026 statt.", "2026-02-12", false, "2026-02-10", undefined, "stated"],
  ] as const)("%s (published %s)", (sentence, published, future, start, end, basis) => {
    const language = /Dienstag|Februar/.test(sentence) ? "de" : /[\u0600-\u06ff]/.test(sentence) ? "fa" : "en";
    const date = first(sentence, at(published, future, language));
    expect(date).toMatchObject({ start, basis });
    expect(date?.end).toBe(end);
    if (basis !== "stated") expect(date?.note).toBeTruthy();
  });

  it("a relative phrase keeps its words in the note", () => {
    expect(first("He arrived on Tuesday.")?.note).toContain('"on Tuesday"');
  });

  it("an ambiguous numeric date is read day first and says so", () => {
    expect(first("12-02-2026")).toMatchObject({ start: "2026-02-12", basis: "inferred" });
    expect(first("25-02-2026")).toMatchObject({ start: "2026-02-25", basis: "stated" });
  });

  it("the verb may is not a month", () => {
    expect(findDates("Iran may join the talks.", at("2026-02-12"))).toEqual([]);
  });

  it("a weekday resolves within the week before publication, or the week after for plans", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 6 }), fc.boolean(), (days, weekday, future) => {
        const published = new Date(Date.UTC(2020, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
        const resolved = resolveWeekday(weekday, at(published, future));
        const distance = (Date.parse(resolved) - Date.parse(published)) / 86_400_000;
        expect(new Date(resolved).getUTCDay()).toBe(weekday);
        expect(future ? distance >= 0 && distance < 7 : distance <= 0 && distance > -7).toBe(true);
      }),
    );
  });

  describe("against a publication window (an undated article known to be from 1 or 2 October 2024)", () => {
    const window = { published: "2024-10-01", latest: "2024-10-02", future: false, language: "en" };
    it("a phrase that gives the same date on either day is that date", () => {
      expect(first("The drill began on Monday.", window)).toMatchObject({ start: "2024-09-30", basis: "relative" });
      expect(first("The drill began on Monday.", window)?.end).toBeUndefined();
      expect(first("He left for Doha on Wednesday.", { ...window, future: true })).toMatchObject({ start: "2024-10-02" });
    });
    it("a phrase that differs between the two days is the window between them", () => {
      expect(first("The ministers met this week.", window)).toMatchObject({ start: "2024-09-30", end: "2024-10-02", window: true, basis: "relative" });
      expect(first("The envoy arrived yesterday.", window)).toMatchObject({ start: "2024-09-30", end: "2024-10-01", window: true });
      expect(first("The ministers met this week.", window)?.note).toMatch(/publication window 2024-10-01 to 2024-10-02/);
    });
    it("without a window, a day of publication resolves as before", () => {
      expect(first("The ministers met this week.", at("2024-10-01"))).toMatchObject({ start: "2024-09-30", end: "2024-10-01" });
    });
  });

  describe('"recent" and "recently": a window from the start of the month before to the day of the report', () => {
    it("dates what nothing else in the sentence dates", () => {
      const date = findDates("The recent strikes drew condemnation.", at("2026-03-15"))[0];
      expect(date).toMatchObject({ recent: true, date: { start: "2026-02", end: "2026-03-15", window: true, basis: "relative" } });
      expect(date?.date.note).toMatch(/reading of "recent"/);
      expect(first("The minister recently returned from Geneva.", at("2026-01-10"))).toMatchObject({ start: "2025-12", end: "2026-01-10" });
    });
    it("gives way to a phrase that says more, and is no date in \"recent years\"", () => {
      expect(findDates("The minister recently met his counterpart last week.", at("2026-02-12")).map((d) => d.date.start)).toEqual(["2026-02-02"]);
      expect(findDates("In recent years the two states grew closer.", at("2026-02-12"))).toEqual([]);
    });
  });

  it("flags dates after publication at their precision", () => {
    expect(isAfterPublication({ start: "2026-02-13", basis: "stated" }, "2026-02-12")).toBe(true);
    expect(isAfterPublication({ start: "2026-02", basis: "stated" }, "2026-02-12")).toBe(false);
    expect(isAfterPublication({ start: "2027", basis: "stated" }, "2026-02-12")).toBe(true);
  });
});
