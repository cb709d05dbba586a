import { render } from "ink-testing-library";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "./App.js";
import { curatedConnection, KEYS, waitFor } from "../test/harness.js";

const connection = curatedConnection();
afterAll(() => connection.close());
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("the Offices tab", () => {
  it("lists the offices with their holders, and Enter opens one with its tenures and sources", async () => {
    const app = render(<App connection={connection} />);
    await waitFor(app.lastFrame, (text) => text.includes("55 events"));
    await settle();
    app.stdin.write("5");
    const list = await waitFor(app.lastFrame, (text) => text.includes("20 offices"));
    expect(list).toMatch(/office\s+held by/);
    // The first office by title is selected: Enter opens it, once Ink has attached its keys.
    expect(list.split("\n").find((row) => row.startsWith("›"))).toContain("Adviser to the Supreme Leader of Iran");
    await settle();
    app.stdin.write(KEYS.enter);
    const detail = await waitFor(app.lastFrame, (text) => text.includes("Holders, the latest first"));
    expect(detail).toContain("Adviser to the Supreme Leader of Iran");
    expect(detail).toContain("Ali Larijani — dates not recorded");
    expect(detail).toMatch(/Press Media of India.*, 2026-02-12, ¶ 5/);
    app.unmount();
  });
});
