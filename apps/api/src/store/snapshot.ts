import type Database from "better-sqlite3";
import type { ActorsQuery, EventsQuery, FacetsQuery, Meta, NetworkQuery, PostsQuery, SearchQuery, TimelineQuery } from "@backchannel/schema";
import { snapshotDamage } from "@backchannel/dataset/verify";
import { ActorStore } from "./actors.js";
import { EventStore } from "./events.js";
import { FacetStore } from "./facets.js";
import { InsightStore } from "./insight.js";
import { PostStore } from "./posts.js";
import { SnapshotReader, type PageInput } from "./reader.js";
import { warmActorNames } from "./search.js";
import { SourceAndPlaceStore } from "./sources.js";

export { COUNT_CAP } from "./reader.js";
export { FACET_CAP } from "./facets.js";
export { NETWORK_CAP } from "./insight.js";
export { PARAGRAPH_CITERS_CAP, PARAGRAPH_INDEX_CAP } from "./sources.js";
export { tenureOn } from "./posts.js";

export interface SnapshotOptions {
  /** false: every list of events is read through SQLite (the in-memory index's reference, in tests and benchmarks). */
  eventIndex?: boolean | undefined;
}

/**
 * The read-only snapshot the API serves. Opening it reads only the metadata: no validation
 * and no scan, so start-up time does not grow with the data. Each resource has its store
 * (beside its route in routes/), all reading through one connection and one statement cache.
 */
export class Snapshot {
  readonly reader: SnapshotReader;
  readonly events: EventStore;
  readonly actors: ActorStore;
  readonly posts: PostStore;
  readonly sourcesAndPlaces: SourceAndPlaceStore;
  readonly insight: InsightStore;
  readonly facetCounts: FacetStore;

  constructor(
    readonly path: string,
    options: SnapshotOptions = {},
  ) {
    this.reader = new SnapshotReader(path);
    this.events = new EventStore(this.reader, { index: options.eventIndex });
    this.actors = new ActorStore(this.reader, this.events);
    this.posts = new PostStore(this.reader);
    this.sourcesAndPlaces = new SourceAndPlaceStore(this.reader, this.events);
    this.insight = new InsightStore(this.reader);
    this.facetCounts = new FacetStore(this.reader);
  }

  get db(): Database.Database {
    return this.reader.db;
  }
  get meta(): Meta {
    return this.reader.meta;
  }
  close(): void {
    this.reader.close();
  }
  /**
   * Reads now what the first requests would otherwise read: the events' in-memory index; or,
   * for a snapshot too large for it, whose lists are read through SQLite, the counts built with
   * it, the actors' names and each vocabulary value's events, in slices between requests
   * (settled when they are read, or when the snapshot closes first).
   */
  warm(): Promise<void> {
    if (this.events.index()) return Promise.resolve();
    return inSlices(this.warming(), () => this.reader.db.open);
  }

  /** The first filtered page's estimates, then the first search's names, then the counts of lists alone. */
  private *warming(): Generator<void> {
    yield* this.events.warmingCounts();
    yield* warmActorNames(this.reader.sql);
    yield* this.events.warmingLists();
  }

  unreadableTables(): string[] {
    return this.reader.unreadableTables();
  }

  // The resources' entry points, as the routes (and the TUI's in-process API) call them.
  listEvents = (query: EventsQuery & PageInput) => this.events.list(query);
  listEventsJson = (query: EventsQuery & PageInput) => this.events.listJson(query);
  allEvents = (query: EventsQuery) => this.events.all(query);
  allEventsJson = (query: EventsQuery) => this.events.allJson(query);
  allEventsCsv = (query: EventsQuery) => this.events.allCsv(query);
  getEvent = (id: string) => this.events.get(id);
  getEventJson = (id: string) => this.events.detailJson(id);
  placeCoordinates = (id: string) => this.events.placeCoordinates(id);
  listActors = (query: ActorsQuery & PageInput) => this.actors.list(query);
  getActor = (id: string, page: PageInput) => this.actors.get(id, page);
  listPosts = (query: PostsQuery & PageInput) => this.posts.list(query);
  getPost = (id: string, on: string | undefined) => this.posts.get(id, on);
  listSources = (query: { q?: string | undefined } & PageInput) => this.sourcesAndPlaces.listSources(query);
  getSource = (id: string) => this.sourcesAndPlaces.getSource(id);
  listPlaces = (query: Parameters<SourceAndPlaceStore["listPlaces"]>[0]) => this.sourcesAndPlaces.listPlaces(query);
  getPlace = (id: string) => this.sourcesAndPlaces.getPlace(id);
  search = (query: SearchQuery) => this.insight.search(query);
  timeline = (query: TimelineQuery) => this.insight.timeline(query);
  network = (query: NetworkQuery) => this.insight.network(query);
  facets = (query: FacetsQuery) => this.facetCounts.facets(query);
}

/** How long a warm-up runs its steps before it lets requests in. */
const WARM_SLICE_MS = 5;
/** How long a warm-up waits when other work (a request) ran since its last slice, so that the request finishes first. */
const WARM_BACK_OFF_MS = 20;

/**
 * Runs a warm-up's steps between requests: steps for up to WARM_SLICE_MS, then a turn of the
 * event loop (an unref'd turn would wait for other work to come first); when more than a
 * millisecond passed in that turn, something else is being served, and the warm-up waits
 * WARM_BACK_OFF_MS. It stops when `going` turns false (the snapshot closed) or at an error: the
 * requests that need what failed read it themselves, and say why.
 */
function inSlices(steps: Iterator<void>, going: () => boolean): Promise<void> {
  return new Promise((done) => {
    let ended = performance.now();
    const slice = (afterBackOff: boolean) => {
      if (!afterBackOff && performance.now() - ended > 1) return void setTimeout(slice, WARM_BACK_OFF_MS, true);
      try {
        for (const started = performance.now(); performance.now() - started < WARM_SLICE_MS; ) if (!going() || steps.next().done) return done();
      } catch {
        return done();
      }
      ended = performance.now();
      setImmediate(slice, false);
    };
    setImmediate(slice, true);
  });
}

/**
 * Opens a snapshot after checking it is the file its build wrote (its checksum, taken after
 * SQLite's integrity check): a damaged one is refused rather than served as 500s.
 */
export function openSnapshot(path: string, options: SnapshotOptions = {}): Snapshot {
  const damage = snapshotDamage(path);
  if (damage) throw new Error(`${damage}. Refusing to serve it: rebuild it (npm start and npm run api rebuild it themselves; or node packages/dataset/dist/cli.js snapshot data ${path})`);
  return new Snapshot(path, options);
}
