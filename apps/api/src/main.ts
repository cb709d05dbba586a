#!/usr/bin/env node
import type { IncomingMessage, Server } from "node:http";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { cachedFetch } from "./http/response-cache.js";
import { readEnv } from "./env.js";
import { LiveApp } from "./serve/live-app.js";
import { openSnapshot } from "./store/snapshot.js";

/**
 * Timeouts that free a connection which sends nothing, or sends too slowly: without them idle
 * sockets pile up until the process runs out of file descriptors and answers no one.
 */
export const SERVER_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
} as const;
/**
 * A socket with no traffic either way for this long is closed. Node's header timeout does not
 * cover a connection that never sends a byte, and one that stops reading an export holds a slot.
 */
export const IDLE_SOCKET_TIMEOUT_MS = 15_000;

/**
 * Starts the API on PORT over the snapshot at BACKCHANNEL_SNAPSHOT; when a build replaces that file
 * (or on SIGHUP), switches to the new one without dropping a request (serve/live-app.ts).
 */
export function start() {
  const started = performance.now();
  const env = readEnv();
  const inMemory = env.BACKCHANNEL_MEMORY_INDEX === "on";
  const snapshotOptions = { eventIndex: inMemory, textIndex: inMemory };
  const live = new LiveApp(env.BACKCHANNEL_SNAPSHOT, openSnapshot(env.BACKCHANNEL_SNAPSHOT, snapshotOptions), {
    snapshotOptions,
    serve: (snapshot) => {
      const app = createApp(snapshot, { maxExports: env.BACKCHANNEL_MAX_EXPORTS });
      return env.BACKCHANNEL_RESPONSE_CACHE === "on" ? cachedFetch(app.fetch) : app.fetch;
    },
  });
  const unwatch = env.BACKCHANNEL_WATCH_SNAPSHOT === "on" ? live.watch() : () => {};
  process.on("SIGHUP", () => void live.reload());
  const server = serve({ fetch: live.fetch, port: env.PORT, hostname: env.HOST, serverOptions: SERVER_TIMEOUTS }, (info) => {
    const ms = (performance.now() - started).toFixed(0);
    const { meta } = live.snapshot;
    console.log(`Backchannel API on http://${env.HOST}:${info.port}/api/v1 (docs: /api/docs) — dataset ${meta.datasetVersion}, ${meta.counts.events} events, ready in ${ms} ms`);
  }) as Server;
  server.maxConnections = env.BACKCHANNEL_MAX_CONNECTIONS;
  server.setTimeout(IDLE_SOCKET_TIMEOUT_MS); // with no 'timeout' listener, Node destroys the socket
  // Counted by the live app, per snapshot: every request passes through it.
  const inFlight = () => live.inFlight().reduce((sum, n) => sum + n, 0);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const atSignal = inFlight();
    console.log(`Backchannel API: ${signal}, finishing the ${atSignal} requests in flight (up to ${env.BACKCHANNEL_SHUTDOWN_TIMEOUT_MS} ms)`);
    unwatch();
    const exit = (code: number) => {
      live.close();
      process.exit(code);
    };
    // Stops accepting and closes idle keep-alive connections; each busy one is closed once its answer is sent.
    server.close(() => {
      console.log(`Backchannel API: stopped; the ${atSignal} requests in flight at ${signal} all finished`);
      exit(0);
    });
    server.on("request", (request: IncomingMessage) => request.on("close", () => server.closeIdleConnections()));
    setTimeout(() => {
      console.error(`Backchannel API: ${inFlight()} requests still in flight at the shutdown deadline were cut off`);
      server.closeAllConnections();
      exit(0);
    }, env.BACKCHANNEL_SHUTDOWN_TIMEOUT_MS).unref();
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
