// Components rendered on the server, as a reader without JavaScript receives them.
import { render } from "svelte/server";
import { describe, expect, it } from "vitest";
import type { EventListItem, Timeline } from "@backchannel/schema";
import DateStatement from "./DateStatement.svelte";
import EventTable from "./EventTable.svelte";
import TimelineChart from "./TimelineChart.svelte";

const visit = {
  id: "a-visit",
  title: 'Visit <script>alert(1)</script>',
  summary: "s",
  date: { start: "2026-02-10", basis: "relative", note: '"on Tuesday", against the publication date' },
  status: "occurred",
  type: "visit",
  places: [],
  participants: [{ actor: "ali-larijani", role: "visitor", name: 'Ali "><img src=x onerror=alert(1)>', kind: "person" }],
  topics: [],
  relations: [],
  citations: [{ source: "s", paragraphs: [1], quote: "the words that support it" }],
  precision: "day",
  coding: { type: "visit", label: "Visit", cameo: "042", cameoName: "Make a visit", goldstein: 1.9, quadClass: 1 },
  sourcing: { sources: 1, outlets: 1, lines: 1 },
} satisfies EventListItem;

describe("EventTable", () => {
  it("escapes every text from the data", () => {
    const { body } = render(EventTable, { props: { events: [visit], caption: "c" } });
    expect(body).not.toContain("<script>alert");
    expect(body).not.toContain("<img");
    expect(body).toContain("Visit &lt;script>alert(1)&lt;/script>");
    expect(body).toContain('href="/events/a-visit"');
    expect(body).toContain('href="/actors/ali-larijani"');
  });

  it("says so when nothing matches", () => {
    expect(render(EventTable, { props: { events: [], caption: "c" } }).body).toContain("No events match.");
  });
});

describe("DateStatement", () => {
  it("shows a relative date as the weekday it was resolved from", () => {
    const { body } = render(DateStatement, { props: { date: visit.date, precision: "day" } });
    const text = body.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
    expect(text).toContain("Tuesday, resolved to 10 Feb 2026 from the publication date");
    expect(text).toContain("precise to the day");
    expect(text).toContain("on Tuesday");
  });

  it("says when a date is inferred", () => {
    const { body } = render(DateStatement, { props: { date: { start: "2017-06", basis: "inferred", note: "public record" }, precision: "month" } });
    expect(body.replace(/<[^>]+>/g, "")).toMatch(/Jun 2017.*\(inferred\).*precise to the month/s);
  });
});

describe("TimelineChart", () => {
  const timeline: Timeline = {
    bucket: "month",
    data: [
      { bucket: "2025-05", count: 3, byQuadClass: { "1": 2, "2": 0, "3": 0, "4": 1, uncoded: 0 }, meanGoldstein: -1.5 },
      { bucket: "2025-08", count: 1, byQuadClass: { "1": 1, "2": 0, "3": 0, "4": 0, uncoded: 0 }, meanGoldstein: 1 },
    ],
  };

  it("draws empty months too, so time reads evenly, and one bar part per quad class present", () => {
    const { body } = render(TimelineChart, { props: { timeline, title: "T" } });
    expect(body.match(/<g><title>/g)).toHaveLength(4); // May, Jun, Jul, Aug
    expect(body.match(/<rect class="quad-/g)).toHaveLength(3);
  });

  it("names events dated only to the year beside a monthly axis, never in January", () => {
    const withYear: Timeline = { ...timeline, data: [{ bucket: "2025", count: 2, byQuadClass: { "1": 2, "2": 0, "3": 0, "4": 0, uncoded: 0 }, meanGoldstein: 1 }, ...timeline.data] };
    const { body } = render(TimelineChart, { props: { timeline: withYear, title: "T" } });
    expect(body.match(/<g><title>/g)).toHaveLength(4); // still May to Aug
    expect(body).toContain("2 more are dated only to the year.");
    expect(body.replace(/<!--[^>]*-->/g, "")).toContain("dated only to the year: 2025 (2)");
  });

  it("has a text alternative with the figures", () => {
    const { body } = render(TimelineChart, { props: { timeline, title: "T" } });
    expect(body).toContain('aria-label="T. 4 events from May 2025 to Aug 2025; the busiest month was May 2025 with 3."');
    expect(body).toContain("<th scope=\"row\">May 2025</th><td>3</td>");
  });

  it("says one event, not one events, in every count it writes", () => {
    const one: Timeline = {
      bucket: "month",
      data: [
        { bucket: "2025", count: 1, byQuadClass: { "1": 1, "2": 0, "3": 0, "4": 0, uncoded: 0 }, meanGoldstein: 1 },
        { bucket: "2025-08", count: 1, byQuadClass: { "1": 1, "2": 0, "3": 0, "4": 0, uncoded: 0 }, meanGoldstein: 1 },
      ],
    };
    const { body } = render(TimelineChart, { props: { timeline: one, title: "T" } });
    expect(body).toContain("T. 1 event from Aug 2025 to Aug 2025");
    expect(body).toContain("<title>Aug 2025: 1 event, mean Goldstein 1.0</title>");
    expect(body).toContain("1 more is dated only to the year.");
    expect(body).not.toMatch(/\b1 events\b|\b1 more are\b/);
  });
});
