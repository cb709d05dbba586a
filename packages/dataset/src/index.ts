export { loadDataset, type Dataset, type LoadOptions, type LoadResult } from "./load.js";
export { checkAgencyParagraphs, checkDateDerivations, checkInternationalActors, type Report } from "./integrity.js";
export { checkAgainstArticles } from "./article-checks.js";
export { formatProblem, type Problem } from "./problems.js";
export { summarise } from "./summary.js";
export { buildSnapshot, buildSnapshotFromDataset, buildSnapshotFromNdjson, isSnapshotStale, type BuildResult } from "./snapshot/build.js";
export { nameKeys, nameTokens } from "./snapshot/name-keys.js";
export { LONG_EVENT_DAYS } from "./snapshot/ddl.js";
export { ARTICLES_ENV, articlesDir, haveArticles, missingArticles, readArticleParagraphs, splitParagraphs } from "./articles.js";
