// Per clustering, every user's set of clusters (those touching its closed
// neighbourhood, or its own), from which all-or-none exposure probabilities
// given the clustering are exact (monte-carlo.ts gives the formulas). Shared
// by RGCR's Monte Carlo and the exact average over a mixture's clusterings.
import type { CSR } from '../../graph/csr.js';
import type { PairList } from './pairs.js';

/**
 * For every user, the distinct clusters of its closed neighbourhood (or its
 * own cluster) in the current clustering, as a CSR with fixed slots: user
 * i's clusters sit at list[start[i] .. start[i] + size[i]), start[i] being
 * offsets[i] + i, room for all deg(i) + 1 of them. Inverted, each cluster's
 * users (those whose set holds it), so that the clusters two users share
 * are counted by walking i's clusters' users once, not each pair's sets.
 */
export class ClusterSets {
  private readonly start: Uint32Array;
  readonly size: Uint32Array;
  private readonly list: Int32Array;
  private stamp: Int32Array;
  private touchStart = new Uint32Array(1);
  private readonly touchUsers: Uint32Array;
  private count = 0;
  constructor(
    private readonly g: CSR,
    private readonly own: boolean,
  ) {
    const n = g.n;
    this.start = new Uint32Array(n);
    this.size = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.start[i] = own ? i : g.offsets[i]! + i;
    this.list = new Int32Array(own ? n : g.offsets[n]! + n);
    this.touchUsers = new Uint32Array(this.list.length);
    this.stamp = new Int32Array(n);
  }

  build(labels: Int32Array, count: number): void {
    const { g, own, start, size, list } = this;
    if (this.stamp.length < count) this.stamp = new Int32Array(count);
    if (this.touchStart.length < count + 1) this.touchStart = new Uint32Array(count + 1);
    this.count = count;
    const stamp = this.stamp;
    const ts = this.touchStart;
    stamp.fill(-1, 0, count);
    ts.fill(0, 0, count + 1);
    for (let i = 0; i < g.n; i++) {
      const a = start[i]!;
      let w = a;
      const li = labels[i]!;
      stamp[li] = i;
      list[w++] = li;
      ts[li + 1]!++;
      if (!own) {
        for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
          const l = labels[g.nbrs[e]!]!;
          if (stamp[l] !== i) ((stamp[l] = i), (list[w++] = l), ts[l + 1]!++);
        }
      }
      size[i] = w - a;
    }
    // invert: cluster -> users touching it (stamp reused as the fill pointer)
    for (let c = 0; c < count; c++) ts[c + 1]! += ts[c]!;
    for (let c = 0; c < count; c++) stamp[c] = ts[c]!;
    const tu = this.touchUsers;
    for (let i = 0; i < g.n; i++) for (let q = start[i]!; q < start[i]! + size[i]!; q++) tu[stamp[list[q]!]!++] = i;
  }

  /**
   * Lane t of `lanes` (user j at j·T + t): for every user sharing a cluster
   * with i, add 1 per shared cluster (on = 1), or reset to 0 (on = 0).
   */
  mark(i: number, lanes: Uint16Array | Uint32Array, T: number, t: number, on: 0 | 1): void {
    const { start, size, list, touchStart: ts, touchUsers: tu } = this;
    const a = start[i]!;
    for (let q = a; q < a + size[i]!; q++) {
      const cl = list[q]!;
      if (on) for (let e = ts[cl]!; e < ts[cl + 1]!; e++) lanes[tu[e]! * T + t]!++;
      else for (let e = ts[cl]!; e < ts[cl + 1]!; e++) lanes[tu[e]! * T + t] = 0;
    }
  }

  /** The work of one draw's joints: each listed pair once, and twice over Σ_i Σ_{c ∈ C_i} (users touching c). */
  pairWork(pairs: PairList): number {
    const ts = this.touchStart;
    let w = pairs.other.length;
    for (let c = 0; c < this.count; c++) w += 2 * (ts[c + 1]! - ts[c]!) ** 2;
    return w;
  }

  marginals(pow1: Float64Array, pow0: Float64Array, x1: Float64Array, x0: Float64Array): void {
    const size = this.size;
    for (let i = 0; i < size.length; i++) ((x1[i] = pow1[size[i]!]!), (x0[i] = pow0[size[i]!]!));
  }
}

/**
 * Joint probabilities from a block of up to T clusterings at a time. Each
 * pair's sums are loaded once per block, the block's clusterings added in
 * draw order, and stored once: the same additions in the same order as one
 * clustering at a time (so the same numbers to the last bit), with the
 * pair's accumulators in registers instead of six passes over arrays much
 * larger than the cache per clustering. Per user, the T clusterings' set
 * sizes and the clusters shared with the current user sit side by side
 * (lane t of user j at j·T + t), so a pair reads one short run of memory.
 */
export class ClusterBlock {
  readonly slots: ClusterSets[];
  private used = 0;
  private readonly sizeL: Uint16Array | Uint32Array;
  private readonly sharedL: Uint16Array | Uint32Array;
  readonly pow1: Float64Array;
  readonly pow0: Float64Array;
  private readonly ki: Uint32Array;
  private readonly i1: Float64Array;
  private readonly i0: Float64Array;
  /** p = 1/2: the control-world sums equal the treated-world ones */
  private readonly half: boolean;
  constructor(
    private readonly g: CSR,
    own: boolean,
    p: number,
    readonly T = 32,
  ) {
    const top = own ? 1 : maxDegree(g) + 1; // largest set
    this.slots = Array.from({ length: T }, () => new ClusterSets(g, own));
    const Lanes = top < 0xffff ? Uint16Array : Uint32Array;
    this.sizeL = new Lanes(g.n * T);
    this.sharedL = new Lanes(g.n * T);
    this.pow1 = new Float64Array(2 * top + 1);
    this.pow0 = new Float64Array(2 * top + 1);
    for (let k = 0; k <= 2 * top; k++) ((this.pow1[k] = p ** k), (this.pow0[k] = (1 - p) ** k));
    this.ki = new Uint32Array(T);
    this.i1 = new Float64Array(T);
    this.i0 = new Float64Array(T);
    this.half = p === 1 - p;
  }

  /** Where the next clustering's sets are built (kept only if `keep` is called). */
  slot(): ClusterSets {
    return this.slots[this.used]!;
  }

  /** Keep the clustering just built for the joints; true when the block is full (then `flush`). */
  keep(): boolean {
    return ++this.used === this.T;
  }

  /**
   * Add the block's exact joint probabilities to the sums in `c` (p11, p00,
   * p10, p01), the squares of p11 and p00 to `sq`, and count in `apart` the
   * clusterings in which a pair shares no cluster; then empty the block.
   */
  flush(pairs: PairList, c: Float64Array[], sq: Float64Array[], apart: Uint32Array): void {
    const U = this.used;
    this.used = 0;
    if (U === 0 || pairs.other.length === 0) return;
    const { T, slots, sizeL, sharedL, pow1, pow0, ki, i1, i0 } = this;
    const n = this.g.n;
    for (let t = 0; t < U; t++) {
      const size = slots[t]!.size;
      for (let j = 0; j < n; j++) sizeL[j * T + t] = size[j]!;
    }
    const { offsets, other } = pairs;
    const [c11, c00, c10, c01] = c as [Float64Array, Float64Array, Float64Array, Float64Array];
    const [q11, q00] = sq as [Float64Array, Float64Array];
    for (let i = 0; i < n; i++) {
      const k0 = offsets[i]!;
      const k1 = offsets[i + 1]!;
      if (k0 === k1) continue;
      for (let t = 0; t < U; t++) slots[t]!.mark(i, sharedL, T, t, 1);
      for (let t = 0; t < U; t++) {
        const k = sizeL[i * T + t]!;
        ((ki[t] = k), (i1[t] = pow1[k]!), (i0[t] = pow0[k]!));
      }
      if (this.half) {
        this.rowHalf(k0, k1, U, pairs.other, c, sq, apart);
        for (let t = 0; t < U; t++) slots[t]!.mark(i, sharedL, T, t, 0);
        continue;
      }
      for (let k = k0; k < k1; k++) {
        const b = other[k]! * T;
        let s11 = c11[k]!,
          s00 = c00[k]!,
          r11 = q11[k]!,
          r00 = q00[k]!,
          s10 = c10[k]!,
          s01 = c01[k]!,
          ap = apart[k]!;
        for (let t = 0; t < U; t++) {
          const kj = sizeL[b + t]!;
          const sh = sharedL[b + t]!;
          const u = ki[t]! + kj - sh;
          const a11 = pow1[u]!;
          const a00 = pow0[u]!;
          s11 += a11;
          s00 += a00;
          r11 += a11 * a11;
          r00 += a00 * a00;
          // adding an exact 0 when the pair shares a cluster: no branch, same sums
          const z = +(sh === 0);
          s10 += z * (i1[t]! * pow0[kj]!);
          s01 += z * (i0[t]! * pow1[kj]!);
          ap += z;
        }
        ((c11[k] = s11), (c00[k] = s00), (q11[k] = r11), (q00[k] = r00), (c10[k] = s10), (c01[k] = s01), (apart[k] = ap));
      }
      for (let t = 0; t < U; t++) slots[t]!.mark(i, sharedL, T, t, 0);
    }
  }

  /**
   * One user's pairs when p = 1/2: P(both 0 | C) = P(both 1 | C) and
   * P(i 0, j 1 | C) = P(i 1, j 0 | C) exactly, so half the sums are copies
   * of the other half (the same values added in the same order).
   */
  private rowHalf(k0: number, k1: number, U: number, other: Uint32Array, c: Float64Array[], sq: Float64Array[], apart: Uint32Array): void {
    const { T, sizeL, sharedL, pow1, ki } = this;
    const [c11, c00, c10, c01] = c as [Float64Array, Float64Array, Float64Array, Float64Array];
    const [q11, q00] = sq as [Float64Array, Float64Array];
    for (let k = k0; k < k1; k++) {
      const b = other[k]! * T;
      let s11 = c11[k]!,
        r11 = q11[k]!,
        s10 = c10[k]!,
        ap = apart[k]!;
      for (let t = 0; t < U; t++) {
        const kj = sizeL[b + t]!;
        const sh = sharedL[b + t]!;
        const e = ki[t]! + kj;
        const a11 = pow1[e - sh]!;
        s11 += a11;
        r11 += a11 * a11;
        const z = +(sh === 0);
        s10 += z * pow1[e]!; // 2^-ki · 2^-kj, exact
        ap += z;
      }
      ((c11[k] = s11), (c00[k] = s11), (q11[k] = r11), (q00[k] = r11), (c10[k] = s10), (c01[k] = s10), (apart[k] = ap));
    }
  }
}

function maxDegree(g: CSR): number {
  let d = 0;
  for (let i = 0; i < g.n; i++) d = Math.max(d, g.offsets[i + 1]! - g.offsets[i]!);
  return d;
}
