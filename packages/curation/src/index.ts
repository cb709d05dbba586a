export { draftArticle, draftFromParagraphs, type DraftOptions } from "./draft.js";
export { ArticleError, MAX_ARTICLE_BYTES, readArticle, detectLanguage, splitSentences } from "./text.js";
export { findDates, resolveWeekday, isAfterPublication } from "./dates.js";
export { rankActors } from "./actors.js";
export { RecordIndex } from "./record.js";
export { parsePublished } from "./source.js";
