// The pairs of users at most `hops` apart, each (i, j > i) once, sorted: the
// dependent pairs of a randomized clustering whose exposures reach `hops / 2`
// hops: exactly those whose balls of radius hops / 2 share a node. Found by
// one truncated breadth-first search per user, O(n · (ball + its edges)),
// not by listing the users of every ball, O(n · ball²): on a small world
// where balls cover most of the graph, seconds instead of minutes.
import type { CSR } from '../../graph/csr.js';
import { pairArray, type PairList } from './pairs.js';

/** Users within `hops` of s (s excluded) that are greater than s, into `out` from 0; returns how many. */
function reach(g: CSR, s: number, hops: number, dist: Int32Array, queue: Uint32Array, out: Uint32Array | null): number {
  let head = 0;
  let tail = 0;
  let c = 0;
  queue[tail++] = s;
  dist[s] = 0;
  while (head < tail) {
    const u = queue[head++]!;
    if (u > s) {
      if (out) out[c] = u;
      c++;
    }
    if (dist[u]! >= hops) continue;
    for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
      const v = g.nbrs[e]!;
      if (dist[v] === -1) ((dist[v] = dist[u]! + 1), (queue[tail++] = v));
    }
  }
  for (let k = 0; k < tail; k++) dist[queue[k]!] = -1;
  return c;
}

/**
 * Pairs at most `hops` apart. Counted first (one search per user), then
 * `fits(count, atLeast)` decides before the pair array is allocated: false
 * gives null (the caller says why, or throws its refusal). The count stops
 * as soon as it passes `max` (or the 2^32 the offsets can index), and
 * `fits` is then asked with a lower bound (`atLeast`), so a list far too
 * large is not counted to the end just to be refused.
 */
export function pairsWithin(
  g: CSR,
  hops: number,
  fits: (pairs: number, atLeast: boolean) => boolean = () => true,
  max = Infinity,
): PairList | null {
  const n = g.n;
  const dist = new Int32Array(n).fill(-1);
  const queue = new Uint32Array(n);
  const offsets = new Uint32Array(n + 1);
  const stop = Math.min(max, 2 ** 32 - 1);
  let total = 0;
  for (let s = 0; s < n; s++) {
    total += reach(g, s, hops, dist, queue, null);
    if (total > stop) return (fits(total, true), null);
    offsets[s + 1] = total;
  }
  if (!fits(total, false)) return null;
  const other = pairArray(Uint32Array, total);
  for (let s = 0; s < n; s++) {
    const row = other.subarray(offsets[s]!, offsets[s + 1]!);
    reach(g, s, hops, dist, queue, row);
    row.sort();
  }
  return { offsets, other };
}
