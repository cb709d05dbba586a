import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Where the source articles live. They stay outside the repository (we may quote, not copy, them):
 * `BACKCHANNEL_ARTICLES` names the folder; by default it is `../shared/sources` beside the clone.
 */
export const ARTICLES_ENV = "BACKCHANNEL_ARTICLES";

export function articlesDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[ARTICLES_ENV]?.trim();
  return configured ? resolve(configured) : resolve(repoRoot, "..", "shared", "sources");
}

/** Whether the article folder exists; checks that need the articles skip (loudly) without it. */
export function haveArticles(dir: string): boolean {
  return existsSync(dir);
}

/** The article files the folder lacks: all of them when it does not exist, a few when it is incomplete. */
export function missingArticles(dir: string, files: readonly string[]): string[] {
  return files.filter((file) => !existsSync(join(dir, file)));
}

/** Paragraphs as the codebook numbers them: every non-blank line, headline and captions included. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function readArticleParagraphs(dir: string, file: string): string[] {
  return splitParagraphs(readFileSync(join(dir, file), "utf8"));
}
