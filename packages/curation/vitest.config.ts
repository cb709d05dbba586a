import { defineConfig } from "vitest/config";

// Drafting loads the whole record and writes copies of data/: give it room on a busy (shared) machine.
export default defineConfig({ test: { testTimeout: 120_000 } });
