import { render } from "ink-testing-library";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "./App.js";
import { connect } from "./data.js";
import { curatedConnection, KEYS, waitFor } from "../test/harness.js";

const connection = curatedConnection();
afterAll(() => connection.close());

async function start() {
  const app = render(<App connection={connection} />);
  await waitFor(app.lastFrame, (text) => text.includes("55 events"));
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
  return { ...app, press, until, selectLine };
}

describe("the terminal UI", () => {
  it("opens on the events list with its columns, the timeline strip and the count", async () => {
    const { lastFrame, unmount } = await start();
    const frame = lastFrame()!;
    expect(frame).toContain("1 Events");
    expect(frame).toMatch(/date\s+type\s+title/);
    expect(frame).toContain("2002-06");
    expect(frame).toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(frame).toContain("55 events");
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
    expect(await until("55 events")).toContain("1 Events");
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
    expect(await until("55 events")).toContain("1 Events");
    unmount();
  });

  it("switches tabs with Tab and number keys", async () => {
    const { press, until, unmount } = await start();
    await press(KEYS.tab);
    expect(await until("55 actors")).toMatch(/name\s+kind\s+country/);
    await press("3");
    expect(await until("5 sources")).toContain("2024-10-02");
    await press("4");
    expect(await until("20 places")).toContain("Al Alam Palace");
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
    await until("55 events");
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
    expect(await until("API:")).toContain("event 2002-06-acd-founded-in-cha-am — web: /events/2002-06-acd-founded-in-cha-am");
    unmount();
  });

  it("says which API it could not reach", async () => {
    const offline = connect({ api: "http://127.0.0.1:9", snapshot: "" });
    const app = render(<App connection={offline} />);
    expect(await waitFor(app.lastFrame, (text) => text.includes("cannot reach"))).toContain("cannot reach the API at http://127.0.0.1:9");
    app.unmount();
  });
});
