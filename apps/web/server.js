#!/usr/bin/env node
// The dashboard's entry point: adapter-node's server as built (build/index.js: its WEB_ settings,
// listening, graceful shutdown), with one listener put in front of Kit. A page already rendered
// for the current dataset version is written straight from the page cache (src/hooks.server.ts,
// answerKept) without Kit's router and request objects, which cost ten times the write itself.
import { server } from "./build/index.js";

const http = server.server;
const kit = http.listeners("request");
http.removeAllListeners("request");
http.on("request", (request, response) => {
  const answerKept = globalThis[Symbol.for("backchannel.answerKept")];
  if (typeof answerKept === "function" && answerKept(request, response)) return;
  for (const listener of kit) listener.call(http, request, response);
});
