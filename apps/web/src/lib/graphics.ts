/** Shapes of the pictures the server draws (map, network) and the components render. */

/**
 * A graphic is drawn in its own units (its viewBox) and scaled to the width it gets, so a fixed
 * font size would shrink to a few pixels on a phone. Its text is therefore set once per step of
 * the graphic's rendered width (CSS px): at step `i` the text is sized to render at
 * MIN_TEXT_PX or more, and container queries (app.css, `.graphic .step-i`) show the text of
 * the step the graphic is drawn at. Labels are placed per step, with that step's size.
 */
export const TEXT_STEPS = [320, 400, 500, 620, 780, 960, 1200] as const;
export const MIN_TEXT_PX = 12;

/** The font size in a graphic's own units that renders at `px` or more in a box `stepWidth` CSS px wide (its 1 px border inside). */
export function textUnits(viewBoxWidth: number, stepWidth: number, px = MIN_TEXT_PX): number {
  return Math.ceil(((px * viewBoxWidth) / (stepWidth - 2)) * 10) / 10;
}

/** Where a mark's label is drawn at one text step; `shown: false` means only on hover and focus. */
export interface StepLabel {
  x: number;
  y: number;
  size: number;
  anchor: "start" | "middle" | "end";
  shown: boolean;
}

/** A place to mark, with the number of events there. */
export interface MapPoint {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  count: number;
}

/** A map drawn on the server: SVG path data and positioned marks; the page needs no script. */
export interface RenderedMap {
  width: number;
  height: number;
  /** URL of the countries drawn for this view (an SVG image, cached by the browser). */
  basemap: string;
  /** `labels[i]`: the name at text step i, shown where it collides with no busier place's. */
  points: (MapPoint & { x: number; y: number; r: number; labels: StepLabel[] })[];
  /** Marked places that fall outside this view (e.g. New York on the Gulf view). */
  outside: MapPoint[];
}

export interface LaidOutNetwork {
  width: number;
  height: number;
  /** `labels[i]`: the name at text step i (see TEXT_STEPS). */
  nodes: { id: string; name: string; kind: string; events: number; degree: number; x: number; y: number; r: number; labels: StepLabel[] }[];
  edges: { source: string; target: string; weight: number; x1: number; y1: number; x2: number; y2: number }[];
}
