// Hand-built graphs whose properties are known in closed form.
import { csrFromEdges, threadsFromLists, type SocialGraph } from '../../src/graph/csr.js';

/** Ring of n nodes, each linked to the k/2 nearest on each side; blocks of `block` consecutive nodes. */
export function ringLattice(n: number, k: number, block?: number): SocialGraph {
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 1; j <= k / 2; j++) (src.push(i), dst.push((i + j) % n));
  const { csr } = csrFromEdges(n, src, dst);
  if (!block) return { csr };
  const blocks = new Int32Array(n);
  for (let i = 0; i < n; i++) blocks[i] = Math.floor(i / block);
  return { csr, blocks };
}

export function fromEdgeList(n: number, edges: [number, number][], blocks?: number[]): SocialGraph {
  const { csr } = csrFromEdges(
    n,
    edges.map((e) => e[0]),
    edges.map((e) => e[1]),
  );
  return blocks ? { csr, blocks: Int32Array.from(blocks) } : { csr };
}

/**
 * 9 nodes: a triangle, a 4-cycle, a pendant path and a bridge, in blocks
 * {0,1,2}, {3,4,5,6}, {7,8}, with four overlapping group threads. Closed
 * neighbourhoods have at most 4 users, so small designs give every user a
 * positive chance of both worlds; small enough to enumerate every assignment.
 */
export function nineNodes(): SocialGraph {
  const edges: [number, number][] = [
    [0, 1],
    [1, 2],
    [2, 0],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 3],
    [6, 7],
    [7, 8],
  ];
  return {
    ...fromEdgeList(9, edges, [0, 0, 0, 1, 1, 1, 1, 2, 2]),
    threads: threadsFromLists(9, [
      [0, 1, 2],
      [2, 3, 4],
      [3, 4, 5, 6],
      [6, 7, 8],
    ]),
  };
}
