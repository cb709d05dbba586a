import { statSync, watch } from "node:fs";
import type { EventEmitter } from "node:events";
import { basename, dirname } from "node:path";
import { checksumPath, snapshotDamageAsync } from "@backchannel/dataset/verify";
import { SCHEMA_VERSION } from "@backchannel/schema";
import { Snapshot, type SnapshotOptions } from "../store/snapshot.js";

/** A warm-up that took this long or longer is logged when it ends. */
const WARM_LOGGED_MS = 100;

/** A fetch as @hono/node-server calls it: the second argument carries the Node response, whose close ends the request. */
export type Fetch = (request: Request, env?: { outgoing?: Pick<EventEmitter, "once"> }) => Response | Promise<Response>;

/** One opened snapshot and the app over it, with the requests it is still answering. */
interface Generation {
  snapshot: Snapshot;
  fetch: Fetch;
  inFlight: number;
  retired: boolean;
}

export type ReloadOutcome =
  | { outcome: "swapped"; from: string; to: string }
  | { outcome: "unchanged"; version: string }
  | { outcome: "refused"; reason: string };

export interface LiveAppOptions {
  /** The fetch that serves one snapshot: createApp over it, with the response cache or not. Each generation gets its own, caches included. */
  serve: (snapshot: Snapshot) => Fetch;
  log?: (line: string) => void;
  warn?: (line: string) => void;
  /** How each new snapshot is opened (the first one is opened by the caller). */
  snapshotOptions?: SnapshotOptions;
  /** Quiet time after the last change in the snapshot's folder before the new file is opened: a build renames the file, then its checksum. */
  debounceMs?: number;
}

/** The identity of the file at a path now: a rename puts another inode there. */
const inodeAt = (path: string) => statSync(path).ino;

/**
 * The API over whatever snapshot is at `path`, switched without a restart when a build replaces
 * it. A request is pinned to the generation current when it arrives and keeps it until its
 * response is closed (sent, or abandoned by the client), so a streamed export finishes on the file
 * it began on; new requests get the new version, its ETags and a fresh response cache. The old
 * database is closed once its last request is done, which frees the replaced file. A new file that
 * fails verification is refused with the reason logged, and the current one keeps serving.
 */
export class LiveApp {
  private current: Generation;
  private readonly retired = new Set<Generation>();
  private reloading: Promise<ReloadOutcome> | undefined;
  private reloadAgain = false;
  /** The inode of the file the current generation opened: a change event that leaves it in place changes nothing. */
  private servedInode: number;
  private readonly log: (line: string) => void;
  private readonly warn: (line: string) => void;

  constructor(
    readonly path: string,
    first: Snapshot,
    private readonly options: LiveAppOptions,
  ) {
    this.current = this.generation(first);
    this.servedInode = inodeAt(path);
    this.log = options.log ?? ((line) => console.log(line));
    this.warn = options.warn ?? ((line) => console.error(line));
  }

  /** The snapshot new requests are answered from. */
  get snapshot(): Snapshot {
    return this.current.snapshot;
  }

  /** Requests in flight on every generation not yet closed, the current one first. */
  inFlight(): number[] {
    return [this.current.inFlight, ...[...this.retired].map((generation) => generation.inFlight)];
  }

  private generation(snapshot: Snapshot): Generation {
    // What a server reads once per snapshot is read before it serves, not by its first requests.
    // Within the in-memory indexes' bounds read at once; beyond them in slices between requests, not awaited.
    const started = performance.now();
    void snapshot.warm().then(() => {
      const ms = performance.now() - started;
      // Said when it took long enough to matter (a million events: seconds): requests meanwhile were slower.
      if (ms >= WARM_LOGGED_MS) this.log(`Backchannel API: dataset ${snapshot.meta.datasetVersion} warmed in ${ms.toFixed(0)} ms`);
    });
    return { snapshot, fetch: this.options.serve(snapshot), inFlight: 0, retired: false };
  }

  readonly fetch: Fetch = (request, env) => {
    const generation = this.current;
    generation.inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      generation.inFlight--;
      if (generation.retired && generation.inFlight === 0) this.closeRetired(generation);
    };
    // Under Node the response's close is the end of the request, streamed bodies included.
    if (env?.outgoing) env.outgoing.once("close", release);
    try {
      const answer = generation.fetch(request, env);
      if (!env?.outgoing) void Promise.resolve(answer).then(release, release);
      return answer;
    } catch (error) {
      if (!env?.outgoing) release();
      throw error;
    }
  };

  private closeRetired(generation: Generation): void {
    this.retired.delete(generation);
    try {
      generation.snapshot.close();
      this.log(`Backchannel API: closed dataset ${generation.snapshot.meta.datasetVersion}, its last request done`);
    } catch (error) {
      this.warn(`Backchannel API: closing dataset ${generation.snapshot.meta.datasetVersion} failed: ${(error as Error).message}`);
    }
  }

  /** Opens and verifies the file now at `path` and serves it if it is whole and new. One reload runs at a time; a call during one runs again after it. */
  reload(): Promise<ReloadOutcome> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = this.tryReload().finally(() => {
      this.reloading = undefined;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        void this.reload();
      }
    });
    return this.reloading;
  }

  private async tryReload(): Promise<ReloadOutcome> {
    const served = this.current.snapshot.meta.datasetVersion;
    const refuse = (reason: string): ReloadOutcome => {
      this.warn(`Backchannel API: refused the new snapshot at ${this.path}: ${reason}. Still serving dataset ${served}.`);
      return { outcome: "refused", reason };
    };
    let candidate: Snapshot | undefined;
    try {
      const inode = inodeAt(this.path);
      if (inode === this.servedInode) return { outcome: "unchanged", version: served };
      const damage = await snapshotDamageAsync(this.path);
      if (damage) return refuse(damage);
      candidate = new Snapshot(this.path, this.options.snapshotOptions);
      // Replaced while it was being hashed: what was opened is not what was verified; the next change event verifies that one.
      if (inodeAt(this.path) !== inode) {
        candidate.close();
        return { outcome: "unchanged", version: served };
      }
      const meta = candidate.meta;
      if (meta.schemaVersion !== SCHEMA_VERSION) throw new Error(`it was built for schema ${meta.schemaVersion}, and this API serves schema ${SCHEMA_VERSION}: restart the API with the matching code`);
      const unreadable = candidate.unreadableTables();
      if (unreadable.length) throw new Error(`tables cannot be read: ${unreadable.join("; ")}`);
      // Read before it serves, with the event loop turning meanwhile: the current snapshot keeps answering.
      await candidate.warmYielding();
      const next = this.generation(candidate);
      this.servedInode = inode;
      const old = this.current;
      this.current = next;
      old.retired = true;
      this.retired.add(old);
      this.log(`Backchannel API: now serving dataset ${meta.datasetVersion} (${meta.counts.events} events) from ${this.path}; dataset ${served} closes when its ${old.inFlight} requests in flight are done`);
      if (old.inFlight === 0) this.closeRetired(old);
      return { outcome: "swapped", from: served, to: meta.datasetVersion };
    } catch (error) {
      candidate?.close();
      return refuse(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Reloads when the snapshot or its checksum is replaced in its folder (a build renames both
   * into place). Returns a function that stops watching.
   */
  watch(): () => void {
    const names = new Set([basename(this.path), basename(checksumPath(this.path))]);
    let timer: NodeJS.Timeout | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 250);
    };
    const watcher = watch(dirname(this.path), (_, name) => {
      if (!name || names.has(String(name))) soon();
    });
    watcher.on("error", (error) => this.warn(`Backchannel API: watching ${dirname(this.path)} failed (${error.message}); SIGHUP still reloads`));
    watcher.unref();
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }

  /** Closes every database: for shutdown, after the server has finished its requests. */
  close(): void {
    for (const generation of this.retired) generation.snapshot.close();
    this.retired.clear();
    this.current.snapshot.close();
  }
}
