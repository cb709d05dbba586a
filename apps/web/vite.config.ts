import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    // The browser tests start the API and the built dashboard: give them room on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
