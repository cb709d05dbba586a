import { DraftSchema, ReviewStateSchema, type Decision, type Draft } from "@backchannel/schema";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A review folder: the draft, the article's paragraphs it points into, and the curator's decisions. */
export interface ReviewFolder {
  dir: string;
  draft: Draft;
  paragraphs: string[];
  decisions: Record<string, Decision>;
}

export class ReviewFolderError extends Error {
  override name = "ReviewFolderError";
}

/** Writes `<out>/<source id>/` and returns its path. The article text stays outside the repository's data/. */
export function saveReviewFolder(out: string, draft: Draft, paragraphs: string[]): string {
  const dir = join(out, draft.source.id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "draft.json"), `${JSON.stringify(draft, null, 2)}\n`);
  writeFileSync(join(dir, "article.txt"), `${paragraphs.join("\n\n")}\n`);
  if (!existsSync(join(dir, "review.json"))) writeFileSync(join(dir, "review.json"), `${JSON.stringify({ decisions: {} }, null, 2)}\n`);
  return dir;
}

export function loadReviewFolder(dir: string): ReviewFolder {
  const file = join(dir, "draft.json");
  if (!existsSync(file)) throw new ReviewFolderError(`${dir} is not a review folder (no draft.json): make one with \`backchannel draft ARTICLE --out drafts/\``);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ReviewFolderError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = DraftSchema.safeParse(raw);
  if (!parsed.success) throw new ReviewFolderError(`${file} is not a draft: ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`);
  const articleFile = join(dir, "article.txt");
  const paragraphs = existsSync(articleFile) ? readFileSync(articleFile, "utf8").split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean) : [];
  const stateFile = join(dir, "review.json");
  const state = existsSync(stateFile) ? ReviewStateSchema.safeParse(JSON.parse(readFileSync(stateFile, "utf8"))) : undefined;
  return { dir, draft: parsed.data, paragraphs, decisions: state?.success ? state.data.decisions : {} };
}

export function saveDecisions(folder: ReviewFolder): void {
  writeFileSync(join(folder.dir, "review.json"), `${JSON.stringify({ decisions: folder.decisions }, null, 2)}\n`);
}

export function saveDraft(folder: ReviewFolder): void {
  writeFileSync(join(folder.dir, "draft.json"), `${JSON.stringify(DraftSchema.parse(folder.draft), null, 2)}\n`);
}

/** Every proposal id of a draft, actors then events, in the order the review shows them. */
export function proposalIds(draft: Draft): string[] {
  return [...draft.events.map((event) => event.id), ...draft.actors.map((actor) => actor.id)];
}

/** `--accept e1,e3` and `--accept-all` as decisions; an unknown id is an error, not a silent no-op. */
export function acceptDecisions(draft: Draft, accept: string[] | "all"): Record<string, Decision> {
  const ids = proposalIds(draft);
  if (accept === "all") return Object.fromEntries(ids.map((id) => [id, "accepted" as const]));
  const unknown = accept.filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new ReviewFolderError(`no proposal ${unknown.join(", ")} in this draft (it has ${ids.join(", ")})`);
  return Object.fromEntries(accept.map((id) => [id, "accepted" as const]));
}
