// Which pairs of users can have dependent exposures. Each user's exposure is
// a function of some independent random "blocks" (units, matched pairs of
// units, or nodes' clustering priorities); users sharing no block are
// independent, so their Aronow–Samii terms vanish. Listing only the pairs
// that share a block keeps the variance sparse: O(n · dependent set) instead
// of O(n²).
//
// There is no ceiling on how many: the pairs are counted exactly before any
// array for them is allocated, and the count is checked against a memory
// budget (a PairLimit, from --max-memory through budget.ts), which refuses a
// list that does not fit. Whether pairs are listed thus never depends on the
// machine: a run either gets every pair or is refused.
import type { UnitSets } from './sets.js';

/** For each user i, the users j > i that share a block with i. */
export interface PairList {
  readonly offsets: Uint32Array; // n + 1
  readonly other: Uint32Array;
  /** number of blocks the pair shares, when listed by dependentPairs */
  readonly shared?: Uint32Array;
}

/** Bytes a listed pair keeps: its partner and shared-block count (4 + 4) and four joint probabilities (4 × 8). */
export const PAIR_BYTES = 40;
/**
 * Bytes a pair takes at the peak of computing its joints: the 40 kept, and
 * while Monte Carlo or a mixture's exact average runs, two sums of squares
 * (2 × 8), a separation count (4) and, for the standard errors, two more
 * arrays (2 × 8): 76, with the copy into shared memory for set-up threads
 * on top where the arrays were not allocated there (pairArray). Measured
 * peak RSS over pairs, everything included: 90 bytes on SW96's RGCR 3-net
 * (3.8 GB, 42.5 M pairs), 40 on the default scenario's closed forms (4.8 GB,
 * 120 M). Budgets are checked against this.
 */
export const PAIR_PEAK_BYTES = 96;

/**
 * How many pairs may be listed, and the error refusing more: `pairs` is the
 * exact count, an estimate from a sample of users, or a lower bound.
 * A plain number is a maximum whose excess gives null instead (tests, benchmarks).
 */
export interface PairLimit {
  readonly max: number;
  refuse(pairs: number, how: 'exact' | 'sampled' | 'at least'): Error;
}
type Limit = PairLimit | number | undefined;

/**
 * A per-pair array, on a SharedArrayBuffer where there is one (Node; a
 * cross-origin-isolated page): the set-up hands pair lists to the workers in
 * shared memory, and an array already there is not copied (sim/shared.ts),
 * which saves a second copy of every list at the peak.
 */
export function pairArray<T extends Uint32Array | Float64Array>(
  ctor: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  const bytes = Math.max(1, length) * ctor.BYTES_PER_ELEMENT;
  const b = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const a = new ctor(b);
  return (a.length === length ? a : a.subarray(0, length)) as T;
}
const maxOf = (l: Limit) => (l === undefined ? Infinity : typeof l === 'number' ? l : l.max);
/** null for a numeric limit; throws a PairLimit's refusal */
function over(l: Limit, pairs: number, how: 'exact' | 'sampled' | 'at least'): null {
  if (typeof l === 'object') throw l.refuse(pairs, how);
  return null;
}

/**
 * The pairs sharing a block, each (i, j > i) once with the number of blocks
 * they share. Counted first, exactly, without listing (one pass like the
 * listing's); a limit then refuses a count above it before any pair array
 * is allocated, and the arrays get exactly the count. Above 4,096 users a
 * sampled estimate refuses clear excess (more than twice the limit) first,
 * so a near-complete listing of millions of users is not counted to the end
 * just to be refused.
 */
export function dependentPairs(n: number, blocks: UnitSets, blockCount: number, limit?: Limit): PairList | null {
  // invert: block -> users
  const inv = new Uint32Array(blockCount + 1);
  for (let k = 0; k < blocks.list.length; k++) inv[blocks.list[k]! + 1]!++;
  for (let b = 0; b < blockCount; b++) inv[b + 1]! += inv[b]!;
  const members = new Uint32Array(blocks.list.length);
  const fill = inv.slice(0, blockCount);
  for (let i = 0; i < n; i++) for (let k = blocks.offsets[i]!; k < blocks.offsets[i + 1]!; k++) members[fill[blocks.list[k]!]!++] = i;
  const count = new Uint32Array(n); // blocks shared with the current i
  const max = maxOf(limit);
  if (max < Infinity) {
    const e = estimatePairs(n, blocks, inv, members, count);
    if (e > 2 * max) return over(limit, Math.round(e), 'sampled');
  }
  // exact: per user i, the users j > i sharing a block with it
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const stamp = i + 1;
    let c = 0;
    for (let k = blocks.offsets[i]!; k < blocks.offsets[i + 1]!; k++) {
      const b = blocks.list[k]!;
      for (let q = inv[b]!; q < inv[b + 1]!; q++) {
        const j = members[q]!;
        if (j > i && count[j] !== stamp) ((count[j] = stamp), c++);
      }
    }
    total += c;
    if (total > 2 ** 32 - 1) return over(limit, total, 'at least'); // offsets are 32-bit
    offsets[i + 1] = total;
  }
  if (total > max) return over(limit, total, 'exact');
  count.fill(0);
  const other = pairArray(Uint32Array, total);
  const shared = pairArray(Uint32Array, total);
  for (let i = 0; i < n; i++) {
    let w = offsets[i]!;
    const start = w;
    for (let k = blocks.offsets[i]!; k < blocks.offsets[i + 1]!; k++) {
      const b = blocks.list[k]!;
      for (let q = inv[b]!; q < inv[b + 1]!; q++) {
        const j = members[q]!;
        if (j > i && count[j]!++ === 0) other[w++] = j;
      }
    }
    const mine = other.subarray(start, w).sort();
    for (let k = 0; k < mine.length; k++) ((shared[start + k] = count[mine[k]!]!), (count[mine[k]!] = 0));
  }
  return { offsets, other, shared };
}

/**
 * Pairs sharing a block, estimated from a sample of 2,048 users (every user
 * below 4,096, so exact there): listing them only to find far too many took
 * seconds on a 200,000-user graph. The sample follows the golden-ratio
 * sequence (user floor(frac(k·φ)·n), k = 1, 2, ...) rather than every s-th
 * user, which a user order with period s (blocks laid out in turn) would
 * alias. The caller keeps a 2x margin, so a count near the limit is still
 * decided by the exact count.
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
