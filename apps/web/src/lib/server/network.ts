import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from "d3-force";
import type { ActorDetail, Counterpart, Network } from "@backchannel/schema";
import type { LaidOutNetwork } from "$lib/graphics";
import { placeLabels } from "./labels";

type NetworkInput = Pick<Network, "nodes" | "edges">;

/** How many distinct actors each actor is linked to. */
export function degrees(edges: NetworkInput["edges"]): Map<string, number> {
  const degree = new Map<string, number>();
  for (const e of edges) {
    degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
    degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
  }
  return degree;
}

type Node = SimulationNodeDatum & NetworkInput["nodes"][number] & { r: number };

/**
 * A force-directed layout computed on the server (d3-force is deterministic: no randomness
 * in its start positions), so the graph is plain SVG links that work without script.
 */
export function layoutNetwork(input: NetworkInput, size = { width: 960, height: 640 }, labelTop = 24): LaidOutNetwork {
  const { width, height } = size;
  const largest = Math.max(1, ...input.nodes.map((n) => n.events));
  const nodes: Node[] = input.nodes.map((n) => ({ ...n, r: 4 + Math.sqrt(n.events / largest) * 16 }));
  const ids = new Set(nodes.map((n) => n.id));
  const links = input.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e }));
  const simulation = forceSimulation(nodes)
    .force("link", forceLink<Node, (typeof links)[number]>(links).id((n) => n.id).distance(70).strength((l) => Math.min(1, 0.15 + l.weight / 10)))
    .force("charge", forceManyBody().strength(-180))
    .force("x", forceX(width / 2).strength(0.06))
    .force("y", forceY(height / 2).strength(0.09))
    .force("collide", forceCollide<Node>((n) => n.r + 3))
    .stop();
  for (let i = 0; i < 300; i++) simulation.tick();

  // Fit whatever the simulation produced into the view box.
  const margin = 40;
  const xs = nodes.map((n) => n.x ?? 0);
  const ys = nodes.map((n) => n.y ?? 0);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((width - 2 * margin) / Math.max(1, maxX - minX), (height - 2 * margin) / Math.max(1, maxY - minY), 1.6);
  const place = (x: number, y: number) => ({
    x: Math.round((width / 2 + (x - (minX + maxX) / 2) * scale) * 10) / 10,
    y: Math.round((height / 2 + (y - (minY + maxY) / 2) * scale) * 10) / 10,
  });
  const degree = degrees(input.edges);
  const positioned = new Map(nodes.map((n) => [n.id, { ...n, ...place(n.x ?? 0, n.y ?? 0) }]));
  const ranked = placeLabels(
    [...positioned.values()].sort((a, b) => b.events - a.events).map((n) => ({ ...n, text: n.name })),
    { position: "above", fontSize: 11, limit: labelTop },
  );
  return {
    width,
    height,
    nodes: [...positioned.values()].map(({ id, name, kind, events, x, y, r }) => ({
      id, name, kind, events, x, y, r: Math.round(r * 10) / 10, degree: degree.get(id) ?? 0, labelled: ranked.has(id),
    })),
    edges: input.edges
      .filter((e) => positioned.has(e.source) && positioned.has(e.target))
      .map((e) => {
        const a = positioned.get(e.source)!;
        const b = positioned.get(e.target)!;
        return { ...e, x1: a.x, y1: a.y, x2: b.x, y2: b.y };
      }),
  };
}

/** An actor at the centre and its counterparts on a ring, nearer and thicker for more shared events. */
export function egoNetwork(
  actor: Pick<ActorDetail, "id" | "name" | "kind" | "eventCount">,
  counterparts: Counterpart[],
  size = { width: 480, height: 360 },
): LaidOutNetwork {
  const { width, height } = size;
  const cx = width / 2;
  const cy = height / 2;
  const most = Math.max(1, ...counterparts.map((c) => c.sharedEvents));
  const ring = counterparts.map((c, i) => {
    const angle = (i / Math.max(1, counterparts.length)) * Math.PI * 2 - Math.PI / 2;
    const distance = (0.55 + 0.4 * (1 - c.sharedEvents / most)) * (Math.min(width, height) / 2 - 24);
    return {
      id: c.id, name: c.name, kind: c.kind, events: c.sharedEvents, degree: 1, labelled: true,
      x: Math.round((cx + Math.cos(angle) * distance) * 10) / 10,
      y: Math.round((cy + Math.sin(angle) * distance) * 10) / 10,
      r: Math.round((4 + Math.sqrt(c.sharedEvents / most) * 8) * 10) / 10,
    };
  });
  const centreNode = { id: actor.id, name: actor.name, kind: actor.kind, events: actor.eventCount, degree: counterparts.length, labelled: true, x: cx, y: cy, r: 14 };
  const labelled = placeLabels([centreNode, ...ring].map((n) => ({ ...n, text: n.name })), { position: "above", fontSize: 11 });
  return {
    width,
    height,
    nodes: [centreNode, ...ring].map((n) => ({ ...n, labelled: labelled.has(n.id) })),
    edges: ring.map((node) => ({ source: actor.id, target: node.id, weight: node.events, x1: cx, y1: cy, x2: node.x, y2: node.y })),
  };
}
