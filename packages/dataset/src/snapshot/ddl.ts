/**
 * The snapshot's layout: one row per record with its validated JSON in `doc`, plus the columns
 * and side tables the API filters, sorts and searches on. Built once, then only read.
 */
export const SNAPSHOT_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE provenance (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE places (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT,
  latitude REAL NOT NULL, longitude REAL NOT NULL, doc TEXT NOT NULL
);
CREATE TABLE actors (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, country TEXT,
  event_count INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL
);
CREATE TABLE actor_keys (key TEXT NOT NULL, token TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (key, token, actor)) WITHOUT ROWID;
CREATE TABLE actor_tokens (token TEXT NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (token, actor)) WITHOUT ROWID;
CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT NOT NULL, organisation TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE positions (actor TEXT NOT NULL, post TEXT NOT NULL, start TEXT, end TEXT);
CREATE TABLE sources (id TEXT PRIMARY KEY, published TEXT NOT NULL, outlet TEXT, event_count INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL);

-- Events arrive in any order and are staged; they are written to \`events\` in date order, so
-- that rowid order is (first_day, id) order and a date-sorted page is a rowid range.
CREATE TABLE staged_events (first_day TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE events (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  first_day TEXT NOT NULL,
  last_day TEXT NOT NULL,
  -- The start's month (YYYY-MM), or its year (YYYY) when the source gives only the year:
  -- a monthly timeline must not put "2015" in January.
  start_month TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  quad INTEGER,
  goldstein REAL,
  -- Distinct sources cited, counted at build time so that \`minSources\` stays an indexed filter.
  source_count INTEGER NOT NULL DEFAULT 1,
  -- What \`sort=type\` and \`sort=title\` order by: the type's label and the title, folded (foldedText).
  type_key TEXT NOT NULL,
  title_key TEXT NOT NULL,
  doc TEXT NOT NULL
);
-- The event as every list serves it (participants' names and kinds, precision, coding), as JSON
-- text: a page is these rows joined, with nothing parsed or encoded per request. Kept apart from
-- \`events\` so that filtering and sorting read narrow rows.
CREATE TABLE event_lists (event INTEGER PRIMARY KEY, json TEXT NOT NULL);
-- The same event as its CSV line (csv.ts's EVENT_COLUMNS, without the line break): a CSV export
-- streams these as NDJSON streams the JSON. Its own table, so JSON reads do not carry it.
CREATE TABLE event_csv (event INTEGER PRIMARY KEY, line TEXT NOT NULL);
-- The event as /events/{id} serves it (views.ts's eventDetail: places, citations joined to their
-- sources, related events both ways), as JSON text: written once all events are in.
CREATE TABLE event_details (event INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE participants (event INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, post TEXT);
CREATE TABLE event_places (event INTEGER NOT NULL, place TEXT NOT NULL);
CREATE TABLE event_topics (event INTEGER NOT NULL, topic TEXT NOT NULL);
CREATE TABLE event_sources (event INTEGER NOT NULL, source TEXT NOT NULL);
CREATE TABLE event_countries (event INTEGER NOT NULL, country TEXT NOT NULL);
CREATE TABLE relations (event INTEGER NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL);
-- Which records cite each paragraph of each source (an event, or an actor's tenure of a post):
-- a source page lists what every paragraph supports from this index alone.
CREATE TABLE paragraph_citations (
  source TEXT NOT NULL, paragraph INTEGER NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL, post TEXT NOT NULL DEFAULT '', quote TEXT,
  PRIMARY KEY (source, paragraph, kind, ref, post)
) WITHOUT ROWID;
-- Events spanning more than LONG_EVENT_DAYS (and open windows): the only ones that can reach
-- a \`from\` date from further back, so a date filter can start its scan near \`from\`.
CREATE TABLE long_events (event INTEGER PRIMARY KEY, last_day TEXT NOT NULL);
-- Each actor's events in \`sort=type\` order, one row per event (an actor named twice in an
-- event counts once): an actor's page sorted by type is a range of this key, never a sort.
-- Filled from participants once the events are written.
CREATE TABLE actor_event_types (actor TEXT NOT NULL, type_key TEXT NOT NULL, event INTEGER NOT NULL, PRIMARY KEY (actor, type_key, event)) WITHOUT ROWID;
-- Monthly counts for timelines filtered by nothing but type and status.
CREATE TABLE timeline_counts (month TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, quad INTEGER, n INTEGER NOT NULL, goldstein_sum REAL);
-- Events per topic and per country by start month (as \`timeline_counts\` per type): a filtered
-- list estimates from these which of its filters picks the fewest events, and reads through that.
CREATE TABLE list_counts (list TEXT NOT NULL, value TEXT NOT NULL, month TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (list, value, month)) WITHOUT ROWID;
-- A topic's or a country's events of one type, in date (rowid) order: \`type=…&topic=…\` reads
-- one range of this key instead of probing every event of the type (or of the topic).
CREATE TABLE list_type_events (list TEXT NOT NULL, value TEXT NOT NULL, type TEXT NOT NULL, event INTEGER NOT NULL, PRIMARY KEY (list, value, type, event)) WITHOUT ROWID;
-- For each day a short event ends on, the lowest rowid of a short event ending then or later:
-- \`from\` starts its rowid range there, not LONG_EVENT_DAYS back (long events: \`long_events\`).
CREATE TABLE event_reach (day TEXT PRIMARY KEY, event INTEGER NOT NULL) WITHOUT ROWID;

-- name: names, aliases and titles; body: summaries and descriptions; tags: an event's type
-- label and topics. Porter stemming, so "mediation" finds "mediated" and "mediator".
CREATE VIRTUAL TABLE search USING fts5(
  kind UNINDEXED, ref UNINDEXED, name, body, tags,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
`;

/** Events longer than this many days go into \`long_events\`. */
export const LONG_EVENT_DAYS = 400;

/** Indexes are created after the bulk insert: faster to build, and no half-built index is ever read. */
export const SNAPSHOT_INDEXES = `
CREATE INDEX events_by_date ON events (first_day);
CREATE INDEX events_by_type ON events (type);
-- A type's events in title order: \`type=…&sort=title\` reads a range, not the whole title index.
CREATE INDEX events_by_type_title ON events (type, title_key);
CREATE INDEX events_by_status ON events (status);
CREATE INDEX events_by_source_count ON events (source_count);
CREATE INDEX events_by_type_key ON events (type_key);
CREATE INDEX events_by_title_key ON events (title_key);
CREATE INDEX events_timeline ON events (first_day, quad, goldstein, start_month);
CREATE INDEX participants_by_actor ON participants (actor, event);
CREATE INDEX participants_by_event ON participants (event, actor);
CREATE INDEX event_places_by_place ON event_places (place, event);
CREATE INDEX event_places_by_event ON event_places (event, place);
CREATE INDEX event_topics_by_topic ON event_topics (topic, event);
CREATE INDEX event_topics_by_event ON event_topics (event, topic);
CREATE INDEX event_sources_by_source ON event_sources (source, event);
CREATE INDEX event_sources_by_event ON event_sources (event, source);
CREATE INDEX event_countries_by_country ON event_countries (country, event);
CREATE INDEX event_countries_by_event ON event_countries (event, country);
CREATE INDEX long_events_by_last_day ON long_events (last_day);
CREATE INDEX relations_by_event ON relations (event);
CREATE INDEX relations_by_target ON relations (target);
CREATE INDEX positions_by_actor ON positions (actor);
CREATE INDEX positions_by_post ON positions (post, actor);
CREATE INDEX posts_by_title ON posts (title, id);
CREATE INDEX actors_by_kind ON actors (kind, name);
CREATE INDEX actors_by_name ON actors (name);
CREATE INDEX places_by_name ON places (name);
CREATE INDEX sources_by_published ON sources (published, id);
`;
