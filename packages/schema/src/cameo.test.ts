import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CAMEO_CODES, codeEventType, EVENT_TYPES, EventTypeSchema } from "./cameo.js";

// The reference lives in the shared folder beside the repository (as in CI).
const reference = join(dirname(fileURLToPath(import.meta.url)), "../../../../shared/reference/cameo-goldstein.csv");

function parseCsv(text: string): Map<string, { name: string; goldstein: number; quadClass: number }> {
  const rows = new Map<string, { name: string; goldstein: number; quadClass: number }>();
  for (const line of text.trim().split("\n").slice(1)) {
    const match = /^([^,]+),("(?:[^"]|"")*"|[^,]*),([^,]+),([^,]+),([^,]+)$/.exec(line.trim());
    if (!match) throw new Error(`unparsed CSV line: ${line}`);
    const [, code, rawName, goldstein, , quad] = match;
    rows.set(code!, { name: rawName!.replace(/^"|"$/g, "").replace(/""/g, '"'), goldstein: Number(goldstein), quadClass: Number(quad) });
  }
  return rows;
}

describe("CAMEO subset", () => {
  it.skipIf(!existsSync(reference))("matches the reference codebook row for row", () => {
    const codebook = parseCsv(readFileSync(reference, "utf8"));
    for (const [code, entry] of Object.entries(CAMEO_CODES)) {
      expect(codebook.get(code), `code ${code}`).toEqual(entry);
    }
  });

  it("gives every quad class from the code's root (01–05, 06–08, 09–13, 14–20)", () => {
    for (const [code, entry] of Object.entries(CAMEO_CODES)) {
      const root = Number(code.slice(0, 2));
      const expected = root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4;
      expect(entry.quadClass, `code ${code}`).toBe(expected);
    }
  });
});

describe("event types", () => {
  it("map to a code in the shipped subset, or are deliberately uncoded", () => {
    for (const [type, { cameo }] of Object.entries(EVENT_TYPES)) {
      if (cameo === null) expect(type).toBe("death");
      else expect(CAMEO_CODES, type).toHaveProperty(cameo);
    }
  });

  it("derive Goldstein score and quad class from the code", () => {
    expect(codeEventType("visit")).toEqual({
      type: "visit",
      label: "Visit",
      cameo: "042",
      cameoName: "Make a visit",
      goldstein: 1.9,
      quadClass: 1,
    });
    expect(codeEventType("airstrike")).toMatchObject({ cameo: "195", goldstein: -10, quadClass: 4 });
    expect(codeEventType("death")).toMatchObject({ cameo: null, goldstein: null, quadClass: null });
  });

  it("reject a type outside the vocabulary", () => {
    expect(EventTypeSchema.safeParse("coup").success).toBe(false);
  });
});

describe("the documented vocabulary", () => {
  it("lists every event type with its code, label and score, as the code has them", () => {
    const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../docs/data-model.md"), "utf8");
    for (const type of Object.keys(EVENT_TYPES) as (keyof typeof EVENT_TYPES)[]) {
      const coding = codeEventType(type);
      const row = `| \`${type}\` | ${coding.label} | ${coding.cameo ?? "—"} | ${coding.cameoName ?? "uncoded (not an interaction)"} | ${coding.goldstein ?? "—"} |`;
      expect(doc, type).toContain(row);
    }
  });
});
