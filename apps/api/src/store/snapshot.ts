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
import { runInSlices } from "./stepwise.js";

export { COUNT_CAP } from "./reader.js";
export { FACET_CAP } from "./facets.js";
export { NETWORK_CAP } from "./insight.js";
export { PARAGRAPH_CITERS_CAP, PARAGRAPH_INDEX_CAP } from "./sources.js";
export { tenureOn } from "./posts.js";

export interface SnapshotOptions {
  /** false: every list of events is read through SQLite (the in-memory index's reference, in tests and benchmarks). */
  eventIndex?: boolean | undefined;
  /** false: search is ranked by SQLite's FTS5 (the in-memory full-text index's reference). */
  textIndex?: boolean | undefined;
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
    this.events = new EventStore(this.reader, { index: options.eventIndex, textIndex: () => this.insight.textIndex() });
    this.actors = new ActorStore(this.reader, this.events);
    this.posts = new PostStore(this.reader);
    this.sourcesAndPlaces = new SourceAndPlaceStore(this.reader, this.events);
    this.insight = new InsightStore(this.reader, { index: options.textIndex });
    this.facetCounts = new FacetStore(this.reader);
  }

  get db(): Database.Database {
    return this.reader.db;
  }
  get meta(): Meta {
    return this.reader.meta;
  }
  close(): void {
    this.insight.close();
    this.reader.close();
  }
  /**
   * Reads now what the first requests would otherwise read. Within the in-memory indexes' bounds,
   * the indexes of the events and of their text, at once. Beyond them, for a snapshot whose lists
   * are read through SQLite: the counts built with it, the actors' names and each vocabulary
   * value's events, in slices between requests (settled when they are read, or when the snapshot
   * closes first).
   */
  warm(): Promise<void> {
    if (this.events.index()) {
      this.insight.textIndex();
      return Promise.resolve();
    }
    return runInSlices(this.warming(), () => this.reader.db.open);
  }

  /**
   * The in-memory indexes read as `warm` reads them, giving the event loop a turn every few
   * thousand rows: a server reading its next snapshot keeps answering from the current one
   * meanwhile. Nothing may read this snapshot until it resolves (a read in between would start a
   * second read of an index on the same connection).
   */
  async warmYielding(): Promise<void> {
    await this.events.readIndexYielding();
    await this.insight.readIndexYielding();
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

/**
 * Opens a snapshot after checking it is the file its build wrote (its checksum, taken after
 * SQLite's integrity check): a damaged one is refused rather than served as 500s.
 */
export function openSnapshot(path: string, options: SnapshotOptions = {}): Snapshot {
  const damage = snapshotDamage(path);
  if (damage) throw new Error(`${damage}. Refusing to serve it: rebuild it (npm start and npm run api rebuild it themselves; or node packages/dataset/dist/cli.js snapshot data ${path})`);
  return new Snapshot(path, options);
}
