import { defineConfig } from "vitest/config";

// Every answer is checked against the OpenAPI document (test/harness.ts): the first request of a
// file compiles it, which on a loaded machine takes seconds.
export default defineConfig({ test: { testTimeout: 30_000 } });
