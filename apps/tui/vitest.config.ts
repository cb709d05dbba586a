import { defineConfig } from "vitest/config";

// Terminal flows press many keys and wait for frames: give them room on a busy machine.
export default defineConfig({ test: { testTimeout: 30_000 } });
