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
    for (let i = 0; i < 25 && !(app.lastFrame() ?? "").split("\n").find((row) => row.startsWith("›"))?.includes("Secretary of the Supreme National"); i++) {
      app.stdin.write("j");
      await settle();
    }
    app.stdin.write(KEYS.enter);
    const detail = await waitFor(app.lastFrame, (text) => text.includes("Holders, the latest first"));
    expect(detail).toContain("Ali Larijani — Aug 2025 – present (inferred)");
    expect(detail).toContain("Ali Akbar Ahmadian — May 2023 – Aug 2025 (inferred)");
    app.unmount();
  });
});
