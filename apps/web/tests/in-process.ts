// The curated record's API in-process (its app.fetch), and what Kit hands a load function over it:
// for tests of the pages' load functions and of the pages rendered on the server.
import { join } from "node:path";
import { createApp, openSnapshot } from "@backchannel/api";
import { buildSnapshot, root } from "../scripts/stack.mjs";
import { load as loadLayout } from "../src/routes/+layout.server";

/** Over the curated record, or over the snapshot file given. */
export function inProcess(snapshotFile?: string) {
  const snapshot = openSnapshot(snapshotFile ?? buildSnapshot(join(root, "data")));
  const app = createApp(snapshot);
  const fetchInProcess = ((input: RequestInfo | URL, init?: RequestInit) => app.fetch(new Request(input, init))) as typeof fetch;
  /** What Kit hands a load function, as far as ours use it. */
  const kit = (path: string, params: Record<string, string> = {}, fetcher = fetchInProcess): never => {
    const base = { fetch: fetcher, url: new URL(path, "http://dashboard.test"), params, locals: { theme: "system" } };
    return { ...base, parent: () => loadLayout(base as never) } as never;
  };
  return { snapshot, fetchInProcess, kit };
}
