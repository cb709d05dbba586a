/** Shapes of the pictures the server draws (map, network) and the components render. */

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
  /** `labelled`: shown with its name (the busiest places whose names do not collide). */
  points: (MapPoint & { x: number; y: number; r: number; labelled: boolean })[];
  /** Marked places that fall outside this view (e.g. New York on the Gulf view). */
  outside: MapPoint[];
}

export interface LaidOutNetwork {
  width: number;
  height: number;
  nodes: { id: string; name: string; kind: string; events: number; degree: number; x: number; y: number; r: number; labelled: boolean }[];
  edges: { source: string; target: string; weight: number; x1: number; y1: number; x2: number; y2: number }[];
}
