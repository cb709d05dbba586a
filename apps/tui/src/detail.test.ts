// The detail views' lines, over the curated record through the in-process API.
import { afterAll, describe, expect, it } from "vitest";
import { unwrap } from "./data.js";
import { eventLines, sourceLines } from "./format.js";
import { postLines } from "./posts.js";
import { curatedConnection } from "../test/harness.js";

const connection = curatedConnection();
afterAll(() => connection.close());
const api = connection.client.api.v1;

describe("an event's detail", () => {
  it("shows each cited article once, with every cited passage under it", async () => {
    const event = await unwrap(api.events[":id"].$get({ param: { id: "2026-02-10-larijani-visits-oman" }, query: {} }));
    const lines = eventLines(event, 100);
    const sources = [...new Set(event.citations.map((citation) => citation.source))];
    const headings = lines.filter((line) => line.link?.kind === "source" && !line.text.trimStart().startsWith("¶"));
    expect(headings.map((line) => line.link!.id)).toEqual(sources);
    const passages = lines.filter((line) => line.text.trimStart().startsWith("¶"));
    expect(passages).toHaveLength(event.citations.length);
  });
});

describe("a source's detail", () => {
  it("lists what each paragraph supports, every citing record once per paragraph, and the uncited ones", async () => {
    const source = await unwrap(api.sources[":id"].$get({ param: { id: "2026-02-10-larijani-visits-oman" }, query: {} }));
    const all = sourceLines(source, 100);
    const lines = all.map((line) => line.text);
    const start = lines.indexOf("What each paragraph supports");
    const end = lines.indexOf("", start);
    const section = lines.slice(start + 1, end);
    const citers = source.paragraphIndex.flatMap((entry) => entry.citedBy.map((citer) => citer.id));
    expect(all.slice(start + 1, end).flatMap((line) => (line.link ? [line.link.id] : []))).toEqual(citers);
    for (const entry of source.paragraphIndex.filter((e) => e.citedBy.length)) expect(section.some((line) => line.startsWith(`  ¶ ${entry.paragraph} `))).toBe(true);
    const uncited = source.paragraphIndex.filter((entry) => entry.citedByTotal === 0).map((entry) => entry.paragraph);
    if (uncited.length) expect(section.join(" ")).toContain(`Not cited: ¶ ${uncited.join(", ")}`);
    expect(lines).toContain("Web address: none known");
  });
});

describe("an office's detail", () => {
  it("lists its holders, the latest first, each with the sources that show the tenure", async () => {
    const post = await unwrap(api.posts[":id"].$get({ param: { id: "secretary-of-iran-supreme-national-security-council" }, query: {} }));
    const lines = postLines(post, 100);
    expect(lines.filter((line) => line.link?.kind === "actor" && line.text.startsWith("  ") && !line.text.startsWith("      ")).map((line) => line.link!.id)).toEqual(["ali-larijani", "ali-akbar-ahmadian"]);
    const sources = lines.filter((line) => line.link?.kind === "source").map((line) => line.link!.id);
    expect(sources).toEqual(post.holders.flatMap((holder) => holder.citations.map((citation) => citation.source)));
  });
});
