// Hand-built graphs whose properties are known in closed form.
import { csrFromEdges, type SocialGraph } from '../../src/graph/csr.js';

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
