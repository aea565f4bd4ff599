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
  private readonly size: Uint32Array;
  private readonly list: Int32Array;
  private stamp: Int32Array;
  private touchStart = new Uint32Array(1);
  private readonly touchUsers: Uint32Array;
  /** clusters user j shares with the current i (0 outside the i loop) */
  private readonly shared: Uint32Array;
  private pow1 = new Float64Array(0);
  private pow0 = new Float64Array(0);
  private powOf = NaN;
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
    this.shared = new Uint32Array(n);
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

  /** The work of one draw's joints: each listed pair once, and twice over Σ_i Σ_{c ∈ C_i} (users touching c). */
  pairWork(pairs: PairList): number {
    const ts = this.touchStart;
    let w = pairs.other.length;
    for (let c = 0; c < this.count; c++) w += 2 * (ts[c + 1]! - ts[c]!) ** 2;
    return w;
  }

  private powers(p: number): void {
    const top = 2 * (this.own ? 1 : maxDegree(this.g) + 1) + 1;
    if (this.powOf === p && this.pow1.length > top) return;
    this.pow1 = new Float64Array(top + 1);
    this.pow0 = new Float64Array(top + 1);
    for (let k = 0; k <= top; k++) ((this.pow1[k] = p ** k), (this.pow0[k] = (1 - p) ** k));
    this.powOf = p;
  }

  marginals(p: number, x1: Float64Array, x0: Float64Array): void {
    this.powers(p);
    const { size, pow1, pow0 } = this;
    for (let i = 0; i < size.length; i++) ((x1[i] = pow1[size[i]!]!), (x0[i] = pow0[size[i]!]!));
  }

  /**
   * Add this clustering's exact joint probabilities to the sums in `c` (p11,
   * p00, p10, p01), their squares (p11, p00) to `sq`, and count in `apart`
   * the pairs that share no cluster.
   */
  joints(pairs: PairList, p: number, c: Float64Array[], sq: Float64Array[], apart: Uint32Array): void {
    this.powers(p);
    const { start, size, list, shared, touchStart: ts, touchUsers: tu, pow1, pow0 } = this;
    const { offsets, other } = pairs;
    const [c11, c00, c10, c01] = c as [Float64Array, Float64Array, Float64Array, Float64Array];
    const [q11, q00] = sq as [Float64Array, Float64Array];
    for (let i = 0; i + 1 < offsets.length; i++) {
      const k0 = offsets[i]!;
      const k1 = offsets[i + 1]!;
      if (k0 === k1) continue;
      const a = start[i]!;
      const ki = size[i]!;
      for (let q = a; q < a + ki; q++) {
        const cl = list[q]!;
        for (let t = ts[cl]!; t < ts[cl + 1]!; t++) shared[tu[t]!]!++;
      }
      const i1 = pow1[ki]!;
      const i0 = pow0[ki]!;
      for (let k = k0; k < k1; k++) {
        const j = other[k]!;
        const kj = size[j]!;
        const sh = shared[j]!;
        const u = ki + kj - sh;
        const a11 = pow1[u]!;
        const a00 = pow0[u]!;
        c11[k]! += a11;
        c00[k]! += a00;
        q11[k]! += a11 * a11;
        q00[k]! += a00 * a00;
        if (sh === 0) ((c10[k]! += i1 * pow0[kj]!), (c01[k]! += i0 * pow1[kj]!), apart[k]!++);
      }
      for (let q = a; q < a + ki; q++) {
        const cl = list[q]!;
        for (let t = ts[cl]!; t < ts[cl + 1]!; t++) shared[tu[t]!] = 0;
      }
    }
  }
}

function maxDegree(g: CSR): number {
  let d = 0;
  for (let i = 0; i < g.n; i++) d = Math.max(d, g.offsets[i + 1]! - g.offsets[i]!);
  return d;
}
