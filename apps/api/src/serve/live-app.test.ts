import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../test/load.js";
import { twoVersions, versionOfEtag } from "../../test/versions.js";
import { createApp } from "../app.js";
import { cachedFetch } from "../http/response-cache.js";
import { openSnapshot, type Snapshot } from "../store/snapshot.js";
import { LiveApp, type Fetch } from "./live-app.js";

const servers: Server[] = [];
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  for (const server of servers.splice(0)) server.close();
});

/**
 * A LiveApp over the served path behind a real Node server on a free port (the response cache on,
 * as in production). A request with an `X-Hold` header waits until `release()` before the app answers it.
 */
async function liveServer(path: string) {
  const logged: string[] = [];
  let release!: () => void;
  let held!: () => void;
  const heldRequest = new Promise<void>((resolve) => (held = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const opened: Snapshot[] = [];
  const live = new LiveApp(path, openSnapshot(path), {
    serve: (snapshot): Fetch => {
      opened.push(snapshot);
      const cached = cachedFetch(createApp(snapshot).fetch);
      return async (request) => {
        if (request.headers.has("X-Hold")) {
          held();
          await gate;
        }
        return cached(request);
      };
    },
    log: (line) => logged.push(line),
    warn: (line) => logged.push(line),
    debounceMs: 50,
  });
  const server = serve({ fetch: live.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  servers.push(server);
  await new Promise((listening) => server.once("listening", listening));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { live, base, logged, opened, release, heldRequest };
}

async function answer(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const body = (await response.json()) as { title?: string; datasetVersion?: string };
  return { status: response.status, version: versionOfEtag(response.headers.get("etag")), body };
}

describe("a running API switches to a rebuilt snapshot", { timeout: 60_000 }, () => {
  it("new requests get the new version, its ETag and no answer the response cache kept from the old one", async () => {
    const data = twoVersions();
    const a = data.build("a");
    const { live, base } = await liveServer(data.path);
    const event = `${base}/api/v1/events/${data.eventId}`;
    expect(await answer(event)).toMatchObject({ status: 200, version: a.datasetVersion, body: { title: a.title } });
    expect(await answer(event)).toMatchObject({ version: a.datasetVersion }); // now in the response cache

    const b = data.build("b");
    expect(await live.reload()).toEqual({ outcome: "swapped", from: a.datasetVersion, to: b.datasetVersion });
    expect(await answer(event)).toMatchObject({ status: 200, version: b.datasetVersion, body: { title: b.title } });
    expect(await answer(`${base}/api/v1/meta`)).toMatchObject({ version: b.datasetVersion, body: { datasetVersion: b.datasetVersion } });
    // The same file again is not a new version: nothing is reopened.
    expect(await live.reload()).toEqual({ outcome: "unchanged", version: b.datasetVersion });
  });

  it("a request in flight finishes on the old file, which is closed once that request is done", async () => {
    const data = twoVersions();
    const a = data.build("a");
    const { live, base, opened, release, heldRequest, logged } = await liveServer(data.path);
    const inFlight = answer(`${base}/api/v1/events/${data.eventId}`, { "X-Hold": "1" });
    await heldRequest;
    const b = data.build("b");
    expect((await live.reload()).outcome).toBe("swapped");
    expect(live.inFlight()).toEqual([0, 1]);
    expect(opened[0]!.db.open).toBe(true);
    expect(await answer(`${base}/api/v1/events/${data.eventId}`)).toMatchObject({ version: b.datasetVersion, body: { title: b.title } });

    release();
    expect(await inFlight).toMatchObject({ status: 200, version: a.datasetVersion, body: { title: a.title } });
    await waitFor("the old snapshot to close", () => !opened[0]!.db.open);
    expect(live.inFlight()).toEqual([0]);
    expect(logged.join("\n")).toMatch(new RegExp(`closed dataset ${a.datasetVersion}, its last request done`));
  });

  it("a damaged new snapshot is refused with the reason logged, and the old one keeps serving", async () => {
    const data = twoVersions();
    const a = data.build("a");
    const { live, base, logged, opened } = await liveServer(data.path);
    data.installDamaged("b");
    const outcome = await live.reload();
    expect(outcome).toMatchObject({ outcome: "refused", reason: expect.stringMatching(/is damaged: its SHA-256/) });
    expect(logged.join("\n")).toMatch(new RegExp(`refused the new snapshot at .*is damaged.*Still serving dataset ${a.datasetVersion}`));
    expect(opened).toHaveLength(1);
    expect(await answer(`${base}/api/v1/events/${data.eventId}`)).toMatchObject({ status: 200, version: a.datasetVersion, body: { title: a.title } });
    // A good build after the bad one is taken.
    const b = data.build("b");
    expect(await live.reload()).toMatchObject({ outcome: "swapped", to: b.datasetVersion });
  });

  it("watching the file: a build that replaces it is served without being asked", async () => {
    const data = twoVersions();
    data.build("a");
    const { live, base } = await liveServer(data.path);
    stops.push(live.watch());
    const b = data.build("b");
    await waitFor("the new version", async () => (await answer(`${base}/api/v1/meta`)).version === b.datasetVersion);
    expect(await answer(`${base}/api/v1/events/${data.eventId}`)).toMatchObject({ body: { title: b.title } });
  });
});
