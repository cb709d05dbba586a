import { earliestDay, latestDay, type Actor, type Post, type PostsQuery } from "@backchannel/schema";
import { NotFoundError } from "./errors.js";
import type { PageInput, SnapshotReader } from "./reader.js";

/**
 * Whether a tenure covers a day, at its dates' precision: true when surely, false when only
 * possibly (a start or end known to the month or year, or no start recorded), null when not.
 * A tenure with no dates at all is not placed in time, so it covers no asked-for day.
 */
export function tenureOn(tenure: { start?: string | undefined; end?: string | undefined }, day: string): boolean | null {
  if (!tenure.start && !tenure.end) return null;
  if (tenure.start && earliestDay(tenure.start) > day) return null;
  if (tenure.end && latestDay(tenure.end) < day) return null;
  const startsSurely = tenure.start !== undefined && latestDay(tenure.start) <= day;
  const endsSurely = tenure.end === undefined || earliestDay(tenure.end) >= day;
  return startsSurely && endsSurely;
}

/** Offices (posts) and who held them, optionally on one day. */
export class PostStore {
  constructor(private readonly reader: SnapshotReader) {}

  /** Every tenure of a post, the latest first; with `on`, only those that may cover that day. */
  private holdersOf(post: string, on: string | undefined) {
    const actors = (this.reader.sql("SELECT DISTINCT actor FROM positions WHERE post = ?").all(post) as { actor: string }[]).map((row) => row.actor);
    const holders = actors.flatMap((id) => {
      const actor = this.reader.docOf<Actor>("actors", id);
      if (!actor) return [];
      return actor.positions
        .filter((position) => position.post === post)
        .flatMap(({ post: _post, citations, ...tenure }) => {
          const held = on === undefined ? undefined : tenureOn(tenure, on);
          if (held === null) return [];
          return [{ ...tenure, actor: actor.id, name: actor.name, kind: actor.kind, ...(held === undefined ? {} : { certain: held }), citations }];
        });
    });
    const key = (holder: { start?: string | undefined; end?: string | undefined }) => (holder.start ? earliestDay(holder.start) : holder.end ? earliestDay(holder.end) : "");
    return holders.sort((a, b) => key(b).localeCompare(key(a)) || a.name.localeCompare(b.name));
  }

  list(query: PostsQuery & PageInput) {
    const where = query.q ? ["instr(lower(p.title), lower(?)) > 0"] : [];
    const params = query.q ? [query.q] : [];
    return this.reader.keysetPage("posts p", "p.title", "p.id", where, params, query, `posts:${query.on ?? ""}`, (row) => {
      const post = JSON.parse(row.doc as string) as Post;
      const holders = this.holdersOf(post.id, query.on);
      return {
        ...post,
        organisationName: this.reader.nameOf(post.organisation) ?? post.organisation,
        tenureCount: (this.reader.sql("SELECT count(*) AS n FROM positions WHERE post = ?").get(post.id) as { n: number }).n,
        holders: holders.slice(0, 20).map(({ citations: _citations, ...holder }) => holder),
      };
    });
  }

  get(id: string, on: string | undefined) {
    const post = this.reader.docOf<Post>("posts", id);
    if (!post) throw new NotFoundError("post", id);
    const holders = this.holdersOf(id, on).map((holder) => ({ ...holder, citations: this.reader.citationViews(holder.citations) }));
    return { ...post, organisationName: this.reader.nameOf(post.organisation) ?? post.organisation, ...(on ? { on } : {}), holders };
  }
}
