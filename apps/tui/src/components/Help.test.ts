import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KEYS, TEXT_KEYS } from "./Help.js";

const docs = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../../docs/tui.md"), "utf8");

/** The rows of every `| key | does |` table in docs/tui.md, in order. */
function documentedKeys(): [string, string][] {
  return docs
    .split("\n")
    .filter((line) => /^\| `/.test(line))
    .map((line) => {
      const [, keys, what] = /^\| `(.+)` \| (.+) \|$/.exec(line)!;
      return [keys!, what!];
    });
}

describe("the key table of docs/tui.md", () => {
  it("is the help the program shows, row for row", () => {
    expect(documentedKeys()).toEqual([...KEYS, ...TEXT_KEYS]);
  });
});
