#!/usr/bin/env node
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { cachedFetch } from "./http/response-cache.js";
import { readEnv } from "./env.js";
import { openSnapshot } from "./store/snapshot.js";

/** Starts the API on PORT over the snapshot at BACKCHANNEL_SNAPSHOT. */
export function start() {
  const started = performance.now();
  const env = readEnv();
  const snapshot = openSnapshot(env.BACKCHANNEL_SNAPSHOT);
  const app = createApp(snapshot);
  const fetch = env.BACKCHANNEL_RESPONSE_CACHE === "on" ? cachedFetch(app.fetch) : app.fetch;
  const server = serve({ fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const ms = (performance.now() - started).toFixed(0);
    console.log(`Backchannel API on http://${env.HOST}:${info.port}/api/v1 (docs: /api/docs) — dataset ${snapshot.meta.datasetVersion}, ${snapshot.meta.counts.events} events, ready in ${ms} ms`);
  });
  const stop = () => {
    server.close();
    snapshot.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return server;
}

if (process.argv[1]?.endsWith("/main.js")) {
  try {
    start();
  } catch (error) {
    console.error(`backchannel api: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
