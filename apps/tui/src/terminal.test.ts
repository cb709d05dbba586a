import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { curatedSnapshot, privateTmux } from "../test/harness.js";

/**
 * The built binary in a real terminal: tmux runs it, send-keys types, capture-pane reads the
 * screen. CI installs tmux; elsewhere the test says loudly that it was skipped.
 */
const binary = join(dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");
const haveTmux = spawnSync("tmux", ["-V"]).status === 0;
if (!haveTmux) console.warn("\n⚠ tmux is not installed: the terminal test of the built binary was SKIPPED (apt-get install tmux to run it)\n");
let session = `backchannel-test-${process.pid}`;

const { tmux, quietly, stop } = privateTmux("terminal");
const screen = () => tmux("capture-pane", "-p", "-t", session);
// Generous: on a machine shared by many jobs the first frame can take seconds.
async function until(text: string | RegExp, timeout = 25_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const current = screen();
    if ((typeof text === "string" ? current.includes(text) : text.test(current)) || Date.now() - started > timeout) return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
/** One send-keys call: tmux writes its keys to the terminal together, as fast typing or a paste. */
const keys = async (...sequence: string[]) => {
  tmux("send-keys", "-t", session, ...sequence);
  await new Promise((resolve) => setTimeout(resolve, 150));
};
const selectedLine = () => screen().split("\n").find((line) => line.startsWith("›")) ?? "";
function start(name: string, snapshot: string, env: string[] = []) {
  session = `backchannel-${name}-${process.pid}`;
  tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "32", "-e", `BACKCHANNEL_SNAPSHOT=${snapshot}`, ...env.flatMap((pair) => ["-e", pair]), `node ${binary}; echo "exited with $?"; sleep 60`);
}
/** The SGR codes on screen (colours, bold, dim, inverse), as tmux keeps them. */
const styles = () => new Set([...tmux("capture-pane", "-p", "-e", "-t", session).matchAll(/\u001B\[([\d;]*)m/g)].flatMap((match) => match[1]!.split(";")));
const COLOURS = /^(3[0-7]|9[0-7]|38)$/;

describe("the backchannel binary for scripts", () => {
  const snapshot = curatedSnapshot();
  it("stops quietly when the reader closes the pipe early", () => {
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

  it("gives up on an API that accepts and never answers, after --timeout, naming it", async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const child = spawn("node", [binary, "events", "--api", base, "--timeout", "0.5"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    server.closeAllConnections();
    server.close();
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`backchannel: the API at ${base} did not answer within 0.5 s (--timeout sets the limit)`);
  });

  it("says what it did not understand, suggests the nearest command or option, and exits 2", () => {
    const run = (...args: string[]) => spawnSync("node", [binary, ...args], { encoding: "utf8", env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot } });
    const typo = run("evnets");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("unknown command 'evnets'\n(Did you mean events?)");
    const unknown = run("nope");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'nope'");
    const option = run("events", "--sortt", "-date");
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("unknown option '--sortt'\n(Did you mean --sort?)");
    const sort = run("events", "--sort", "dat");
    expect(sort.status).toBe(2);
    expect(sort.stderr).toContain('--sort takes date, -date, type, -type, title or -title, not "dat"\n(Did you mean date?)');
    // --help lists every order the API accepts
    expect(run("events", "--help").stdout.replace(/\s+/g, " ")).toContain("date, -date, type, -type, title or -title");
    const version = run("--version");
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(dirname(binary), "../package.json"), "utf8")).version);
  });

  it("sorts with --sort -date and --sort=-date, newest first", () => {
    for (const args of [["--sort", "-date"], ["--sort=-date"]]) {
      const result = spawnSync("node", [binary, "events", ...args, "--format", "ndjson"], { encoding: "utf8", env: { ...process.env, BACKCHANNEL_SNAPSHOT: snapshot } });
      expect(result.status).toBe(0);
      const starts = result.stdout.trimEnd().split("\n").map((line) => (JSON.parse(line) as { date: { start: string } }).date.start);
      expect(starts).toHaveLength(64);
      expect(starts).toEqual([...starts].sort().reverse());
    }
  });
});

describe.skipIf(!haveTmux)("the backchannel binary in tmux", () => {
  let snapshot: string;
  beforeAll(() => {
    if (!existsSync(binary)) throw new Error(`build the TUI first: ${binary} is missing`);
    snapshot = curatedSnapshot();
  });
  afterEach(() => quietly("kill-session", "-t", session));
  afterAll(stop);

  it("opens, searches Araqchi, opens the actor, goes back and quits cleanly", async () => {
    start("flow", snapshot, ["FORCE_COLOR=1"]);
    const opened = await until("64 events");
    // Colour marks meaning; text keeps the terminal's own foreground, never bright black (90).
    const forced = styles();
    expect([...forced].some((code) => COLOURS.test(code))).toBe(true);
    expect(forced.has("90")).toBe(false);
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
    // Drawn on the alternate screen: quitting gives the terminal back as it was.
    expect(after).not.toContain("1 Events");
  }, 120_000);

  it("takes keys that arrive together, a paste with Enter, a resize, and Ctrl-C after a key", async () => {
    start("chunks", snapshot, ["NO_COLOR=1", "FORCE_COLOR=1"]);
    await until("64 events");
    // NO_COLOR wins: no colour at all, only bold, dim and inverse video.
    expect([...styles()].filter((code) => COLOURS.test(code))).toEqual([]);
    expect(selectedLine()).toContain("Asia Cooperation Dialogue inaugurated");
    await keys("jjjj");
    await until(/^›.*Netanyahu visits Oman/m);
    expect(selectedLine()).toContain("Netanyahu visits Oman");
    await keys("Down", "Down", "Up", "Down", "Down", "Down");
    await until(/^›.*Sultan Haitham visits Iran/m);
    expect(selectedLine()).toContain("Sultan Haitham visits Iran");

    await keys("/", "Araqchi", "Enter");
    expect(await until("Abbas Araghchi")).toContain("Search: “Araqchi”");

    tmux("resize-window", "-t", session, "-x", "80", "-y", "24");
    // Redrawn for the new size, nothing of the old frame left (one header, one title, one footer).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const rows = (await until("Search: “Araqchi”")).split("\n");
    expect(rows.filter((row) => row.includes("1 Events"))).toHaveLength(1);
    expect(rows.filter((row) => row.includes("Search: “Araqchi”"))).toHaveLength(1);
    expect(rows.filter((row) => row.includes("Enter open"))).toHaveLength(1);

    await keys("j", "C-c");
    const after = await until("exited with");
    expect(after).toContain("exited with 0");
    expect(after).not.toContain("1 Events");
  }, 120_000);
});
