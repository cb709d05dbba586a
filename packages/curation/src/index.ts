export { draftArticle, draftFromParagraphs, type DraftOptions } from "./draft.js";
export { ArticleError, MAX_ARTICLE_BYTES, readArticle, detectLanguage, splitSentences } from "./text.js";
export { findDates, resolveWeekday, isAfterPublication } from "./dates.js";
export { rankActors } from "./actors.js";
export { RecordIndex } from "./record.js";
export { parsePublished } from "./source.js";
export { writeAccepted, addCitation, type WriteResult } from "./writer.js";
export { saveReviewFolder, loadReviewFolder, saveDecisions, saveDraft, proposalIds, acceptDecisions, ReviewFolderError, type ReviewFolder } from "./review-folder.js";
export { evaluate, scoreDraft, table, total, rates, recordWithout, type Score } from "./eval.js";
