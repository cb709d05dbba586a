// The detail views' lines, over the curated record through the in-process API.
import { afterAll, describe, expect, it } from "vitest";
import { unwrap } from "./data.js";
import { eventLines } from "./format.js";
import { curatedConnection } from "../test/harness.js";

const connection = curatedConnection();
afterAll(() => connection.close());
const api = connection.client.api.v1;

describe("an event's detail", () => {
  it("shows each cited article once, with every cited passage under it", async () => {
    const event = await unwrap(api.events[":id"].$get({ param: { id: "2026-02-10-larijani-visits-oman" } }));
    const lines = eventLines(event, 100);
    const sources = [...new Set(event.citations.map((citation) => citation.source))];
    const headings = lines.filter((line) => line.link?.kind === "source" && !line.text.trimStart().startsWith("¶"));
    expect(headings.map((line) => line.link!.id)).toEqual(sources);
    const passages = lines.filter((line) => line.text.trimStart().startsWith("¶"));
    expect(passages).toHaveLength(event.citations.length);
  });
});
