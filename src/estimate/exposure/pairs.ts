// Which pairs of users can have dependent exposures. Each user's exposure is
// a function of some independent random "blocks" (units, matched pairs of
// units, or nodes' clustering priorities); users sharing no block are
// independent, so their Aronow–Samii terms vanish. Listing only the pairs
// that share a block keeps the variance sparse: O(n · dependent set) instead
// of O(n²).
import type { CSR } from '../../graph/csr.js';
import type { UnitSets } from './sets.js';

/** For each user i, the users j > i that share a block with i. */
export interface PairList {
  readonly offsets: Uint32Array; // n + 1
  readonly other: Uint32Array;
  /** number of blocks the pair shares, when listed by dependentPairs */
  readonly shared?: Uint32Array;
}

/** Default ceiling on stored pairs (each costs about 40 bytes with its probabilities). */
export const MAX_PAIRS = 10_000_000;

export function dependentPairs(n: number, blocks: UnitSets, blockCount: number, maxPairs = MAX_PAIRS): PairList | null {
  // invert: block -> users
  const inv = new Uint32Array(blockCount + 1);
  for (let k = 0; k < blocks.list.length; k++) inv[blocks.list[k]! + 1]!++;
  for (let b = 0; b < blockCount; b++) inv[b + 1]! += inv[b]!;
  const members = new Uint32Array(blocks.list.length);
  const fill = inv.slice(0, blockCount);
  for (let i = 0; i < n; i++) for (let k = blocks.offsets[i]!; k < blocks.offsets[i + 1]!; k++) members[fill[blocks.list[k]!]!++] = i;
  const count = new Uint32Array(n); // blocks shared with the current i
  if (estimatePairs(n, blocks, inv, members, count) > 2 * maxPairs) return null;
  const offsets = new Uint32Array(n + 1);
  const seen: number[] = [];
  let other = new Uint32Array(1024);
  let shared = new Uint32Array(1024);
  let w = 0;
  for (let i = 0; i < n; i++) {
    seen.length = 0;
    for (let k = blocks.offsets[i]!; k < blocks.offsets[i + 1]!; k++) {
      const b = blocks.list[k]!;
      for (let q = inv[b]!; q < inv[b + 1]!; q++) {
        const j = members[q]!;
        if (j > i && count[j]!++ === 0) seen.push(j);
      }
    }
    if (w + seen.length > maxPairs) return null;
    while (w + seen.length > other.length) {
      const len = Math.min(other.length * 2, maxPairs);
      const o = new Uint32Array(len);
      o.set(other);
      other = o;
      const s = new Uint32Array(len);
      s.set(shared);
      shared = s;
    }
    seen.sort((a, b) => a - b);
    for (const j of seen) ((other[w] = j), (shared[w++] = count[j]!), (count[j] = 0));
    offsets[i + 1] = w;
  }
  return { offsets, other: other.slice(0, w), shared: shared.slice(0, w) };
}

/**
 * Pairs sharing a block, estimated from a sample of 2,048 users (every user
 * below 4,096, so exact there): listing them only to find far too many took
 * seconds on a 200,000-user graph. The sample follows the golden-ratio
 * sequence (user floor(frac(k·φ)·n), k = 1, 2, ...) rather than every s-th
 * user, which a user order with period s (blocks laid out in turn) would
 * alias. The caller keeps a 2x margin, so a count near the ceiling is still
 * decided by listing.
 */
function estimatePairs(n: number, blocks: UnitSets, inv: Uint32Array, members: Uint32Array, mark: Uint32Array): number {
  const SAMPLE = 2048;
  const all = n < 2 * SAMPLE;
  const size = all ? n : SAMPLE;
  let partners = 0;
  for (let k = 0; k < size; k++) {
    const i = all ? k : Math.floor((((k + 1) * 0.6180339887498949) % 1) * n);
    const stampValue = k + 1;
    for (let q = blocks.offsets[i]!; q < blocks.offsets[i + 1]!; q++) {
      const b = blocks.list[q]!;
      for (let m = inv[b]!; m < inv[b + 1]!; m++) {
        const j = members[m]!;
        if (j !== i && mark[j] !== stampValue) ((mark[j] = stampValue), partners++);
      }
    }
  }
  mark.fill(0);
  return size ? ((partners / size) * n) / 2 : 0;
}

/** Every pair (for tiny graphs and enumeration). */
export function allPairs(n: number): PairList {
  const offsets = new Uint32Array(n + 1);
  const other = new Uint32Array((n * (n - 1)) / 2);
  let w = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) other[w++] = j;
    offsets[i + 1] = w;
  }
  return { offsets, other };
}

/** Re-key each user's set through `f` (e.g. unit -> matched pair), deduplicated and sorted. */
export function mapSets(sets: UnitSets, f: (u: number) => number, count: number): UnitSets {
  const stamp = new Int32Array(count).fill(-1);
  const offsets = new Uint32Array(sets.offsets.length);
  const list = new Uint32Array(sets.list.length);
  let w = 0;
  for (let i = 0; i + 1 < sets.offsets.length; i++) {
    for (let k = sets.offsets[i]!; k < sets.offsets[i + 1]!; k++) {
      const b = f(sets.list[k]!);
      if (stamp[b] !== i) ((stamp[b] = i), (list[w++] = b));
    }
    list.subarray(offsets[i]!, w).sort();
    offsets[i + 1] = w;
  }
  return { offsets, list: list.slice(0, w) };
}

/** Concatenate several families of sets over disjoint block ranges (block + shift[m]). */
export function concatSets(families: UnitSets[], shifts: number[]): UnitSets {
  const n = families[0]!.offsets.length - 1;
  const offsets = new Uint32Array(n + 1);
  const list = new Uint32Array(families.reduce((s, f) => s + f.list.length, 0));
  let w = 0;
  for (let i = 0; i < n; i++) {
    families.forEach((f, m) => {
      for (let k = f.offsets[i]!; k < f.offsets[i + 1]!; k++) list[w++] = f.list[k]! + shifts[m]!;
    });
    offsets[i + 1] = w;
  }
  return { offsets, list };
}

/** Nodes within `radius` hops of each node (the node itself included). */
export function balls(g: CSR, radius: number, maxPairs = MAX_PAIRS): UnitSets | null {
  const n = g.n;
  // j in i's ball makes (i, j) a dependent pair (both balls hold j), so more
  // than 2 * maxPairs entries beyond the centres means too many pairs: stop
  // before a wide radius fills memory with near-complete balls
  const budget = 2 * maxPairs + n;
  const dist = new Int32Array(n).fill(-1);
  const queue = new Uint32Array(n);
  const offsets = new Uint32Array(n + 1);
  let list = new Uint32Array(n * 4);
  let w = 0;
  for (let s = 0; s < n; s++) {
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    dist[s] = 0;
    while (head < tail) {
      const u = queue[head++]!;
      if (dist[u]! >= radius) continue;
      for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
        const v = g.nbrs[e]!;
        if (dist[v] === -1) ((dist[v] = dist[u]! + 1), (queue[tail++] = v));
      }
    }
    if (w + tail > budget) return null;
    while (w + tail > list.length) {
      const l = new Uint32Array(Math.min(list.length * 2, budget));
      l.set(list);
      list = l;
    }
    for (let k = 0; k < tail; k++) ((list[w++] = queue[k]!), (dist[queue[k]!] = -1));
    list.subarray(offsets[s]!, w).sort();
    offsets[s + 1] = w;
  }
  return { offsets, list: list.slice(0, w) };
}
