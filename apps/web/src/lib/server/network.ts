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

/** Above a node first (names read like captions), then below, beside it, then off a corner. */
const NETWORK_LABEL_SIDES = ["above", "below", "right", "left", "above-right", "above-left", "below-right", "below-left"] as const;

type Node = SimulationNodeDatum & NetworkInput["nodes"][number] & { r: number };

/**
 * A force-directed layout computed on the server (d3-force is deterministic: no randomness
 * in its start positions), so the graph is plain SVG links that work without script.
 */
export function layoutNetwork(input: NetworkInput, size = { width: 960, height: 640 }): LaidOutNetwork {
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
    // Room around each node for its label (a label may lie near no other node), the most for the
    // busiest actors, whose names must show at every width.
    .force("collide", forceCollide<Node>((n) => n.r + 14 + (n.events * 3 >= largest ? n.name.length * 1.5 : 0)))
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
  const labels = placeLabels(
    [...positioned.values()].sort((a, b) => b.events - a.events || a.name.localeCompare(b.name)).map((n) => ({ ...n, text: n.name })),
    { viewBox: size, sides: NETWORK_LABEL_SIDES },
  );
  return {
    width,
    height,
    nodes: [...positioned.values()].map(({ id, name, kind, events, x, y, r }) => ({
      id, name, kind, events, x, y, r: Math.round(r * 10) / 10, degree: degree.get(id) ?? 0, labels: labels.get(id)!,
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
      id: c.id, name: c.name, kind: c.kind, events: c.sharedEvents, degree: 1,
      x: Math.round((cx + Math.cos(angle) * distance) * 10) / 10,
      y: Math.round((cy + Math.sin(angle) * distance) * 10) / 10,
      r: Math.round((4 + Math.sqrt(c.sharedEvents / most) * 8) * 10) / 10,
    };
  });
  const centreNode = { id: actor.id, name: actor.name, kind: actor.kind, events: actor.eventCount, degree: counterparts.length, x: cx, y: cy, r: 14 };
  const labels = placeLabels([centreNode, ...ring].map((n) => ({ ...n, text: n.name })), { viewBox: size, sides: NETWORK_LABEL_SIDES });
  return {
    width,
    height,
    nodes: [centreNode, ...ring].map((n) => ({ ...n, labels: labels.get(n.id)! })),
    edges: ring.map((node) => ({ source: actor.id, target: node.id, weight: node.events, x1: cx, y1: cy, x2: node.x, y2: node.y })),
  };
}

/**
 * The network as a table, the picture's accessible twin: every actor (busiest first) with its
 * ties, strongest first, each with the number of events shared.
 */
export function nodesAndTies(network: Pick<LaidOutNetwork, "nodes" | "edges">) {
  const names = new Map(network.nodes.map((n) => [n.id, n.name]));
  return [...network.nodes]
    .sort((a, b) => b.events - a.events || a.name.localeCompare(b.name))
    .map((node) => ({
      id: node.id,
      name: node.name,
      kind: node.kind,
      events: node.events,
      ties: network.edges
        .filter((e) => e.source === node.id || e.target === node.id)
        .map((e) => {
          const other = e.source === node.id ? e.target : e.source;
          return { id: other, name: names.get(other) ?? other, shared: e.weight };
        })
        .sort((a, b) => b.shared - a.shared || a.name.localeCompare(b.name)),
    }));
}
