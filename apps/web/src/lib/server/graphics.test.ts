import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEXT_STEPS, textUnits } from "$lib/graphics";
import { boxOf, gapBetween, placeLabels, type Labelable } from "./labels";
import { GULF_VIEW, boundsOf, renderBasemap, renderMap } from "./map";
import { egoNetwork, layoutNetwork } from "./network";

const muscat = { id: "muscat", name: "Muscat", latitude: 23.588, longitude: 58.3829, count: 10 };
const palace = { id: "al-alam-palace", name: "Al Alam Palace", latitude: 23.6146, longitude: 58.5946, count: 1 };
const tehran = { id: "tehran", name: "Tehran", latitude: 35.6892, longitude: 51.389, count: 6 };
const newYork = { id: "new-york", name: "New York City", latitude: 40.7128, longitude: -74.006, count: 1 };

describe("the map", () => {
  it("puts places inside the view, areas proportional to counts, and lists the rest", () => {
    const map = renderMap([muscat, tehran, newYork], GULF_VIEW, { width: 600, height: 400 });
    expect(map.points.map((p) => p.id).sort()).toEqual(["muscat", "tehran"]);
    expect(map.outside.map((p) => p.id)).toEqual(["new-york"]);
    for (const p of map.points) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(600);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(400);
    }
    const [m, t] = [map.points.find((p) => p.id === "muscat")!, map.points.find((p) => p.id === "tehran")!];
    expect(m.x).toBeGreaterThan(t.x); // east of Tehran
    expect(m.y).toBeGreaterThan(t.y); // and south
    expect((m.r / t.r) ** 2).toBeCloseTo(10 / 6, 1);
  });

  it("labels the busier of two places that would collide", () => {
    const map = renderMap([muscat, palace], GULF_VIEW, { width: 600, height: 400 });
    const widest = TEXT_STEPS.length - 1;
    expect(map.points.filter((p) => p.labels[widest]!.shown).map((p) => p.id)).toEqual(["muscat"]);
  });

  it("widens the bounds of a single place so it is not a blur, and fits the world when spread", () => {
    const one = boundsOf([muscat], 12);
    expect(one.east - one.west).toBeCloseTo(12);
    const world = boundsOf([muscat, newYork]);
    expect(world.west).toBeCloseTo(newYork.longitude);
    expect(renderMap([muscat, newYork], world).outside).toEqual([]);
  });

  it("draws the countries of a view as a standalone SVG in the reader's theme", () => {
    const svg = renderBasemap(GULF_VIEW, 600, 400, "dark");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/<path class="land" d="M[\d.,\-MLZ]{1000,}/);
    expect(svg).toContain("#26303a");
    expect(renderBasemap(GULF_VIEW, 600, 400, "system")).toContain("prefers-color-scheme:dark");
  });
});

describe("the network", () => {
  const input = {
    nodes: [
      { id: "iran", name: "Iran", kind: "state" as const, country: "IR", events: 13 },
      { id: "oman", name: "Oman", kind: "state" as const, country: "OM", events: 10 },
      { id: "usa", name: "United States", kind: "state" as const, country: "US", events: 10 },
      { id: "alone", name: "Alone", kind: "person" as const, country: null, events: 1 },
    ],
    edges: [
      { source: "iran", target: "oman", weight: 5 },
      { source: "iran", target: "usa", weight: 7 },
      { source: "ghost", target: "iran", weight: 1 },
    ],
  };

  it("lays every actor out inside the picture, edges ending on their nodes", () => {
    const network = layoutNetwork(input, { width: 500, height: 300 });
    expect(network.nodes).toHaveLength(4);
    for (const n of network.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(500);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(300);
    }
    expect(network.edges).toHaveLength(2); // the edge to an unknown node is dropped
    const iran = network.nodes.find((n) => n.id === "iran")!;
    expect(network.edges.every((e) => e.x1 === iran.x && e.y1 === iran.y)).toBe(true);
    expect(iran.degree).toBe(3);
  });

  it("is the same picture every time (no randomness in the layout)", () => {
    expect(layoutNetwork(input)).toEqual(layoutNetwork(input));
  });

  it("puts the closest counterparts nearest the centre of an ego network", () => {
    const ego = egoNetwork({ id: "me", name: "Me", kind: "person", eventCount: 5 }, [
      { id: "close", name: "Close", kind: "person", sharedEvents: 4 },
      { id: "far", name: "Far", kind: "state", sharedEvents: 1 },
    ]);
    const [centre, close, far] = ego.nodes;
    const distance = (n: typeof centre) => Math.hypot(n!.x - centre!.x, n!.y - centre!.y);
    expect(distance(close)).toBeLessThan(distance(far));
    expect(ego.edges.map((e) => e.weight)).toEqual([4, 1]);
  });
});

describe("labels", () => {
  const overlap = (a: ReturnType<typeof boxOf>, b: ReturnType<typeof boxOf>) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const marks = fc
    .uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 6 }),
        x: fc.integer({ min: 0, max: 960 }),
        y: fc.integer({ min: 0, max: 640 }),
        r: fc.integer({ min: 3, max: 20 }),
        text: fc.string({ minLength: 1, maxLength: 30 }),
      }),
      { selector: (m) => m.id, maxLength: 40 },
    )
    .map((list) => list.filter((m, i) => list.slice(0, i).every((o) => Math.hypot(o.x - m.x, o.y - m.y) > o.r + m.r)));

  it("at every width: labels inside the picture, none over another, each nearer its own mark than any other", () => {
    fc.assert(
      fc.property(marks, (list: Labelable[]) => {
        const viewBox = { width: 960, height: 640 };
        const labels = placeLabels(list, { viewBox, sides: ["above", "below", "right", "left", "above-right", "below-left"] });
        TEXT_STEPS.forEach((step, i) => {
          const shown = list.flatMap((mark) => (labels.get(mark.id)![i]!.shown ? [{ mark, box: boxOf(labels.get(mark.id)![i]!, mark.text) }] : []));
          for (const { mark, box } of shown) {
            expect(labels.get(mark.id)![i]!.size).toBe(textUnits(viewBox.width, step));
            expect(box.left).toBeGreaterThanOrEqual(0);
            expect(box.right).toBeLessThanOrEqual(viewBox.width);
            expect(box.top).toBeGreaterThanOrEqual(0);
            expect(box.bottom).toBeLessThanOrEqual(viewBox.height);
            for (const other of list) if (other !== mark) expect(gapBetween(box, other)).toBeGreaterThan(gapBetween(box, mark));
            for (const next of shown) if (next !== shown.find((s) => s.mark === mark)) expect(overlap(box, next.box)).toBe(false);
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it("sizes text to render at 12 px or more at each width step, however wide the picture's own units", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 4000 }), fc.constantFrom(...TEXT_STEPS), (units, step) => {
        // The graphic is drawn inside a 1 px border: step − 2 px wide at the narrowest.
        expect((textUnits(units, step) * (step - 2)) / units).toBeGreaterThanOrEqual(12);
      }),
    );
  });
});
