// What `backchannel draft` needs and nothing more: the writer (and with it the YAML loader) stays unloaded.
export { draftArticle, type DraftOptions } from "./draft.js";
export { ArticleError, MAX_ARTICLE_BYTES, readArticle } from "./text.js";
export { parsePublished } from "./source.js";
export { saveReviewFolder } from "./review-folder.js";
export { loadRecord, recordCacheFile, type RecordLoad } from "./record-cache.js";
