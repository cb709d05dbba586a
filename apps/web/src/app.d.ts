// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** What went wrong, so the error page can offer the right way on. */
      kind?: "not-found" | "bad-request" | "api-down" | "api-error" | "internal";
      /** A 400's problems, parameter by parameter, as the API named them. */
      issues?: { path: string; message: string }[];
    }
    interface Locals {
      theme: "light" | "dark" | "system";
    }
  }
}

export {};
