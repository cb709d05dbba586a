import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ARTICLES_ENV, articlesDir, buildSnapshotFromDataset, loadDataset } from "@backchannel/dataset";
import { afterAll, describe, expect, it } from "vitest";
import { connect, unwrap } from "../data.js";
import { dataDir, privateTmux } from "../../test/harness.js";

/**
 * `backchannel draft` and `review` as a curator runs them: the built binary, a fixture article of
 * our own, a scratch copy of data/. The review screen runs in tmux (CI installs it).
 */
const here = dirname(fileURLToPath(import.meta.url));
const binary = join(here, "../../dist/cli.js");
const fixture = join(here, "../../../../packages/curation/test/fixtures/muscat-talks.txt");
const haveTmux = spawnSync("tmux", ["-V"]).status === 0;
if (!haveTmux) console.warn("\n⚠ tmux is not installed: the review screen's terminal test was SKIPPED (apt-get install tmux to run it)\n");

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), "backchannel-draft-cli-"));
  cpSync(dataDir, join(dir, "data"), { recursive: true });
  return { dir, data: join(dir, "data"), out: join(dir, "drafts") };
}
// The validated-record cache of these runs stays in a scratch folder, not the user's ~/.cache.
// So does any article a write places (BACKCHANNEL_ARTICLES): never into the real articles folder.
const cache = mkdtempSync(join(tmpdir(), "backchannel-cache-"));
const scratchArticles = mkdtempSync(join(tmpdir(), "backchannel-articles-"));
const cli = (args: string[], input?: string | Buffer) => spawnSync("node", [binary, ...args], { encoding: "utf8", input, timeout: 60_000, env: { ...process.env, BACKCHANNEL_CACHE: cache, [ARTICLES_ENV]: scratchArticles } });

describe("backchannel draft on bad input: a clear error, a non-zero exit, nothing written", () => {
  const { dir, data, out } = scratch();
  const write = (name: string, content: string | Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  it.each([
    ["an empty file", () => write("empty.txt", ""), [], /the article is empty/],
    ["binary data", () => write("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])), [], /binary data/],
    ["a 5 MB text", () => write("huge.txt", "The minister met the sultan. ".repeat(180_000)), [], /reads at most 1 MB/],
    ["a malformed --published", () => fixture, ["--published", "2026-02-30"], /--published takes a date as YYYY-MM-DD/],
    ["a --published window that ends before it starts", () => fixture, ["--published", "2026-03-04..2026-03-01"], /a window ends after it starts/],
    ["an undated article without --published", () => write("undated.txt", "The minister met the sultan on Tuesday.\n"), [], /pass it with --published/],
    ["a missing file", () => join(dir, "nowhere.txt"), [], /no such file/],
  ] as const)("%s", (_, file, extra, message) => {
    const result = cli(["draft", file(), ...extra, "--out", out, "--data", data]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  }, 90_000);

  it("takes a publication window and resolves the article's phrases on both of its days", () => {
    const result = cli(["draft", "-", "--published", "2024-10-01..2024-10-02", "--format", "json", "--data", data], "Abbas Araqchi met Badr Albusaidi in Muscat this week.\n");
    expect(result.status).toBe(0);
    const draft = JSON.parse(result.stdout);
    expect(draft.source.published).toMatchObject({ date: "2024-10-01", end: "2024-10-02" });
    expect(draft.events[0].date).toMatchObject({ start: "2024-09-30", end: "2024-10-02", window: true });
  }, 90_000);

  it("strips HTML and says so", () => {
    const result = cli(["draft", "-", "--published", "2026-03-04", "--format", "json", "--data", data], "<html><body><h1>Talks</h1><p>Abbas Araqchi met Badr Albusaidi in Muscat on Monday.</p></body></html>");
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/HTML: its tags were stripped/);
    expect(JSON.parse(result.stdout).source.paragraphs).toBe(2);
  }, 90_000);

  it("refuses an unknown format and an unknown proposal id", () => {
    expect(cli(["draft", fixture, "--format", "xml", "--data", data]).status).toBe(2);
    const drafted = cli(["draft", fixture, "--published", "2026-03-04", "--out", out, "--data", data]);
    expect(drafted.status).toBe(0);
    const folder = join(out, readdirSync(out)[0]!);
    const review = cli(["review", folder, "--accept", "e1,e99", "--data", data]);
    expect(review.status).toBe(2);
    expect(review.stderr).toMatch(/no proposal e99/);
  }, 180_000);
});

describe.skipIf(!haveTmux)("the review screen in a real terminal", () => {
  const session = `backchannel-review-${process.pid}`;
  const { tmux, quietly, stop } = privateTmux("review");
  afterAll(() => {
    quietly("kill-session", "-t", session);
    stop();
  });
  const until = async (text: string, timeout = 60_000) => {
    const started = Date.now();
    for (;;) {
      const screen = tmux("capture-pane", "-p", "-t", session);
      if (screen.includes(text) || Date.now() - started > timeout) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const keys = async (...sequence: string[]) => {
    for (const key of sequence) {
      tmux("send-keys", "-t", session, key);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  it("drafts a fixture article, accepts two proposals, rejects one, writes; data:check is clean and the API shows the new event", async () => {
    const { data, out } = scratch();
    const drafted = cli(["draft", fixture, "--published", "2026-03-04", "--out", out, "--data", data, "--format", "json"]);
    expect(drafted.status).toBe(0);
    const draft = JSON.parse(drafted.stdout);
    const folder = join(out, draft.source.id);
    // The articles as a curator keeps them: the five (when at hand) in one folder, where `w` adds the new one.
    const shared = articlesDir(join(here, "../../../.."));
    const articles = join(dirname(data), "articles");
    if (existsSync(shared)) cpSync(shared, articles, { recursive: true });
    else mkdirSync(articles);
    // As a curator runs it: without the NODE_ENV=test vitest sets (React picks its build by it).
    tmux("new-session", "-d", "-s", session, "-x", "130", "-y", "34", `env -u NODE_ENV ${ARTICLES_ENV}=${articles} node ${binary} review ${folder} --data ${data}; echo "exited with $?"; sleep 60`);
    expect(await until("proposals")).toContain(`Review ${draft.source.id}`);
    await keys("a", "a", "r");
    expect(await until("2 accepted · 1 rejected")).toContain("2 accepted · 1 rejected");
    await keys("w");
    const written = await until("data:check clean");
    expect(written).toContain("data:check clean");
    await keys("q");
    expect(await until("exited with")).toContain("exited with 0");

    // data:check, as the project runs it. `w` copied the new article beside the others; with the five at
    // hand (always in CI) every quote is checked against them. Without them data:check says so and checks the rest.
    expect(existsSync(join(articles, "muscat-talks.txt"))).toBe(true);
    const env = existsSync(shared) ? { ...process.env, [ARTICLES_ENV]: articles } : process.env;
    const check = spawnSync("node", [join(here, "../../../../packages/dataset/dist/cli.js"), "check", data], { encoding: "utf8", env });
    expect(check.status, check.stderr).toBe(0);

    // The accepted events, through the API in-process, cite the new source; the rejected one is absent.
    const loaded = loadDataset(data);
    if (!loaded.ok) throw new Error("data/ does not load after the write");
    const snapshot = join(mkdtempSync(join(tmpdir(), "backchannel-review-snapshot-")), "snapshot.sqlite");
    buildSnapshotFromDataset(loaded.dataset, snapshot);
    const connection = await connect({ snapshot });
    try {
      const listed = JSON.stringify(await unwrap(connection.client.api.v1.events.$get({ query: { source: draft.source.id } as never })));
      const [first, second, third] = draft.events;
      expect(listed).toContain(first.title);
      expect(listed).toContain(second.title);
      expect(listed).not.toContain(third.title);
    } finally {
      connection.close();
    }
  }, 300_000);
});
