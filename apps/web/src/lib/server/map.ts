import { geoMercator, geoNaturalEarth1, geoPath, type GeoProjection } from "d3-geo";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { FeatureCollection, MultiPoint } from "geojson";
import countries110 from "world-atlas/countries-110m.json" with { type: "json" };
import countries50 from "world-atlas/countries-50m.json" with { type: "json" };
import type { MapPoint, RenderedMap } from "$lib/graphics";
import { placeLabels } from "./labels";
import { version } from "$app/environment";

export type { MapPoint, RenderedMap };

type Countries = Topology<{ countries: GeometryCollection }>;

/** The Gulf and its neighbours: where most of the record happens. */
export const GULF_VIEW = { west: 33, east: 64, south: 11, north: 40 } as const;
export type Bounds = { west: number; east: number; south: number; north: number };

const outlines = new Map<string, { land: FeatureCollection; borders: ReturnType<typeof mesh> }>();
function outline(detail: "110m" | "50m") {
  let cached = outlines.get(detail);
  if (!cached) {
    const topology = (detail === "50m" ? countries50 : countries110) as unknown as Countries;
    cached = {
      land: feature(topology, topology.objects.countries) as FeatureCollection,
      borders: mesh(topology, topology.objects.countries, (a, b) => a !== b),
    };
    outlines.set(detail, cached);
  }
  return cached;
}

/** The bounds of the points, widened to at least `minSpan` degrees so one city is not a blur. */
export function boundsOf(points: readonly MapPoint[], minSpan = 14): Bounds {
  if (!points.length) return { ...GULF_VIEW };
  let west = Math.min(...points.map((p) => p.longitude));
  let east = Math.max(...points.map((p) => p.longitude));
  let south = Math.min(...points.map((p) => p.latitude));
  let north = Math.max(...points.map((p) => p.latitude));
  const widen = (low: number, high: number, limit: number) => {
    const extra = Math.max(0, minSpan - (high - low)) / 2;
    return [Math.max(-limit, low - extra), Math.min(limit, high + extra)] as const;
  };
  [west, east] = widen(west, east, 180);
  [south, north] = widen(south, north, 80);
  return { west, east, south, north };
}

const inside = (bounds: Bounds, point: MapPoint) =>
  point.longitude >= bounds.west && point.longitude <= bounds.east && point.latitude >= bounds.south && point.latitude <= bounds.north;

/** A region uses Mercator and finer outlines; a wide view uses Natural Earth. */
function projectionFor(bounds: Bounds, width: number, height: number) {
  const wide = bounds.east - bounds.west > 90;
  const projection: GeoProjection = (wide ? geoNaturalEarth1() : geoMercator()).precision(0.5);
  const corners: MultiPoint = {
    type: "MultiPoint",
    coordinates: [
      [bounds.west, bounds.south],
      [bounds.east, bounds.south],
      [bounds.east, bounds.north],
      [bounds.west, bounds.north],
    ],
  };
  const pad = 24;
  projection.fitExtent([[pad, pad], [width - pad, height - pad]], corners).clipExtent([[0, 0], [width, height]]);
  return { projection, wide };
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Positions the points in `bounds`; circle areas are proportional to event counts. The
 * countries are a separate, cacheable image (`basemap`), drawn with the same projection.
 */
export function renderMap(points: readonly MapPoint[], bounds: Bounds, size = { width: 960, height: 560 }): RenderedMap {
  const { width, height } = size;
  const { projection, wide } = projectionFor(bounds, width, height);
  const largest = Math.max(1, ...points.map((p) => p.count));
  const maxRadius = Math.min(width, height) / (wide ? 22 : 16);
  const view = new URLSearchParams({ ...Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, round(v).toString()])), width: String(width), height: String(height) });
  const marks = points
    .filter((point) => inside(bounds, point))
    .map((point) => {
      const [x, y] = projection([point.longitude, point.latitude]) ?? [0, 0];
      return { ...point, x: round(x), y: round(y), r: Math.max(3, round(Math.sqrt(point.count / largest) * maxRadius)) };
    });
  const labels = placeLabels(
    [...marks].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).map((mark) => ({ ...mark, text: mark.name })),
    { viewBox: size, sides: ["right", "left", "above", "below"], limit: 10 },
  );
  return {
    width,
    height,
    // The release's version in the URL: the image changes only with a release, so it is cached for good.
    basemap: `/basemap.svg?${view}&v=${version}`,
    // Big circles first, so a small place on top of a big one can still be clicked.
    points: marks.map((mark) => ({ ...mark, labels: labels.get(mark.id)! })).sort((a, b) => b.r - a.r),
    outside: points.filter((point) => !inside(bounds, point)),
  };
}

const PALETTES = {
  light: ".sea{fill:#e8eef4}.land{fill:#f4f1ea}.borders{fill:none;stroke:#c9c4b8;stroke-width:.6}",
  dark: ".sea{fill:#18212b}.land{fill:#26303a}.borders{fill:none;stroke:#44505c;stroke-width:.6}",
};

/** The countries and borders of a view as a standalone SVG document, in the reader's theme. */
export function renderBasemap(bounds: Bounds, width: number, height: number, theme: "light" | "dark" | "system"): string {
  const { projection, wide } = projectionFor(bounds, width, height);
  const path = geoPath(projection).digits(1);
  const { land, borders } = outline(wide ? "110m" : "50m");
  const style = theme === "system" ? `${PALETTES.light}@media (prefers-color-scheme:dark){${PALETTES.dark}}` : PALETTES[theme];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<style>${style}</style><rect class="sea" width="${width}" height="${height}"/>` +
    `<path class="land" d="${path(land) ?? ""}"/><path class="borders" d="${path(borders) ?? ""}"/></svg>`
  );
}
