import { describe, expect, it } from "vitest";
import type { ActorDetail } from "@backchannel/schema";
import { actorLines, describeDate, fit, humanDate, publishedCell, publishedDate, sparkline, wrap } from "./format.js";

describe("text layout", () => {
  it("fits text to an exact width, marking a cut", () => {
    expect(fit("Muscat", 8)).toBe("Muscat  ");
    expect(fit("Al Alam Palace", 8)).toBe("Al Alam…");
    expect([...fit("عباس عراقچی وزیر", 6)]).toHaveLength(6);
  });

  it("wraps prose at word boundaries", () => {
    expect(wrap("Iran and the United States held talks in Muscat", 16)).toEqual(["Iran and the", "United States", "held talks in", "Muscat"]);
  });
});

describe("dates", () => {
  it("read as people write them, at their precision", () => {
    expect([humanDate("2025-05-27"), humanDate("2025-06"), humanDate("2018")]).toEqual(["27 May 2025", "Jun 2025", "2018"]);
  });

  it("say how they were derived, honestly", () => {
    expect(describeDate({ date: { start: "2026-02-10", basis: "relative", note: '"on Tuesday"' }, precision: "day" })).toBe(
      '10 Feb 2026 (day precision, resolved from a relative phrase: "on Tuesday")',
    );
    expect(describeDate({ date: { start: "2021-08", end: "2024-05", window: true, basis: "inferred", note: "n" }, precision: "month" })).toMatch(/^sometime between Aug 2021 and May 2024/);
    expect(describeDate({ date: { start: "2023-10", end: "2024-10", ongoing: true, basis: "inferred", note: "n" }, precision: "month" })).toMatch(
      /^Oct 2023 – still under way in Oct 2024 /,
    );
  });
});

describe("publication dates", () => {
  it("show an undated article's window, never one day picked inside it", () => {
    expect(publishedDate({ date: "2024-10-01", end: "2024-10-02" })).toBe("between 1 Oct 2024 and 2 Oct 2024");
    expect(publishedCell({ date: "2024-10-01", end: "2024-10-02" })).toBe("~2024-10-01");
    expect([publishedDate({ date: "2026-02-12" }), publishedCell({ date: "2026-02-12" })]).toEqual(["12 Feb 2026", "2026-02-12"]);
  });
});

describe("an actor's names", () => {
  it("tell a source's spelling from a common one no source uses", () => {
    const actor = {
      id: "islamic-revolutionary-guard-corps",
      kind: "military-unit",
      name: "Islamic Revolutionary Guard Corps",
      description: "Iran's ideological armed force.",
      aliases: [{ name: "IRGC", common: true }, { name: "Revolutionary Guards", usedBy: ["a-source"] }],
      positions: [],
      eventCount: 0,
      events: { data: [], page: { next: null, limit: 10 } },
      counterparts: [],
    } as unknown as ActorDetail;
    const texts = actorLines(actor, 100).map((line) => line.text);
    expect(texts).toContain("  IRGC — common spelling, used by no source");
    expect(texts).toContain("  Revolutionary Guards — used by 1 source");
  });
});

describe("sparkline", () => {
  it("scales counts to eight heights and leaves empty months blank", () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe(" ▁▂▄█");
  });

  it("merges buckets to fit the width", () => {
    expect(sparkline([1, 1, 1, 1, 4, 4], 3)).toHaveLength(3);
  });
});
