import type { Actor, ActorsQuery, Post } from "@backchannel/schema";
import { NotFoundError } from "./errors.js";
import { asList, columnsIn, placeholders } from "./event-filters.js";
import type { EventStore } from "./events.js";
import type { PageInput, Row, SnapshotReader } from "./reader.js";
import { matchActors } from "./search.js";

/** Actors: the list by name, and one actor with its positions, events and counterparts. */
export class ActorStore {
  constructor(
    private readonly reader: SnapshotReader,
    private readonly events: EventStore,
  ) {}

  list(query: ActorsQuery & PageInput) {
    const { where, params } = columnsIn([
      ["a.kind", asList(query.kind)],
      ["a.country", asList(query.country)],
    ]);
    if (query.q) {
      const ids = matchActors(this.reader.sql, query.q, 5000).map((match) => match.id);
      const text = this.reader.textMatch("a.id", "actor", query.q);
      where.push(`(a.id IN (${placeholders(ids)}) OR ${text.where.join(" AND ")})`);
      params.push(...ids, ...text.params);
    }
    return this.reader.keysetPage("actors a", "a.name", "a.id", where, params, query, "actors", (row) => {
      const actor = JSON.parse(row.doc as string) as Actor;
      return {
        id: actor.id,
        kind: actor.kind,
        name: actor.name,
        ...(actor.country ? { country: actor.country } : {}),
        description: actor.description,
        aliases: actor.aliases.map((alias) => alias.name),
        eventCount: row.event_count as number,
      };
    });
  }

  get(id: string, page: PageInput) {
    const sql = this.reader.sql;
    const row = sql("SELECT doc, event_count FROM actors WHERE id = ?").get(id) as Row | undefined;
    if (!row) throw new NotFoundError("actor", id);
    const actor = JSON.parse(row.doc as string) as Actor;
    const positions = actor.positions.map((position) => {
      const post = this.reader.docOf<Post>("posts", position.post);
      return { ...position, postTitle: post?.title ?? position.post, organisation: post?.organisation ?? "" };
    });
    const counterparts = (
      sql(
        `SELECT a.id, a.name, a.kind, count(DISTINCT other.event) AS shared
         FROM participants mine JOIN participants other ON other.event = mine.event AND other.actor <> mine.actor
         JOIN actors a ON a.id = other.actor
         WHERE mine.actor = ? GROUP BY a.id ORDER BY shared DESC, a.name LIMIT 50`,
      ).all(id) as Row[]
    ).map((other) => ({ id: other.id as string, name: other.name as string, kind: other.kind as Actor["kind"], sharedEvents: other.shared as number }));
    const events = this.events.list({ actor: id, sort: "date", limit: page.limit, cursor: page.cursor });
    return { ...actor, positions, eventCount: row.event_count as number, events, counterparts };
  }
}
