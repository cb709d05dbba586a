export * from "./dates.js";
export * from "./cameo.js";
export * from "./vocabularies.js";
export * from "./records.js";
export * from "./api.js";
export * from "./draft.js";
