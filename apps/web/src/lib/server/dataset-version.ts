import { MetaSchema } from "@backchannel/schema";
import { apiBase } from "$lib/server/api";

/** How long a known dataset version is trusted before the API is asked again. */
export const VERSION_TTL_MS = 1000;

let known: { version: string | null; at: number } | undefined;
let asking: Promise<string | null> | undefined;

/**
 * The dataset version the API serves now, asked at most once a second (one request in flight):
 * a kept page is answered only under the version it was rendered with. Null when the API does
 * not answer, and then nothing is answered from memory.
 */
export function datasetVersion(now = Date.now()): Promise<string | null> {
  if (known && now - known.at < VERSION_TTL_MS) return Promise.resolve(known.version);
  asking ??= fetch(`${apiBase()}/api/v1/meta`, { headers: { "accept-encoding": "identity" }, signal: AbortSignal.timeout(2000) })
    .then(async (response) => (response.ok ? MetaSchema.parse(await response.json()).datasetVersion : null))
    .catch(() => null)
    .then((version) => {
      known = { version, at: Date.now() };
      asking = undefined;
      return version;
    });
  return asking;
}

/** The version known now without asking, or undefined when it must be asked again. */
export function knownVersion(now = Date.now()): string | null | undefined {
  return known && now - known.at < VERSION_TTL_MS ? known.version : undefined;
}
