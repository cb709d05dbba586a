import type { IncomingHttpHeaders } from "node:http";
import autocannon from "autocannon";

export interface LoadOptions {
  connections?: number;
  /** Requests a second over all connections: enough to keep every process busy, not so many that the tests running beside it starve. */
  rate?: number;
  /** Checks one answer; returns what is wrong with it, or undefined. Only the first problems are kept. */
  check?: (path: string, status: number, body: string, headers: IncomingHttpHeaders) => string | undefined;
}

export interface LoadTotals {
  answered: number;
  /** Requests that got no answer (connection errors, resets, timeouts) or an answer other than 2xx. */
  failed: number;
  detail: string;
  problems: string[];
}

/**
 * Sends `rate` requests a second over `connections` keep-alive connections, over `paths` in turn,
 * until `stop()`; counts every answer and every failure. Runs in this process, so it shares the
 * cores with the servers.
 */
export function loadUntilStopped(base: string, paths: string[], { connections = 8, rate = 400, check }: LoadOptions = {}) {
  const problems: string[] = [];
  let answered = 0;
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const instance = autocannon({
    url: base,
    connections,
    overallRate: rate,
    duration: 600, // an upper bound: stop() ends it
    timeout: 20, // seconds: a slow answer on a loaded machine is not a failed one
    requests: paths.map((path) => ({
      method: "GET" as const,
      path,
      onResponse: (status: number, body: string, _context: object, headers: IncomingHttpHeaders | undefined) => {
        answered++;
        const problem = check?.(path, status, body, headers ?? {});
        if (problem && problems.length < 20) problems.push(`${path}: ${problem}`);
      },
    })),
  }, (error, result) => (error ? fail(error) : finish(result)));
  return {
    answered: () => answered,
    stop: async (): Promise<LoadTotals> => {
      instance.stop();
      const result = await done;
      const failed = result.errors + result.non2xx; // errors include timeouts
      const detail = `${result["2xx"]} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors (${result.timeouts} timeouts), ${result.resets} resets`;
      return { answered: result["2xx"] + result.non2xx, failed, detail, problems };
    },
  };
}

/** Waits until `condition` holds, checking every 50 ms, for at most `seconds`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${seconds} s for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}
