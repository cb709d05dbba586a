export { loadDataset, type Dataset, type LoadResult } from "./load.js";
export { formatProblem, type Problem } from "./problems.js";
export { summarise } from "./summary.js";
export { buildSnapshot, buildSnapshotFromDataset, buildSnapshotFromNdjson, type BuildResult } from "./snapshot/build.js";
export { builderVersion, checksumPath, snapshotDamage, sourceHash, whyRebuild } from "./snapshot/verify.js";
export { removeStaleTemporaries } from "./snapshot/writer.js";
export { nameKeys, nameTokens } from "./snapshot/name-keys.js";
export { LONG_EVENT_DAYS } from "./snapshot/ddl.js";
export { ARTICLES_ENV, articlesDir, haveArticles, readArticleParagraphs, splitParagraphs } from "./articles.js";
