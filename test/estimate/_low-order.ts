// Shared by polynomial.test.ts and snipe.test.ts: a tiny graph and
// potential outcomes with interactions of a given order, written out here
// (independently of the estimators) from their definition.
import { stream } from '../../src/random/streams.js';
import { fromEdgeList } from '../helpers/graphs.js';

// A tiny graph: a triangle {0,1,2} bridged to a path 3-4-5; clusters {0,1,2}, {3,4}, {5}
export const n = 6;
const edges: [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 0],
  [2, 3],
  [3, 4],
  [4, 5],
];
const blocks = [0, 0, 0, 1, 1, 2];
export const graph = fromEdgeList(n, edges, blocks);
export const closed: number[][] = Array.from({ length: n }, (_, i) => [
  i,
  ...edges.flatMap(([a, b]) => (a === i ? [b] : b === i ? [a] : [])).sort((x, y) => x - y),
]);

/** subsets of size k of items */
function subsets(items: number[], k: number): number[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [h, ...t] = items;
  return [...subsets(t, k - 1).map((s) => [h!, ...s]), ...subsets(t, k)];
}

/**
 * Potential outcomes with interactions up to order `order` in the closed
 * neighbourhood: Y_i(z) = Σ_{S ⊆ N_i, |S| ≤ order} c_{i,S} Π_{j∈S} z_j, the
 * coefficients fixed from a seeded stream. Returns Y and A_k = (1/n) Σ_i Σ_{|S|=k} c_{i,S}.
 */
export function outcomeFunction(order: number, seed: number) {
  const rng = stream(seed, 'coefficients');
  const terms = closed.map((N) => {
    const out: { S: number[]; c: number }[] = [];
    for (let k = 0; k <= order; k++) for (const S of subsets(N, k)) out.push({ S, c: Math.round(10 * (rng() * 4 - 1)) / 10 });
    return out;
  });
  const Y = (z: ArrayLike<number>) => terms.map((ts) => ts.reduce((s, { S, c }) => s + (S.every((j) => z[j] === 1) ? c : 0), 0));
  const A = Array.from(
    { length: order + 1 },
    (_, k) => terms.reduce((s, ts) => s + ts.filter((t) => t.S.length === k).reduce((a, t) => a + t.c, 0), 0) / n,
  );
  return { Y, A };
}
