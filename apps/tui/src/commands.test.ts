import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ActorsQuerySchema, EventFiltersSchema, PlacesQuerySchema, SourcesQuerySchema } from "@backchannel/schema";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { printList, printRecord, printSearch, rowCounter } from "./commands.js";
import { connect, isLoopback, patientFetch, TimeoutError } from "./data.js";
import { EVENT_FILTERS, LIST_FILTERS, nearest } from "./program.js";
import { curatedConnection } from "../test/harness.js";

const connection = curatedConnection();
afterAll(() => connection.close());

const decoder = new TextDecoder();
async function capture(run: (write: (text: string | Uint8Array) => void) => Promise<void>) {
  let out = "";
  await run((text) => {
    out += typeof text === "string" ? text : decoder.decode(text, { stream: true });
  });
  return out;
}

describe("non-interactive commands", () => {
  it("prints events for an actor as JSON rows", async () => {
    const out = await capture((write) => printList(connection, "events", { actor: "ali-larijani" }, "json", write));
    const rows = JSON.parse(out) as { id: string; participants: { actor: string }[] }[];
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(row.participants.map((p) => p.actor)).toContain("ali-larijani");
  });

  it("prints a table with a header and one line a row, ids whole, cut to a terminal's width", async () => {
    const out = await capture((write) => printList(connection, "events", { type: "visit" }, "table", write, { width: 120 }));
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^date\s+type\s+sources\s+id\s+title$/);
    expect(lines).toHaveLength(1 + 10);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(120);
    expect(lines.some((line) => line.includes(" 2018-netanyahu-visits-oman "))).toBe(true);
  });

  it("never cuts an id, and cuts nothing when stdout is not a terminal", async () => {
    const all = JSON.parse(await capture((write) => printList(connection, "events", {}, "json", write))) as { id: string; title: string }[];
    for (const width of [40, 80, 120]) {
      const table = await capture((write) => printList(connection, "events", {}, "table", write, { width }));
      for (const event of all) expect(table).toContain(` ${event.id} `);
    }
    const piped = await capture((write) => printList(connection, "events", {}, "table", write, { width: undefined }));
    expect(piped).not.toContain("…");
    for (const event of all) expect(piped.split("\n").find((line) => line.includes(` ${event.id} `))!.endsWith(` ${event.title.replace(/\s+/g, " ")}`)).toBe(true);
  });

  it("streams CSV from the API, every row, honours --limit and --bom", async () => {
    const all = await capture((write) => printList(connection, "actors", {}, "csv", write));
    expect(all.trimEnd().split("\r\n")).toHaveLength(1 + 56);
    expect(all.startsWith("\uFEFF")).toBe(false);
    const two = await capture((write) => printList(connection, "actors", {}, "csv", write, { limit: 2 }));
    expect(two.trimEnd().split("\r\n")).toHaveLength(3);
    expect(all.startsWith(two)).toBe(true);
    const bom = await capture((write) => printList(connection, "actors", {}, "csv", write, { bom: true, limit: 1 }));
    expect(bom.startsWith("\uFEFFid,")).toBe(true);
    const ndjson = await capture((write) => printList(connection, "events", { sort: "-date" }, "ndjson", write, { limit: 3 }));
    const dates = ndjson.trimEnd().split("\n").map((line) => (JSON.parse(line) as { date: { start: string } }).date.start);
    expect(dates).toHaveLength(3);
    expect(dates).toEqual([...dates].sort().reverse());
    const byTitle = await capture((write) => printList(connection, "events", { sort: "-title" }, "ndjson", write));
    const titles = byTitle.trimEnd().split("\n").map((line) => (JSON.parse(line) as { title: string }).title.toLowerCase());
    expect(titles.length).toBeGreaterThan(1);
    expect(titles).toEqual([...titles].sort().reverse());
  });

  it("counts CSV rows by their ends, never by a line break inside a quoted field, across any chunking", () => {
    const field = fc.oneof(fc.string(), fc.constantFrom('a "quoted" word', "two\r\nlines", "comma, inside", ""));
    const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 64 }), (rows, wanted, size) => {
        const csv = new TextEncoder().encode(rows.map((row) => `${row.map(quote).join(",")}\r\n`).join(""));
        const count = rowCounter("csv");
        let left = wanted;
        let kept = 0;
        for (let at = 0; at < csv.length; at += size) {
          const chunk = csv.subarray(at, at + size);
          const { cut, rows: ends } = count(chunk, left);
          if (cut >= 0) {
            kept = at + cut;
            break;
          }
          left -= ends;
          kept = at + chunk.length;
        }
        const expected = rows.slice(0, wanted).map((row) => `${row.map(quote).join(",")}\r\n`).join("");
        expect(new TextDecoder().decode(csv.subarray(0, kept))).toBe(expected);
      }),
    );
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

describe("the command line's options", () => {
  it("offers every filter the API's schema has, repeatable where the API takes several", () => {
    // A filter the API takes several of has an array among its zod definitions.
    const takesArray = (schema: unknown): boolean => {
      const def = (schema as { def?: Record<string, unknown> }).def;
      if (!def) return false;
      if (def.type === "array") return true;
      return [def.innerType, ...((def.options as unknown[]) ?? [])].some((inner) => inner !== undefined && takesArray(inner));
    };
    const arity = (shape: Record<string, unknown>, skip: string[]) =>
      Object.fromEntries(Object.keys(shape).filter((key) => !skip.includes(key)).map((key) => [key, takesArray(shape[key]) ? "many" : "one"]));
    // Paging, format and the CSV byte order mark are options of every list, not filters.
    const paging = ["limit", "cursor", "format", "bom"];
    expect(EVENT_FILTERS).toEqual(arity(EventFiltersSchema.shape, []));
    expect(LIST_FILTERS.actors).toEqual(arity(ActorsQuerySchema.shape, paging));
    expect(LIST_FILTERS.sources).toEqual(arity(SourcesQuerySchema.shape, paging));
    expect(LIST_FILTERS.places).toEqual(arity(PlacesQuerySchema.shape, paging));
  });

  it("suggests the nearest word for a typo, and none for something unrelated", () => {
    expect(nearest("evnets", ["events", "actors", "sources"])).toBe("events");
    expect(nearest("-dat", ["date", "-date"])).toBe("-date");
    expect(nearest("zzzzzz", ["events", "actors"])).toBeUndefined();
  });
});

describe("a stalled or failing API", () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });
  async function serve(handler: Parameters<typeof createServer>[1]) {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("gives up after the timeout and names the server that did not answer", async () => {
    const base = await serve(() => {}); // accepts, never answers
    const stalled = await connect({ api: base, snapshot: "", timeoutSeconds: 0.3 });
    const started = Date.now();
    const failure = await printList(stalled, "events", {}, "csv", () => {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TimeoutError);
    expect((failure as Error).message).toBe(`the API at ${base} did not answer within 0.3 s (--timeout sets the limit)`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("asks this machine's API for an export uncompressed, and leaves a remote one's coding to fetch", async () => {
    const asked: (string | undefined)[] = [];
    const base = await serve((request, response) => {
      asked.push(request.headers["accept-encoding"]);
      response.writeHead(200, { "content-type": "text/csv" }).end("id\r\none\r\n");
    });
    const local = await connect({ api: base, snapshot: "" });
    expect(await capture((write) => printList(local, "events", {}, "csv", write))).toBe("id\r\none\r\n");
    expect(asked).toEqual(["identity"]);
    for (const host of ["http://localhost:8787", "http://127.0.0.1", "http://127.3.2.1:80", "http://[::1]:8787"]) expect(isLoopback(new URL(host)), host).toBe(true);
    for (const host of ["http://api.example.org", "http://10.0.0.11:8801", "http://[2001:db8::1]", "http://127.example.org"]) expect(isLoopback(new URL(host)), host).toBe(false);
    expect((await connect({ api: "http://api.example.org", snapshot: "" })).exportHeaders).toEqual({});
  });

  it("gives up on a stream that stops half-way", async () => {
    const base = await serve((_, response) => {
      response.writeHead(200, { "content-type": "text/csv" });
      response.write("id,title\r\nfirst,row\r\n"); // then nothing more
    });
    const stalled = await connect({ api: base, snapshot: "", timeoutSeconds: 0.3 });
    let out = "";
    const failure = await printList(stalled, "events", {}, "csv", (text) => void (out += typeof text === "string" ? text : decoder.decode(text))).catch((error: unknown) => error);
    expect(out).toBe("id,title\r\nfirst,row\r\n");
    expect(failure).toBeInstanceOf(TimeoutError);
  });

  it("retries a GET that met a 503 or a refused connection, with backoff, then answers", async () => {
    let calls = 0;
    const base = await serve((_, response) => {
      calls++;
      if (calls < 3) return response.writeHead(503).end();
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const fetcher = patientFetch(base, 2, fetch, 10);
    const answer = await fetcher(`${base}/anything`);
    expect(answer.status).toBe(200);
    expect(calls).toBe(3);
    calls = 0;
    const post = await fetcher(`${base}/anything`, { method: "POST" });
    expect(post.status).toBe(503); // not idempotent: never repeated
    expect(calls).toBe(1);
  });

  it("stops retrying a 503 after a bounded number of attempts", async () => {
    let calls = 0;
    const base = await serve((_, response) => {
      calls++;
      response.writeHead(503).end();
    });
    const answer = await patientFetch(base, 2, fetch, 5)(`${base}/x`);
    expect(answer.status).toBe(503);
    expect(calls).toBe(4);
  });
});
