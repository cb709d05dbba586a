import { describe, expect, it } from "vitest";
import { CALENDAR_DATE, DateSpanSchema, PartialDateSchema, precisionOf, spanBounds, spansOverlap } from "./dates.js";

describe("PartialDate", () => {
  it.each(["2018", "2025-06", "2025-05-27", "2024-02-29"])("accepts %s", (value) => {
    expect(PartialDateSchema.safeParse(value).success).toBe(true);
  });

  it.each(["2025-13", "2025-02-30", "2023-02-29", "2025-5", "25-05-27", "27-05-2025", "2025-05-27T10:00"])("rejects %s", (value) => {
    expect(PartialDateSchema.safeParse(value).success).toBe(false);
  });

  it("admits exactly the days on the calendar: the OpenAPI pattern is the server's rule", () => {
    const pad = (n: number) => String(n).padStart(2, "0");
    for (const year of [1900, 2000, 2023, 2024, 2100, 2400]) {
      for (let month = 0; month <= 13; month++) {
        expect(CALENDAR_DATE.test(`${year}-${pad(month)}`), `${year}-${pad(month)}`).toBe(month >= 1 && month <= 12);
        for (let day = 0; day <= 32; day++) {
          const text = `${year}-${pad(month)}-${pad(day)}`;
          const real = new Date(`${text}T00:00:00Z`);
          const onCalendar = !Number.isNaN(real.getTime()) && real.toISOString().startsWith(text);
          expect(CALENDAR_DATE.test(text), text).toBe(onCalendar);
        }
      }
    }
  });

  it("tells a curator to quote a bare year that YAML read as a number", () => {
    const result = PartialDateSchema.safeParse(2018);
    expect(result.error?.issues[0]?.message).toContain('quote a bare year: "2018"');
  });

  it("reads precision off the string", () => {
    expect([precisionOf("2018"), precisionOf("2025-06"), precisionOf("2025-05-27")]).toEqual(["year", "month", "day"]);
  });
});

describe("DateSpan", () => {
  it("rejects an end before the start, whatever the precisions", () => {
    const result = DateSpanSchema.safeParse({ start: "2025-06-10", end: "2025-05", basis: "stated" });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["end", "end 2025-05 is before start 2025-06-10"],
    ]);
  });

  it("accepts an end at coarser precision that still reaches past the start", () => {
    expect(DateSpanSchema.safeParse({ start: "2025-05-27", end: "2025-05", basis: "stated" }).success).toBe(true);
  });

  it("requires a note for relative and inferred dates", () => {
    for (const basis of ["relative", "inferred"] as const) {
      const result = DateSpanSchema.safeParse({ start: "2026-02-10", basis });
      expect(result.error?.issues[0]?.path).toEqual(["note"]);
    }
    expect(DateSpanSchema.safeParse({ start: "2026-02-10", basis: "stated" }).success).toBe(true);
  });

  it("rejects unknown fields, so a typo cannot pass silently", () => {
    expect(DateSpanSchema.safeParse({ start: "2018", basis: "stated", precison: "year" }).success).toBe(false);
  });
});

describe("overlap", () => {
  it("is precision-aware: June 2025 overlaps 15 June 2025", () => {
    const june = spanBounds({ start: "2025-06" });
    expect(june).toEqual({ first: "2025-06-01", last: "2025-06-30" });
    expect(spansOverlap(june, { first: "2025-06-15", last: "2025-06-15" })).toBe(true);
    expect(spansOverlap(june, { first: "2025-07-01", last: "2025-07-31" })).toBe(false);
  });

  it("treats an open window as reaching into the future", () => {
    expect(spanBounds({ start: "2026-02-12", window: true }).last).toBe("9999-12-31");
    expect(spanBounds({ start: "2026-02-12" }).last).toBe("2026-02-12");
  });

  it("knows February's length in leap years", () => {
    expect(spanBounds({ start: "2024-02" }).last).toBe("2024-02-29");
    expect(spanBounds({ start: "2025-02" }).last).toBe("2025-02-28");
  });
});
