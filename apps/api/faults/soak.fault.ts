// The soak (`npm run soak`, 10 minutes by default; RELIABILITY.md has its last full run), here for
// 20 s so the script keeps working: every request answered, exports whole or dropped by the
// reader, idle sockets held, and the API stops cleanly. RSS is judged by the full run only: in
// 20 s the caches are still filling.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, syntheticSnapshot } from "./harness.js";

describe("the soak script, for 20 s", () => {
  it("runs the mixed load without a failed request and reports the API's memory", async () => {
    const { snapshot } = await syntheticSnapshot();
    const run = spawnSync(process.execPath, [join(root, "scripts/soak.mjs"), "--seconds", "20", "--warmup", "5", "--idle", "100", "--snapshot", snapshot, "--json"], { encoding: "utf8", timeout: 120_000 });
    expect(run.status === 0 || run.status === 1, run.stderr).toBe(true);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, unknown> & { byStatus: Record<string, number> };
    console.log(`soak, 20 s: ${run.stdout.trim()}`);
    expect(summary.failures).toBe(0);
    expect(summary.apiExit).toBe(0);
    expect(summary.requests).toBeGreaterThan(0);
    expect(summary.exportsWhole).toBeGreaterThan(0);
    expect(summary.idleOpened).toBeGreaterThanOrEqual(100);
    expect(Object.keys(summary.byStatus).every((status) => Number(status) < 500)).toBe(true);
    expect(summary.rssEndMb).toBeGreaterThan(0);
  });
});
