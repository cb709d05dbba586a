import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { render } from "ink-testing-library";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "./App.js";
import { connect, unwrap, type Connection } from "./data.js";
import { countingConnection, curatedConnection, KEYS, waitFor } from "../test/harness.js";

const connection = curatedConnection();
const counted = countingConnection();
afterAll(() => {
  connection.close();
  counted.close();
});

async function start(through: Connection = connection) {
  const app = render(<App connection={through} />);
  await waitFor(app.lastFrame, (text) => text.includes("64 events"));
  // Ink attaches key handlers in effects, just after a frame is drawn: give each key a moment.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  await settle();
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await settle();
    }
  };
  const until = async (text: string) => {
    const frame = await waitFor(app.lastFrame, (current) => current.includes(text));
    await settle();
    return frame;
  };
  /** Moves down until the selected line contains `text`. */
  const selectLine = async (text: string) => {
    for (let i = 0; i < 40; i++) {
      const line = (app.lastFrame() ?? "").split("\n").find((row) => row.startsWith("›"));
      if (line?.includes(text)) return line;
      await press("j");
    }
    return undefined;
  };
  /** Sends `chunk` as one write, as a terminal does with fast typing, key repeat or a paste. */
  const send = async (chunk: string) => {
    app.stdin.write(chunk);
    await steady();
  };
  /** Waits until the screen has not changed for a moment: every key of the chunk is handled. */
  const steady = async () => {
    let last: string | undefined;
    for (let i = 0; i < 50 && app.lastFrame() !== last; i++) {
      last = app.lastFrame();
      await settle();
    }
  };
  const selected = () => (app.lastFrame() ?? "").split("\n").find((row) => row.startsWith("›"));
  /** Waits until the selected line is `text`'s, or the time is up. */
  const selects = async (text: string) => waitFor(() => selected(), (line) => line.includes(text));
  return { ...app, press, until, selectLine, send, selected, selects };
}

describe("the terminal UI", () => {
  it("opens on the events list with its columns, the timeline strip and the count", async () => {
    const { lastFrame, unmount } = await start();
    const frame = lastFrame()!;
    expect(frame).toContain("1 Events");
    expect(frame).toMatch(/date\s+type\s+title/);
    expect(frame).toContain("2002-06");
    expect(frame).toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(frame).toContain("64 events");
    unmount();
  });

  it("searches Araqchi, lands on Abbas Araghchi, and goes back step by step", async () => {
    const { press, until, lastFrame, unmount } = await start();
    await press("/");
    await until("Search:");
    await press(..."Araqchi", KEYS.enter);
    expect(await until("Abbas Araghchi")).toContain("(as “Abbas Araqchi”)");
    await press(KEYS.enter);
    const actor = await until("Positions");
    expect(actor).toContain("Minister of Foreign Affairs of Iran: 2024-08 – present");
    expect(actor).toContain("Abbas Araqchi");
    await press(KEYS.escape);
    await until("Search: “Araqchi”");
    await press(KEYS.escape);
    expect(await until("64 events")).toContain("1 Events");
    expect(lastFrame()).not.toContain("Positions");
    unmount();
  });

  it("follows event → actor → event and back all the way", async () => {
    const { press, until, selectLine, unmount } = await start();
    await press(KEYS.enter);
    const event = await until("Participants");
    expect(event).toContain("2002-06-acd-founded-in-cha-am");
    expect(await selectLine("Organiser")).toContain("Asia Cooperation Dialogue");
    await press(KEYS.enter);
    const actor = await until("Multilateral forum");
    expect(actor).toContain("Asia Cooperation Dialogue");
    expect(await selectLine("Asia Cooperation Dialogue summit in Doha")).toBeTruthy();
    await press(KEYS.enter);
    expect(await until("Qatar")).toContain("2024-10-acd-summit-in-doha");
    await press(KEYS.escape);
    await until("multilateral-forum");
    await press(KEYS.escape);
    await until("2002-06-acd-founded-in-cha-am");
    await press(KEYS.escape);
    expect(await until("64 events")).toContain("1 Events");
    unmount();
  });

  it("switches tabs with Tab and number keys", async () => {
    const { press, until, unmount } = await start();
    await press(KEYS.tab);
    expect(await until("56 actors")).toMatch(/name\s+kind\s+country/);
    await press("3");
    expect(await until("5 sources")).toContain("~2024-10-01");
    await press("4");
    expect(await until("21 places")).toContain("Al Alam Palace");
    unmount();
  });

  it("filters events by actor and type, and x clears the filters", async () => {
    const { press, until, unmount } = await start();
    await press("f");
    await until("Filter events");
    await press(..."ali-larijani", KEYS.down, ..."visit", KEYS.enter);
    const filtered = await until("1 event matching actor=ali-larijani type=visit");
    expect(filtered).toContain("Larijani visits Oman after the Muscat talks");
    await press("x");
    await until("64 events");
    unmount();
  });

  it("offers the record's actors in any spelling and the vocabularies in the filter form", async () => {
    const { send, press, until, unmount } = await start();
    await send("f");
    await until("Filter events");
    await send("Laridjani");
    expect(await until("ali-larijani")).toContain("Ali Larijani");
    await press(KEYS.tab);
    await until("actor  ali-larijani");
    await press(KEYS.down);
    await send("visi");
    await until(" visit ");
    await send("t\r"); // a paste that ends with Enter applies the form, without the Enter in the value
    const filtered = await until("1 event matching actor=ali-larijani type=visit");
    expect(filtered).toContain("Larijani visits Oman after the Muscat talks");
    unmount();
  });

  it("shows the help overlay and the permalink of the selected record", async () => {
    const { press, until, unmount } = await start();
    await press("?");
    const help = await until("Keys");
    expect(help).toContain("search (any spelling");
    // the overlay takes its lines from the body: the screen keeps its height and its header
    expect(help.split("\n").length).toBeLessThanOrEqual(30);
    expect(help.split("\n")[0]).toContain("Backchannel");
    await press("z");
    await press("o");
    const link = await until("API:");
    expect(link).toContain("event 2002-06-acd-founded-in-cha-am\nweb: /events/2002-06-acd-founded-in-cha-am\n");
    expect(link).toContain("API: http://localhost:8787/api/v1/events/2002-06-acd-founded-in-cha-am");
    unmount();
  });

  describe("keys that arrive together", () => {
    it("handles every key of a chunk, in order", async () => {
      const { press, send, selected, selects, unmount } = await start();
      const first = selected()!;
      await press("j", "j", "j", "j"); // one key a write: the reference
      const fourth = selected()!;
      expect(fourth).not.toBe(first);
      await press("k", "k", "k", "k");
      expect(selected()).toBe(first);
      await send("jjjj");
      expect(await selects(fourth)).toBe(fourth);
      await send("kkkk");
      expect(await selects(first)).toBe(first);
      await send("\u001B[B".repeat(4));
      expect(await selects(fourth)).toBe(fourth);
      unmount();
    });

    it("takes a key held with Ctrl as its own key or nothing, never the letter", async () => {
      const { send, selected, unmount } = await start();
      const first = selected();
      await send("\n"); // Ctrl-J
      await send("\u000B"); // Ctrl-K
      await send("\u0007"); // Ctrl-G
      await send("jj\u0007"); // j j Ctrl-G: Ctrl-G does not go back to the top
      expect(selected()).not.toBe(first);
      await send("\u0007\u0007");
      expect(selected()).not.toBe(first);
      unmount();
    });

    it("treats a pasted text with Enter as typing then submitting, in the search box", async () => {
      const { send, until, unmount } = await start();
      await send("/");
      await until("Search:");
      await send("Araqchi\r");
      expect(await until("Abbas Araghchi")).toContain("(as “Abbas Araqchi”)");
      unmount();
    });

    it("opens the search box, types and submits from one chunk", async () => {
      const { send, until, unmount } = await start();
      await send("/Araqchi\r");
      const found = await until("Abbas Araghchi");
      expect(found).toMatch(/Search: “Araqchi” — \d+ results?/);
      unmount();
    });

    it("keeps a paste without Enter as typed text", async () => {
      const { send, until, lastFrame, unmount } = await start();
      await send("/");
      await until("Search:");
      await send("Muscat talks");
      expect(await until("Muscat talks")).toContain("Search: Muscat talks");
      expect(lastFrame()).not.toContain("results");
      unmount();
    });
  });

  it("counts in the singular and the plural", async () => {
    const { send, until, unmount } = await start();
    await send("/Falcons\r");
    expect(await until("Search: “Falcons”")).toContain("— 1 result\n");
    await send("\u001B/Netanyahu\r");
    expect(await until("Search: “Netanyahu”")).toContain("— 3 results\n");
    unmount();
  });

  it("goes back to the same list, selection and scroll, without a request", async () => {
    const { press, until, selected, selects, lastFrame, unmount } = await start(counted);
    await press(..."j".repeat(30));
    const thirtieth = selected();
    const before = lastFrame()!;
    const requests = counted.requests.length;
    await press(KEYS.enter);
    await until("Participants");
    await press(KEYS.escape);
    expect(await selects(thirtieth!.slice(1, 30))).toBe(thirtieth);
    expect(lastFrame()).toBe(before);
    expect(counted.requests.slice(requests)).toEqual([expect.stringMatching(/\/api\/v1\/events\/[\w-]+$/)]);
    unmount();
  });

  it("shows the full link of the search result selected", async () => {
    const { send, press, until, selected, unmount } = await start();
    await send("/Muscat\r");
    await until("Search: “Muscat”");
    await send("jjj");
    const line = selected()!;
    await press("o");
    const shown = await until("API:");
    const hits = await unwrap(connection.client.api.v1.search.$get({ query: { q: "Muscat", limit: "50" } }));
    const hit = hits.data.find((candidate) => line.slice(3).startsWith(candidate.label.slice(0, 30)))!;
    expect(hit).toBeDefined();
    expect(shown).toContain(`${hit.kind} ${hit.id}\n`);
    expect(shown).toContain(`API: http://localhost:8787/api/v1/${hit.kind}s/${hit.id}`);
    unmount();
  });

  it("narrows the list in view as you type, in any spelling, and sorts it with s", async () => {
    const { send, press, until, selected, lastFrame, unmount } = await start();
    await send("2");
    await until("56 actors");
    await send("nAraqchi");
    const narrowed = await until("narrow: Araqchi");
    expect(narrowed).toContain("Abbas Araghchi");
    expect(narrowed).toMatch(/\(1 of 56\)/);
    // Typing took every key: `q` and `2` did not quit or switch tabs.
    await send("\u007F".repeat(7));
    await until("(56 of 56)");
    await send("q2\r");
    expect(await until("narrow: q2 ")).toContain("(0 of 56)");
    await press(KEYS.escape);
    await until("56 actors");
    expect(lastFrame()).not.toContain("narrow:");
    await send("s");
    await until("sorted by name");
    const names = lastFrame()!.split("\n").filter((row) => /^[› ]\S/.test(row)).map((row) => row.slice(1, 40).trim());
    expect(names.length).toBeGreaterThan(5);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(selected()).toBeDefined();
    unmount();
  });

  it("says which API did not answer in time, rather than waiting for the operating system", async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = render(<App connection={await connect({ api: base, snapshot: "", timeoutSeconds: 0.5 })} />);
    expect(await waitFor(app.lastFrame, (text) => text.includes("did not answer"))).toContain(`the API at ${base} did not answer within 0.5 s`);
    app.unmount();
    server.closeAllConnections();
    server.close();
  });

  it("says which API it could not reach", async () => {
    const offline = await connect({ api: "http://127.0.0.1:9", snapshot: "" });
    const app = render(<App connection={offline} />);
    expect(await waitFor(app.lastFrame, (text) => text.includes("cannot reach"))).toContain("cannot reach the API at http://127.0.0.1:9");
    app.unmount();
  });
});
