import { precisionOf, spanBounds, spansOverlap, type DraftEvent, type Event } from "@backchannel/schema";
import { addDays } from "./dates.js";
import { TYPE_FAMILIES } from "./patterns.js";
import type { RecordIndex } from "./record.js";

/** The place ids a place stands for, itself and what encloses it: Muscat is also in Oman. */
function withEnclosing(ids: string[], index: RecordIndex): Set<string> {
  const all = new Set<string>();
  for (let id of ids) {
    for (let depth = 0; id && depth < 6; depth++) {
      all.add(id);
      id = index.places.get(id)?.within ?? "";
    }
  }
  return all;
}

const PRECISION_RANK = { year: 0, month: 1, day: 2 } as const;

/**
 * Looks for the same happening in the record: same type family, dates overlapping at their
 * precision, a shared participant, the same place when both know it. A match turns the proposal
 * into a citation of the existing event (and a date refinement when this report is more precise);
 * a second "first" of the same kind between the same actors is flagged, never merged.
 */
export function corroborate(proposal: DraftEvent, index: RecordIndex, sourceId: string, options: { ownDate?: boolean } = {}): void {
  const family = TYPE_FAMILIES[proposal.type];
  const actors = new Set(proposal.participants.flatMap((p) => (p.actor ? [p.actor] : [])));
  const mine = spanBounds(proposal.date);
  const places = withEnclosing(proposal.places.flatMap((p) => (p.place ? [p.place] : [])), index);
  const weighed: { event: Event; score: number; shared: number }[] = [];
  for (const event of index.events) {
    if (TYPE_FAMILIES[event.type] !== family) continue;
    const shared = event.participants.filter((p) => actors.has(p.actor)).length;
    if (shared === 0) continue;
    // Talks between the US and Iran are not an end to the conflict between the US and the Houthis:
    // when both name their sides, each having a side the other lacks, they are two happenings.
    const mySides = proposal.participants.filter((p) => p.role === "party" && p.actor).map((p) => p.actor!);
    const theirSides = event.participants.filter((p) => p.role === "party").map((p) => p.actor);
    if (mySides.length >= 2 && theirSides.length >= 2 && mySides.some((id) => !theirSides.includes(id)) && theirSides.some((id) => !mySides.includes(id))) continue;
    // An open window ("due during the visit") stays near its start: a week, not forever.
    const theirs = event.date.window && event.date.end === undefined ? { first: spanBounds(event.date).first, last: addDays(spanBounds(event.date).first, 7) } : spanBounds(event.date);
    const overlap = spansOverlap(mine, theirs);
    if (proposal.flags.some((flag) => flag.startsWith("claims a first")) && /\bfirst\b/i.test(`${event.title} ${event.summary}`) && event.type === proposal.type && !overlap) {
      proposal.flags.push(`conflict: the record already holds a "first" ${event.type} with these actors (${event.id}, ${event.date.start}); both cannot be first`);
    }
    if (!overlap) continue;
    const theirPlaces = withEnclosing(event.places, index);
    if (places.size > 0 && theirPlaces.size > 0 && ![...places].some((p) => theirPlaces.has(p))) continue;
    // How much of the recorded event this report covers, then of the report the event covers; same type, place and status count too.
    const planned = (status: string) => status !== "occurred";
    const score =
      shared / event.participants.length +
      shared / Math.max(1, actors.size) / 2 +
      (event.type === proposal.type ? 0.5 : 0) +
      (places.size > 0 && theirPlaces.size > 0 ? 0.25 : 0) +
      (planned(event.status) === planned(proposal.status) ? 0.25 : 0) +
      // "last year's war": the war that lies within last year fits better than one that only reaches into it.
      (within(theirs, mine) || within(mine, theirs) ? 0.25 : 0);
    weighed.push({ event, score, shared });
  }
  weighed.sort((a, b) => b.score - a.score);
  proposal.candidates = weighed.slice(0, 5).map(({ event, score }) => ({ id: event.id, name: event.title, score: Math.min(1, Math.round((score / 2.75) * 1000) / 1000), reason: `${event.type} on ${event.date.start}, shares participants` }));
  const best = weighed[0];
  if (!best) return;
  // Two existing events fit equally well: the curator chooses; nothing is merged silently.
  if (weighed[1] && weighed[1].score === best.score && weighed[1].event.type === best.event.type) {
    proposal.flags.push(`may report ${best.event.id} or ${weighed[1].event.id}: choose with the link key`);
    return;
  }
  proposal.proposal = "corroborates";
  proposal.existing = best.event.id;
  proposal.title = best.event.title;
  const recorded = best.event.date;
  if (options.ownDate === false) {
    // The report gives no date of its own (it stood in from the lead's news or the publication month):
    // the record's date stands, read off the event this report corroborates.
    proposal.flags = proposal.flags.filter((flag) => !flag.startsWith("no date in the text"));
    proposal.date = { ...recorded, note: `As the record dates ${best.event.id}: this report gives it no date of its own${proposal.date.note ? ` (${proposal.date.note.replace(/\.$/, "")})` : ""}.` };
    return;
  }
  if (PRECISION_RANK[precisionOf(proposal.date.start)] > PRECISION_RANK[precisionOf(recorded.start)] && spansOverlap(spanBounds(proposal.date), spanBounds({ ...recorded, window: false })) && proposal.date.end === undefined && !recorded.end) {
    proposal.refineDate = proposal.date;
  } else if (saysLess(proposal.date, recorded)) {
    // "last week", "last year": this report is vaguer than the record, which keeps its date (and says why).
    proposal.flags = proposal.flags.filter((flag) => !flag.startsWith("no date in the text"));
    proposal.date = { ...recorded, note: `As the record dates ${best.event.id}; this report says only ${proposal.date.start}${proposal.date.end ? `..${proposal.date.end}` : ""}${proposal.date.note ? ` (${proposal.date.note})` : ""}.` };
  }
}

const within = (inner: { first: string; last: string }, outer: { first: string; last: string }) => outer.first <= inner.first && inner.last <= outer.last;

/** Whether a report's date is vaguer than the record's and contains it: a window or a coarser precision around it. */
function saysLess(reported: DraftEvent["date"], recorded: Event["date"]): boolean {
  const mine = spanBounds(reported);
  const theirs = spanBounds({ ...recorded, window: false });
  return within(theirs, mine) && (mine.first < theirs.first || theirs.last < mine.last);
}
