// The r-net clustering written straight from its definition (Ugander & Yin
// 2023, randomized 3-net; ../data/rgcr-small-world/README.md), for tests:
// all-pairs distances by BFS, no queues shared with the module.
//  - visit nodes in `visit` order; a node becomes a seed when it is at
//    distance >= r from every seed chosen so far;
//  - every node joins its nearest seed; among equally near seeds, the one
//    that comes first in `seedOrder` (any order listing every seed).
import type { CSR } from '../../src/graph/csr.js';

export function distances(g: CSR): number[][] {
  const d: number[][] = [];
  for (let s = 0; s < g.n; s++) {
    const row = new Array<number>(g.n).fill(Infinity);
    row[s] = 0;
    let frontier = [s];
    while (frontier.length) {
      const next: number[] = [];
      for (const u of frontier) {
        for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
          const v = g.nbrs[e]!;
          if (row[v] === Infinity) ((row[v] = row[u]! + 1), next.push(v));
        }
      }
      frontier = next;
    }
    d.push(row);
  }
  return d;
}

export function seedsInVisitOrder(dist: number[][], r: number, visit: readonly number[]): number[] {
  const seeds: number[] = [];
  for (const v of visit) if (seeds.every((s) => dist[s]![v]! >= r)) seeds.push(v);
  return seeds;
}

/** Seed (node id) of each node's cluster. */
export function netBySeed(dist: number[][], seeds: readonly number[], seedOrder: readonly number[]): number[] {
  const rank = new Map(seedOrder.map((s, k) => [s, k]));
  return dist.map((_, v) => {
    let best = -1;
    for (const s of seeds) {
      if (best === -1) best = s;
      else if (dist[s]![v]! < dist[best]![v]! || (dist[s]![v] === dist[best]![v] && rank.get(s)! < rank.get(best)!)) best = s;
    }
    return best;
  });
}

export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  const out: T[][] = [];
  items.forEach((x, k) => {
    for (const rest of permutations([...items.slice(0, k), ...items.slice(k + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** A canonical key of a partition given as one cluster name per node. */
export function partitionKey(names: ArrayLike<number>): string {
  const map = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < names.length; i++) {
    if (!map.has(names[i]!)) map.set(names[i]!, map.size);
    out.push(map.get(names[i]!)!);
  }
  return out.join(',');
}
