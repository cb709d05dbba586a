/** A mark that may carry a text label to its right (map) or above it (network). */
export interface Labelable {
  id: string;
  x: number;
  y: number;
  r: number;
  text: string;
}

/**
 * The ids to label, most important first, skipping any label whose box would overlap one
 * already placed: a crowded cluster (Muscat, Al Alam Palace, Oman) keeps its main name legible.
 */
export function placeLabels(byImportance: Labelable[], { position, fontSize = 12, limit = 24 }: { position: "right" | "above"; fontSize?: number; limit?: number }): Set<string> {
  const placed: { left: number; right: number; top: number; bottom: number }[] = [];
  const chosen = new Set<string>();
  for (const mark of byImportance) {
    if (chosen.size >= limit) break;
    const width = mark.text.length * fontSize * 0.58;
    const box =
      position === "right"
        ? { left: mark.x + mark.r + 2, right: mark.x + mark.r + 4 + width, top: mark.y - fontSize * 0.8, bottom: mark.y + fontSize * 0.4 }
        : { left: mark.x - width / 2, right: mark.x + width / 2, top: mark.y - mark.r - 3 - fontSize, bottom: mark.y - mark.r - 1 };
    if (placed.some((other) => box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom)) continue;
    placed.push(box);
    chosen.add(mark.id);
  }
  return chosen;
}
