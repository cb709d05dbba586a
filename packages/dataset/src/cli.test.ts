import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validRecords, writeArticles, writeDataset } from "../test/fixture-dataset.js";
import { main } from "./cli.js";

const here = dirname(fileURLToPath(import.meta.url));
const broken = join(here, "../test/fixtures/broken");

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (line) => out.push(line), (line) => err.push(line), env);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("data:check", () => {
  it("prints every problem of a broken dataset as file:line:column field — message, and fails", async () => {
    const { code, err, out } = await run(["check", broken]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.replaceAll(`${broken}/`, "")).toBe(
      [
        "actors/ali-larijani.yaml:4:1 (file) — YAML: Map keys must be unique",
        "events/empty.yaml:1:1 (file) — the file is empty",
        'events/larijani-visit.yaml:5:10 date.start — expected a date as text; in YAML quote a bare year: "2018"',
        'events/larijani-visit.yaml:10:34 participants[0].role — Invalid option: expected one of "host"|"visitor"|"welcoming-official"|"delegation-member"|"mediator"|"party"|"speaker"|"addressee"|"caller"|"inviter"|"invitee"|"organiser"|"attendee"|"initiator"|"attacker"|"target"|"supporting-force"|"subject"',
        "events/larijani-visit.yaml:11:12 citations — every event cites at least one source",
        "events/larijani-visit.yaml:12:11 hashtags — unknown field hashtags",
        "events/README.txt:1:1 (file) — not a .yaml record; rename it or move it out of data/",
        'places/muscat.yaml:3:7 kind — Invalid option: expected one of "country"|"region"|"province"|"city"|"palace"|"venue"|"sea"',
        "places/muscat.yaml:4:10 country — expected an ISO 3166-1 alpha-2 country code such as IR or OM",
        "places/muscat.yaml:5:11 latitude — Too big: expected number to be <=90",
        "posts/secretary.yaml:3:15 (file) — YAML: Implicit keys need to be on a single line",
        "posts/secretary.yaml:3:15 (file) — YAML: Nested mappings are not allowed in compact mappings",
        "sources/a-source.yaml:6:3 outlet.note — say why the outlet is inferred or unknown",
        "sources/a-source.yaml:8:9 published.date — not a date on the calendar",
        "",
        `14 errors in ${broken}; nothing was loaded.`,
      ].join("\n"),
    );
  });

  it("verifies quotes against the articles named by BACKCHANNEL_ARTICLES, and says where a quote fails", async () => {
    const data = writeDataset(validRecords());
    const verified = await run(["check", data], { BACKCHANNEL_ARTICLES: writeArticles() });
    expect(verified.code).toBe(0);
    expect(verified.out).toContain("✓ quotes, quotations and source spellings verified against the articles");
    expect(verified.err).toBe("");

    const records = validRecords();
    (records.events[0]!.citations as { quote: string }[])[0]!.quote = "talks were held in Salalah";
    const misquoted = writeDataset(records);
    const failed = await run(["check", misquoted], { BACKCHANNEL_ARTICLES: writeArticles() });
    expect(failed.code).toBe(1);
    expect(failed.err.replaceAll(`${misquoted}/`, "")).toContain(
      'events/2026-02-06-talks.yaml:20:12 citations[0].quote — "talks were held in Salalah" is not in paragraph 1 of source "a-source"; quote the article verbatim',
    );
  });

  it("says loudly that quotes were not verified without the articles, and fails so in CI", async () => {
    const data = writeDataset(validRecords());
    const local = await run(["check", data], { BACKCHANNEL_ARTICLES: join(data, "no-articles") });
    expect(local.code).toBe(0);
    expect(local.err).toContain("⚠ QUOTES WERE NOT VERIFIED");
    const ci = await run(["check", data], { BACKCHANNEL_ARTICLES: join(data, "no-articles"), CI: "true" });
    expect(ci.code).toBe(1);
    expect(ci.err).toContain("set BACKCHANNEL_ARTICLES to their folder");
    expect(ci.out).toBe("");
  });

  it("answers a wrong call with its usage and exit code 2", async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringContaining("usage: backchannel-data check <data-dir>") });
    expect((await run(["load", "data"])).code).toBe(2);
    expect((await run(["snapshot", "data"])).code).toBe(2);
  });

  it("reports a missing folder without a stack trace", async () => {
    const { code, err } = await run(["check", join(here, "no-such-data")]);
    expect(code).toBe(1);
    expect(err).toContain("missing folder for places");
    expect(err).not.toMatch(/\n\s+at /);
  });
});
