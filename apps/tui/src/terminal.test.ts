import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curatedSnapshot } from "../test/harness.js";

/**
 * The built binary in a real terminal: tmux runs it, send-keys types, capture-pane reads the
 * screen. CI installs tmux; elsewhere the test says loudly that it was skipped.
 */
const binary = join(dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");
const haveTmux = spawnSync("tmux", ["-V"]).status === 0;
if (!haveTmux) console.warn("\n⚠ tmux is not installed: the terminal test of the built binary was SKIPPED (apt-get install tmux to run it)\n");
const session = `backchannel-test-${process.pid}`;

const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", session);
async function until(text: string, timeout = 8000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const current = screen();
    if (current.includes(text) || Date.now() - started > timeout) return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const keys = async (...sequence: string[]) => {
  tmux("send-keys", "-t", session, ...sequence);
  await new Promise((resolve) => setTimeout(resolve, 150));
};

describe("the backchannel binary for scripts", () => {
  it("stops quietly when the reader closes the pipe early", () => {
    const snapshot = curatedSnapshot();
    const result = spawnSync("sh", ["-c", `node ${binary} events --format csv | head -n 2`], { encoding: "utf8", env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot } });
    expect(result.stdout.split("\n")[0]).toMatch(/^id,title,start/);
    expect(result.stderr).toBe("");
  });

  it("answers an unknown id in a filter with the API's problem and the closest known ids, and exits 1", () => {
    const snapshot = curatedSnapshot();
    for (const format of ["table", "csv"]) {
      const result = spawnSync("node", [binary, "events", "--actor", "ali-larijany", "--format", format], { encoding: "utf8", env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot } });
      expect(result.status, format).toBe(1);
      expect(result.stdout, format).toBe("");
      expect(result.stderr, format).toMatch(/actor: no actor has the id "ali-larijany"; did you mean ali-larijani/);
    }
  });

  it("names the API it could not reach and exits 1", () => {
    const result = spawnSync("node", [binary, "--api", "http://127.0.0.1:9", "events"], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("backchannel: cannot reach the API at http://127.0.0.1:9");
  });
});

describe.skipIf(!haveTmux)("the backchannel binary in tmux", () => {
  beforeAll(() => {
    if (!existsSync(binary)) throw new Error(`build the TUI first: ${binary} is missing`);
    const snapshot = curatedSnapshot();
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "32", "-e", `BACKCHANNEL_SNAPSHOT=${snapshot}`, `node ${binary}; echo "exited with $?"; sleep 30`);
  });
  afterAll(() => {
    spawnSync("tmux", ["kill-session", "-t", session]);
  });

  it("opens, searches Araqchi, opens the actor, goes back and quits cleanly", async () => {
    const opened = await until("64 events");
    expect(opened).toContain("Backchannel");
    expect(opened).toMatch(/date\s+type\s+title/);

    await keys("/");
    await until("Search:");
    await keys("-l", "Araqchi");
    await keys("Enter");
    expect(await until("Abbas Araghchi")).toContain("Search: “Araqchi”");

    await keys("Enter");
    const actor = await until("Positions");
    expect(actor).toContain("Minister of Foreign Affairs of Iran");

    await keys("Escape");
    expect(await until("results")).toContain("Search: “Araqchi”");
    await keys("Escape");
    expect(await until("64 events")).not.toContain("Positions");

    await keys("q");
    const after = await until("exited with");
    expect(after).toContain("exited with 0");
  }, 60_000);
});
