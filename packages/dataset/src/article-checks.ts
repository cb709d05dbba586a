import { existsSync } from "node:fs";
import { join } from "node:path";
import { quoteFragments } from "@backchannel/schema";
import { readArticleParagraphs } from "./articles.js";
import { citationsOf, type Report } from "./integrity.js";
import type { Dataset } from "./load.js";

/** Curly quotes and apostrophes as straight ones, runs of white space as one space: the rest is verbatim. */
export function normaliseQuoted(text: string): string {
  return text.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, " ").trim();
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A test for `spelling` as whole words in a normalised text ("EU" is not in "Europe"), ignoring case. */
export function spellingPattern(spelling: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(normaliseQuoted(spelling))}(?![\\p{L}\\p{N}])`, "iu");
}

/**
 * Checks the record against the articles themselves (they live outside the repository, in `dir`):
 * each source's article exists and has the paragraph count recorded; every citation's `quote` (each
 * fragment, in order) and every attributed quotation stands verbatim in the cited paragraphs; every
 * alias credited to a source is spelled so in it, and a `common` alias in no article at all.
 */
export function checkAgainstArticles(dataset: Dataset, dir: string, report: Report): void {
  const articles = new Map<string, string[]>();
  const texts = new Map<string, string>(); // each article whole, normalised once
  for (const source of dataset.sources) {
    if (!existsSync(join(dir, source.file))) {
      report("sources", source.id, ["file"], `the article ${source.file} is not in ${dir}`);
      continue;
    }
    const paragraphs = readArticleParagraphs(dir, source.file);
    articles.set(source.id, paragraphs);
    texts.set(source.id, normaliseQuoted(paragraphs.join("\n")));
    if (paragraphs.length !== source.paragraphs) {
      report("sources", source.id, ["paragraphs"], `the article ${source.file} has ${paragraphs.length} paragraphs (non-blank lines), not ${source.paragraphs}`);
    }
  }

  for (const { kind, id, path, citation } of citationsOf(dataset)) {
    const paragraphs = articles.get(citation.source);
    if (!paragraphs) continue;
    const cited = normaliseQuoted(citation.paragraphs.map((n) => paragraphs[n - 1] ?? "").join(" "));
    const where = `paragraph${citation.paragraphs.length > 1 ? "s" : ""} ${citation.paragraphs.join(", ")} of source "${citation.source}"`;
    let from = 0;
    for (const fragment of quoteFragments(citation.quote)) {
      const at = cited.indexOf(normaliseQuoted(fragment), from);
      if (at < 0) {
        const elsewhere = cited.includes(normaliseQuoted(fragment)) ? " in the order given" : "";
        report(kind, id, [...path, "quote"], `"${fragment}" is not in ${where}${elsewhere}; quote the article verbatim`);
        break;
      }
      from = at + normaliseQuoted(fragment).length;
    }
    citation.quotes?.forEach((quotation, index) => {
      if (!cited.includes(normaliseQuoted(quotation.text))) {
        report(kind, id, [...path, "quotes", index, "text"], `"${quotation.text}" is not in ${where}; quote the article verbatim`);
      }
    });
  }

  for (const actor of dataset.actors) {
    actor.aliases.forEach((alias, a) => {
      const pattern = spellingPattern(alias.name);
      alias.usedBy?.forEach((sourceId, s) => {
        const text = texts.get(sourceId);
        if (text !== undefined && !pattern.test(text)) {
          report("actors", actor.id, ["aliases", a, "usedBy", s], `source "${sourceId}" does not spell "${alias.name}"; credit the alias only to sources that use it`);
        }
      });
      if (!alias.common) return;
      const users = [...texts].filter(([, text]) => pattern.test(text)).map(([sourceId]) => sourceId);
      if (users.length > 0) {
        report("actors", actor.id, ["aliases", a, "common"], `"${alias.name}" is used by ${users.join(", ")}: it is a source's spelling, so list it in usedBy instead of common`);
      }
    });
  }
}
