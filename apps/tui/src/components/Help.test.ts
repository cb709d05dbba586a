import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KEY_HINT } from "../App.js";
import { KEYS, TEXT_KEYS } from "./Help.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
const docs = readFileSync(join(root, "docs/tui.md"), "utf8");
const readme = readFileSync(join(root, "README.md"), "utf8");
const readmeTui = readme.slice(readme.indexOf("## The terminal UI"), readme.indexOf("\n## ", readme.indexOf("## The terminal UI") + 1));

/** The rows of every `| key | does |` table in a text, in order. */
function documentedKeys(text: string): [string, string][] {
  return text
    .split("\n")
    .filter((line) => /^\| `/.test(line))
    .map((line) => {
      const [, keys, what] = /^\| `(.+)` \| (.+) \|$/.exec(line)!;
      return [keys!, what!];
    });
}

describe("the keys in docs/tui.md and the README", () => {
  it("are the help the program shows, row for row", () => {
    expect(documentedKeys(docs)).toEqual([...KEYS, ...TEXT_KEYS]);
    expect(documentedKeys(readmeTui)).toEqual(KEYS);
  });

  it("captured screens end with the program's own footer", () => {
    expect(readmeTui).toContain(`\n${KEY_HINT}\n\`\`\``);
    expect(docs.split(`\n${KEY_HINT}\n\`\`\``)).toHaveLength(3);
  });
});
