export { API_BASE, createApp, OPENAPI_PATH, type AppType } from "./app.js";
export { ApiError, createClient, isUnreachable, unwrap, type Client, type Fetcher } from "./client.js";
export { openSnapshot, Snapshot, COUNT_CAP } from "./store/snapshot.js";
export { readEnv } from "./env.js";
export { cachedFetch } from "./http/response-cache.js";
