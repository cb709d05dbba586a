export { loadDataset, type Dataset, type LoadResult } from "./load.js";
export { formatProblem, type Problem } from "./problems.js";
export { summarise } from "./summary.js";
