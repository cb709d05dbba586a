export * from "./dates.js";
export * from "./cameo.js";
export * from "./vocabularies.js";
export * from "./records.js";
export * from "./citations.js";
export * from "./sourcing.js";
export * from "./labels.js";
export * from "./api.js";
