import { z } from "zod";

/** Every environment variable the API reads, parsed once. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().default("127.0.0.1"),
  BACKCHANNEL_SNAPSHOT: z.string().min(1).default(".snapshot/backchannel.sqlite"),
  BACKCHANNEL_RESPONSE_CACHE: z.enum(["on", "off"]).default("on"),
  /** Lists of events and search from memory for a snapshot within the indexes' bounds (store/event-index.ts, store/text-index.ts); off: always through SQLite. */
  BACKCHANNEL_MEMORY_INDEX: z.enum(["on", "off"]).default("on"),
  /** Switch to a new snapshot when a build replaces the file (SIGHUP reloads either way). */
  BACKCHANNEL_WATCH_SNAPSHOT: z.enum(["on", "off"]).default("on"),
  /** Streamed exports at once; beyond it, 429 with Retry-After. */
  BACKCHANNEL_MAX_EXPORTS: z.coerce.number().int().min(1).default(4),
  /** Open connections at once; beyond it, new ones are closed on arrival (well under the usual 20,000 file limit). */
  BACKCHANNEL_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
  /** On SIGTERM, how long requests in flight may take to finish before the process exits anyway. */
  BACKCHANNEL_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});
export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
