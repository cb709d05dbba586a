// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** What went wrong, so the error page can offer the right way on. */
      kind?: "not-found" | "bad-request" | "api-down" | "api-error" | "internal";
    }
    interface Locals {
      theme: "light" | "dark" | "system";
    }
  }
}

export {};
