import { defineConfig } from "vitest/config";

/** `npm run test:faults`: load and injected faults against the built API and dashboard, one file at a time. */
export default defineConfig({
  test: {
    include: ["faults/**/*.fault.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
