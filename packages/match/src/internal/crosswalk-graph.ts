import type { CrosswalkDocument } from '../types.js';

/**
 * A crosswalk as a compact graph. Nodes `0..conceptCount` are concepts; the nodes after them are
 * one hub per `exactMatch` group, linked both ways to the group's concepts, so a group of k
 * concepts costs 2k edges rather than k². `narrower` relations run from the broader concept to
 * the narrower one, the direction a search walks from a requirement towards what satisfies it.
 * Edges are in compressed rows: node v's edges are `targets[offsets[v] .. offsets[v + 1])`,
 * equivalence edges first, then narrower ones, each in document order.
 */
export interface CrosswalkGraph {
  ids: Map<string, number>;
  uris: string[];
  conceptCount: number;
  nodeCount: number;
  offsets: Int32Array;
  targets: Int32Array;
  /** 1 for a `narrower` edge, 0 for an equivalence edge (concept to hub, hub to concept). */
  narrower: Uint8Array;
  /** Distinct concepts of each group, by hub number (hub node = conceptCount + number). */
  groupSizes: Int32Array;
}

/** Build the graph of a schema-valid crosswalk document, in time linear in its size. */
export function toGraph(doc: CrosswalkDocument): CrosswalkGraph {
  const ids = new Map<string, number>();
  const uris: string[] = [];
  const idOf = (uri: string): number => {
    let id = ids.get(uri);
    if (id === undefined) {
      id = uris.length;
      ids.set(uri, id);
      uris.push(uri);
    }
    return id;
  };
  const groups: number[][] = [];
  for (const group of doc.exactMatch ?? []) {
    groups.push([...new Set(group.concepts.map((c) => idOf(c.uri)))]);
  }
  const relations: [number, number][] = [];
  for (const r of doc.narrower ?? []) {
    const broader = idOf(r.broader.uri);
    const narrower = idOf(r.narrower.uri);
    if (broader !== narrower) relations.push([broader, narrower]);
  }
  const conceptCount = uris.length;
  const nodeCount = conceptCount + groups.length;

  const degree = new Int32Array(nodeCount + 1);
  groups.forEach((members, g) => {
    degree[conceptCount + g] = members.length;
    for (const c of members) degree[c]! += 1;
  });
  for (const [broader] of relations) degree[broader]! += 1;
  const offsets = new Int32Array(nodeCount + 1);
  for (let v = 0; v < nodeCount; v++) offsets[v + 1] = offsets[v]! + degree[v]!;
  const fill = offsets.slice(0, nodeCount);
  const targets = new Int32Array(offsets[nodeCount]!);
  const narrower = new Uint8Array(targets.length);
  const groupSizes = new Int32Array(groups.length);
  groups.forEach((members, g) => {
    const hub = conceptCount + g;
    groupSizes[g] = members.length;
    for (const c of members) {
      targets[fill[c]!++] = hub;
      targets[fill[hub]!++] = c;
    }
  });
  for (const [broader, narrowerId] of relations) {
    const at = fill[broader]!++;
    targets[at] = narrowerId;
    narrower[at] = 1;
  }
  return { ids, uris, conceptCount, nodeCount, offsets, targets, narrower, groupSizes };
}

/**
 * What one search from a required concept found, in memory proportional to what it reached:
 * position i describes concept `reached[i]`; position 0 is the target itself.
 */
export interface RouteSearch {
  reached: Int32Array;
  /** Position of the next concept towards the target (-1 for the target). */
  parentAt: Int32Array;
  /** 1 when the route from this position takes at least one `narrower` step. */
  viaNarrower: Uint8Array;
  /** Position of a concept id, or -1 when it does not reach the target. */
  positionOf(id: number): number;
}

/** Scratch space of one graph's searches, reset after each (searches run one at a time). */
interface Scratch {
  position: Int32Array;
  hubSeen: Uint8Array;
  hubsTouched: Int32Array;
  order: Int32Array;
  parent: Int32Array;
  via: Uint8Array;
}

const scratchOf = new WeakMap<CrosswalkGraph, Scratch>();

/**
 * Breadth-first search from `target`: first its equivalence class alone (so an exact route
 * always wins over a shorter narrower one), then both relations from the whole class. A hub is
 * expanded when first met, so a step through an `exactMatch` group counts as one step, as a
 * narrower relation does. Time linear in what it reaches (scratch arrays are reused).
 */
export function searchRoutes(graph: CrosswalkGraph, target: number): RouteSearch {
  const { conceptCount, offsets, targets, narrower } = graph;
  let scratch = scratchOf.get(graph);
  if (scratch === undefined) {
    const hubs = graph.nodeCount - conceptCount;
    scratch = {
      position: new Int32Array(conceptCount).fill(-1),
      hubSeen: new Uint8Array(hubs),
      hubsTouched: new Int32Array(hubs),
      order: new Int32Array(conceptCount),
      parent: new Int32Array(conceptCount),
      via: new Uint8Array(conceptCount),
    };
    scratchOf.set(graph, scratch);
  }
  const { position, hubSeen, hubsTouched, order, parent, via } = scratch;
  let found = 0;
  let touched = 0;
  position[target] = found;
  parent[found] = -1;
  via[found] = 0;
  order[found++] = target;
  // The queue is `order`: phase one (equivalences only) runs over it from the start; phase two
  // runs over it from the start again, the class's hubs already spent.
  for (let phase = 0; phase < 2; phase++) {
    const exactOnly = phase === 0;
    for (let i = 0; i < found; i++) {
      const from = order[i]!;
      const end = offsets[from + 1]!;
      for (let e = offsets[from]!; e < end; e++) {
        const next = targets[e]!;
        if (narrower[e] === 1) {
          if (exactOnly || position[next] !== -1) continue;
          position[next] = found;
          parent[found] = i;
          via[found] = 1;
          order[found++] = next;
          continue;
        }
        const hub = next - conceptCount;
        if (hubSeen[hub] === 1) continue;
        hubSeen[hub] = 1;
        hubsTouched[touched++] = hub;
        const hubEnd = offsets[next + 1]!;
        for (let h = offsets[next]!; h < hubEnd; h++) {
          const member = targets[h]!;
          if (position[member] !== -1) continue;
          position[member] = found;
          parent[found] = i;
          via[found] = via[i]!;
          order[found++] = member;
        }
      }
    }
  }
  const reached = order.slice(0, found);
  const result = { reached, parentAt: parent.slice(0, found), viaNarrower: via.slice(0, found) };
  // A dense table when the search reached much of the graph, a map when it reached little.
  let positionOf: (id: number) => number;
  if (found * 8 >= conceptCount) {
    const table = position.slice();
    positionOf = (id) => table[id]!;
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < found; i++) map.set(reached[i]!, i);
    positionOf = (id) => map.get(id) ?? -1;
  }
  for (let i = 0; i < found; i++) position[reached[i]!] = -1;
  for (let i = 0; i < touched; i++) hubSeen[hubsTouched[i]!] = 0;
  return { ...result, positionOf };
}

/**
 * An upper bound, computed in linear time, on the steps of any route a search can return: the
 * longest path through the graph's strongly connected parts (Tarjan, iterative), a part of k
 * concepts counting k − 1 steps, or one step when it is a single `exactMatch` group. A route is
 * a shortest path, and a shortest path crosses each part once, so it cannot be longer.
 */
export function longestRoute(graph: CrosswalkGraph): number {
  const { conceptCount, nodeCount, offsets, targets, narrower, groupSizes } = graph;
  const index = new Int32Array(nodeCount).fill(-1);
  const low = new Int32Array(nodeCount);
  const part = new Int32Array(nodeCount).fill(-1);
  const stack = new Int32Array(nodeCount);
  const frames = new Int32Array(nodeCount);
  const edgeAt = new Int32Array(nodeCount);
  let counter = 0;
  let stackTop = 0;
  let parts = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    frames[depth] = root;
    edgeAt[depth] = offsets[root]!;
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    while (depth >= 0) {
      const v = frames[depth]!;
      const e = edgeAt[depth]!;
      if (e < offsets[v + 1]!) {
        edgeAt[depth] = e + 1;
        const w = targets[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[stackTop++] = w;
          depth += 1;
          frames[depth] = w;
          edgeAt[depth] = offsets[w]!;
        } else if (part[w] === -1) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--stackTop]!;
          part[w] = parts;
        } while (w !== v);
        parts += 1;
      }
      depth -= 1;
      if (depth >= 0) {
        const u = frames[depth]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
    }
  }
  // Tarjan numbers parts sinks first: every edge leaving a part goes to a lower number.
  const concepts = new Int32Array(parts);
  const hubs = new Int32Array(parts);
  const hubOf = new Int32Array(parts).fill(-1);
  for (let v = 0; v < nodeCount; v++) {
    if (v < conceptCount) concepts[part[v]!]! += 1;
    else {
      hubs[part[v]!]! += 1;
      hubOf[part[v]!] = v - conceptCount;
    }
  }
  const longest = new Float64Array(parts);
  for (let p = 0; p < parts; p++) {
    const k = concepts[p]!;
    longest[p] = k <= 1 ? 0 : hubs[p] === 1 && groupSizes[hubOf[p]!] === k ? 1 : k - 1;
  }
  const byPart = countingSort(part, parts);
  let max = 0;
  for (let p = 0; p < parts; p++) {
    let beyond = 0;
    for (let i = byPart.start[p]!; i < byPart.start[p + 1]!; i++) {
      const v = byPart.nodes[i]!;
      for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
        const q = part[targets[e]!]!;
        if (q !== p && narrower[e] === 1) beyond = Math.max(beyond, 1 + longest[q]!);
      }
    }
    longest[p]! += beyond;
    max = Math.max(max, longest[p]!);
  }
  return max;
}

function countingSort(part: Int32Array, parts: number): { start: Int32Array; nodes: Int32Array } {
  const start = new Int32Array(parts + 1);
  for (const p of part) start[p + 1]! += 1;
  for (let p = 0; p < parts; p++) start[p + 1]! += start[p]!;
  const fill = start.slice(0, parts);
  const nodes = new Int32Array(part.length);
  part.forEach((p, v) => {
    nodes[fill[p]!++] = v;
  });
  return { start, nodes };
}
