import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

type Records = Record<"places" | "actors" | "posts" | "sources" | "events", Record<string, unknown>[]>;

/** The smallest dataset that exercises every kind and every cross-record rule, valid as given. */
export function validRecords(): Records {
  return {
    places: [
      { id: "oman", name: "Oman", kind: "country", country: "OM", latitude: 21.5, longitude: 55.9 },
      { id: "muscat", name: "Muscat", kind: "city", country: "OM", within: "oman", latitude: 23.6, longitude: 58.4 },
    ],
    posts: [{ id: "snsc-secretary", title: "Secretary of the SNSC", organisation: "iran" }],
    actors: [
      { id: "iran", kind: "state", name: "Iran", country: "IR", description: "A state." },
      { id: "oman", kind: "state", name: "Oman", country: "OM", description: "A state." },
      { id: "irna", kind: "news-agency", name: "IRNA", country: "IR", description: "An agency." },
      {
        id: "ali-larijani",
        kind: "person",
        name: "Ali Larijani",
        description: "Secretary of the SNSC.",
        positions: [
          { post: "snsc-secretary", start: "2025-08", basis: "inferred", note: "public record", citations: [{ source: "a-source", paragraphs: [2], quote: "Ali Larijani, secretary" }] },
        ],
      },
      {
        id: "ali-akbar-ahmadian",
        kind: "person",
        name: "Ali Akbar Ahmadian",
        description: "His predecessor.",
        positions: [
          { post: "snsc-secretary", start: "2023-05", end: "2025-08", basis: "inferred", note: "public record", citations: [{ source: "a-source", paragraphs: [3], quote: "Ahmadian, his predecessor" }] },
        ],
      },
    ],
    sources: [
      {
        id: "a-source",
        kind: "news-article",
        file: "001.txt",
        description: "An article.",
        outlet: { basis: "unknown", note: "not named" },
        published: { date: "2026-02-10", basis: "stated" },
        language: "en",
        paragraphs: 5,
        credits: [{ actor: "irna", role: "agency", paragraphs: [2] }],
      },
    ],
    events: [
      {
        id: "2026-02-06-talks",
        title: "Talks in Muscat",
        summary: "Indirect talks.",
        date: { start: "2026-02-06", basis: "stated" },
        status: "occurred",
        type: "mediated-talks",
        places: ["muscat"],
        participants: [
          { actor: "oman", role: "mediator" },
          { actor: "iran", role: "party" },
        ],
        citations: [{ source: "a-source", paragraphs: [1], quote: "talks were held in Muscat" }],
      },
      {
        id: "2026-02-10-larijani-visits-oman",
        title: "Larijani visits Oman",
        summary: "He arrived in Muscat.",
        date: { start: "2026-02-10", basis: "stated" },
        status: "occurred",
        type: "visit",
        places: ["muscat"],
        participants: [
          { actor: "ali-larijani", role: "visitor", post: "snsc-secretary" },
          { actor: "oman", role: "host" },
        ],
        relations: [{ type: "follows", event: "2026-02-06-talks" }],
        citations: [
          { source: "a-source", paragraphs: [1], quote: "talks were held in Muscat" },
          { source: "a-source", paragraphs: [2], agency: "irna", quote: "Ali Larijani, secretary" },
        ],
      },
    ],
  };
}

/** The article `a-source` cites (`001.txt`), as its paragraphs: every non-blank line is one. */
export const ARTICLE_PARAGRAPHS = [
  "On Friday, indirect talks were held in Muscat.",
  "IRNA said Ali Larijani, secretary of the council, arrived on Tuesday.",
  "Ali Akbar Ahmadian, his predecessor, attended.",
  "Analysts were cautious.",
  "More talks are expected.",
];

/** Writes the fixture's article into a fresh folder, as `BACKCHANNEL_ARTICLES` would name it. */
export function writeArticles(paragraphs: string[] = ARTICLE_PARAGRAPHS): string {
  const dir = mkdtempSync(join(tmpdir(), "backchannel-articles-"));
  writeFileSync(join(dir, "001.txt"), paragraphs.join("\n\n"));
  return dir;
}

/** Writes records as one YAML file each, the way data/ is laid out, into a fresh folder. */
export function writeDataset(records: Records): string {
  const dir = mkdtempSync(join(tmpdir(), "backchannel-data-"));
  for (const [kind, list] of Object.entries(records)) {
    mkdirSync(join(dir, kind));
    for (const record of list) writeFileSync(join(dir, kind, `${String(record.id)}.yaml`), stringify(record));
  }
  return dir;
}
