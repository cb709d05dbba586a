import { afterAll, describe, expect, it } from "vitest";
import { printList, printRecord, printSearch } from "./commands.js";
import { curatedConnection } from "../test/harness.js";

const connection = curatedConnection();
afterAll(() => connection.close());

async function capture(run: (write: (text: string) => void) => Promise<void>) {
  let out = "";
  await run((text) => (out += text));
  return out;
}

describe("non-interactive commands", () => {
  it("prints events for an actor as JSON rows", async () => {
    const out = await capture((write) => printList(connection, "events", { actor: "ali-larijani" }, "json", write));
    const rows = JSON.parse(out) as { id: string; participants: { actor: string }[] }[];
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(row.participants.map((p) => p.actor)).toContain("ali-larijani");
  });

  it("prints a table with a header and one line a row, sized to the width", async () => {
    const out = await capture((write) => printList(connection, "events", { type: "visit" }, "table", write, 100));
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^date\s+type\s+sources\s+id\s+title$/);
    expect(lines).toHaveLength(1 + 10);
    expect(lines.some((line) => line.includes("2018-netanyahu-visits-oman"))).toBe(true);
  });

  it("passes CSV through from the API, every row, and honours --limit", async () => {
    const all = await capture((write) => printList(connection, "actors", {}, "csv", write));
    expect(all.trimEnd().split("\r\n")).toHaveLength(56);
    const two = await capture((write) => printList(connection, "actors", {}, "csv", write, 120, 2));
    expect(two.trimEnd().split("\r\n")).toHaveLength(3);
  });

  it("shows one record and searches in any spelling", async () => {
    const record = JSON.parse(await capture((write) => printRecord(connection, "actor", "ali-larijani", write)));
    expect(record.name).toBe("Ali Larijani");
    const hits = await capture((write) => printSearch(connection, "Araqchi", "table", write));
    expect(hits.split("\n")[0]).toMatch(/^actor\s+abbas-araghchi\s+Abbas Araghchi/);
  });

  it("fails with the API's own words for an unknown id", async () => {
    await expect(printRecord(connection, "event", "1999-nothing", () => {})).rejects.toThrow('no event with id "1999-nothing"');
  });
});
