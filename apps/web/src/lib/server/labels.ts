import { TEXT_STEPS, textUnits, type StepLabel } from "$lib/graphics";

/** A mark (a circle) that carries a text label. */
export interface Labelable {
  id: string;
  x: number;
  y: number;
  r: number;
  text: string;
}

/** Where a label may go around its mark, tried in this order. */
export type Side = "above" | "below" | "right" | "left" | "above-right" | "above-left" | "below-right" | "below-left";

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Advance widths as a share of the font size, after DejaVu Sans (the widest common fallback for
 * system-ui): narrow and wide letters apart, so "Oman" is not measured like "Iril".
 */
const NARROW = { i: 0.28, l: 0.28, j: 0.28, I: 0.3, " ": 0.32, ".": 0.32, ",": 0.32, "'": 0.28, "’": 0.32, "-": 0.36, f: 0.36, t: 0.4, r: 0.42, J: 0.3 } as Record<string, number>;
const WIDE = { m: 0.98, w: 0.82, M: 0.87, W: 0.99, O: 0.79, Q: 0.79, G: 0.78, D: 0.77, C: 0.7, H: 0.76, N: 0.75, U: 0.74 } as Record<string, number>;
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const char of text) em += NARROW[char] ?? WIDE[char] ?? (char >= "A" && char <= "Z" ? 0.7 : 0.63);
  return em * size * 1.03;
}
const ASCENT = 0.92;
const DESCENT = 0.26;

/** The box a label covers, estimated from its text's length. */
export function boxOf(label: Omit<StepLabel, "shown">, text: string): Box {
  const width = textWidth(text, label.size);
  const left = label.anchor === "start" ? label.x : label.anchor === "end" ? label.x - width : label.x - width / 2;
  return { left, right: left + width, top: label.y - label.size * ASCENT, bottom: label.y + label.size * DESCENT };
}

/** The label of `mark` on `side` in font size `size`: its anchor point and the box it covers. */
export function candidate(mark: Labelable, side: Side, size: number): { label: Omit<StepLabel, "shown">; box: Box } {
  const gap = 2 + size * 0.1;
  const round = (n: number) => Math.round(n * 10) / 10;
  const at = (x: number, y: number, anchor: StepLabel["anchor"]) => {
    const label = { x: round(x), y: round(y), size, anchor };
    return { label, box: boxOf(label, mark.text) };
  };
  if (side === "above") return at(mark.x, mark.y - mark.r - gap - size * DESCENT, "middle");
  if (side === "below") return at(mark.x, mark.y + mark.r + gap + size * ASCENT, "middle");
  if (side === "right" || side === "left") {
    // Beside the mark, centred on it vertically.
    const baseline = mark.y + (size * (ASCENT - DESCENT)) / 2;
    return side === "right" ? at(mark.x + mark.r + gap, baseline, "start") : at(mark.x - mark.r - gap, baseline, "end");
  }
  // Off a corner: the text starts (or ends) level with the circle's edge, above or below it.
  const [vertical, horizontal] = side.split("-") as ["above" | "below", "right" | "left"];
  const reach = mark.r * Math.SQRT1_2 + gap;
  const baseline = vertical === "above" ? mark.y - reach - size * DESCENT : mark.y + reach + size * ASCENT;
  return horizontal === "right" ? at(mark.x + reach, baseline, "start") : at(mark.x - reach, baseline, "end");
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
/** How far a label's box is from a mark's circle (0 when they touch). */
export function gapBetween(box: Box, m: Pick<Labelable, "x" | "y" | "r">): number {
  const nearestX = Math.max(box.left, Math.min(m.x, box.right));
  const nearestY = Math.max(box.top, Math.min(m.y, box.bottom));
  return Math.max(0, Math.hypot(nearestX - m.x, nearestY - m.y) - m.r);
}

/**
 * Labels for every text step (TEXT_STEPS) of a graphic `viewBox.width` units wide. In order of
 * importance, each mark takes the first side whose label stays inside the picture, overlaps no
 * label already placed and no other mark, and is clearly nearer its own circle than any other
 * (the gap from box to circle), so a label is never read as another mark's. A mark left without one (or past `limit`) gets
 * its first in-picture side with `shown: false`: it appears on hover and focus only.
 */
export function placeLabels(
  byImportance: readonly Labelable[],
  { viewBox, sides, limit = Infinity, minPx }: { viewBox: { width: number; height: number }; sides: readonly Side[]; limit?: number; minPx?: number },
): Map<string, StepLabel[]> {
  const result = new Map<string, StepLabel[]>(byImportance.map((m) => [m.id, []]));
  for (const step of TEXT_STEPS) {
    const size = textUnits(viewBox.width, step, minPx);
    const placed: Box[] = [];
    for (const mark of byImportance) {
      const inside = sides
        .map((side) => candidate(mark, side, size))
        .filter(({ box }) => box.left >= 0 && box.right <= viewBox.width && box.top >= 0 && box.bottom <= viewBox.height);
      const free =
        placed.length < limit
          ? inside.find(({ box }) => {
              if (placed.some((other) => overlaps(box, other))) return false;
              const own = gapBetween(box, mark);
              return byImportance.every((other) => other === mark || gapBetween(box, other) > Math.max(1, own * 1.5));
            })
          : undefined;
      if (free) placed.push(free.box);
      const fallback = free ?? inside[0] ?? candidate(mark, sides[0] ?? "above", size);
      result.get(mark.id)!.push({ ...fallback.label, shown: free !== undefined });
    }
  }
  return result;
}
