// Variance of the Horvitz–Thompson estimator for designs that draw a
// clustering and then treat each cluster independently with probability p:
// a fixed clustering, a mixture of K clusterings (both exact), or RGCR
// (Monte Carlo over independent clusterings). No joint probability is stored:
//
//   Var(HT) = E_C[ E(HT² | C) ] − E_C[ E(HT | C) ]²,
//
// and given a clustering C the exposures of all users are functions of
// independent cluster coins, so E(HT² | C) is exact. With S_i the clusters
// touching i's closed neighbourhood (or i's own cluster), k_i = |S_i|,
// a_i = y1_i/π1_i, b_i = y0_i/π0_i, α_i = a_i p^k_i and β_i = b_i q^k_i:
//
//   n² E(HT² | C) = (Σα − Σβ)² + Σ over ordered pairs (i, j) with S_i ∩ S_j ≠ ∅
//                   (i = j included) of  a_i a_j (p^|S_i∪S_j| − p^(k_i+k_j))
//                   + b_i b_j (q^|S_i∪S_j| − q^(k_i+k_j)) + 2 α_i β_j,
//
// since pairs sharing no cluster are independent and a pair sharing one can
// never be split across the two worlds. Only intersecting pairs are visited:
// Σ over clusters of (users touching it)² per clustering. This is the
// quantity Ugander & Yin's code computes from joint probabilities summed over
// clusterings, over all pairs; here long-range dependence is kept too.
import type { CSR } from '../../graph/csr.js';
import { partitionUnits } from '../../design/design.js';
import { unitSets } from '../exposure/sets.js';

export interface ClusteringSource {
  /** how many clusterings to average over */
  readonly count: number;
  /** true when these are all the clusterings, equally likely (mixture, fixed clustering): the result is exact */
  readonly exact: boolean;
  /** the m-th clustering (for RGCR a fresh independent draw from the m-th stream) */
  clustering(m: number): { labels: Int32Array; count: number };
}

export interface HtVariance {
  /** Var(HT) = E[HT^2] - E[HT]^2 over the design, with the given marginals in the weights */
  readonly variance: number;
  /** Monte Carlo SE of `variance` (0 when exact) */
  readonly se: number;
  /** E[HT] under the design with these weights (the global effect when the marginals are exact) */
  readonly mean: number;
  readonly draws: number;
}

/** Per clustering: each user's cluster set and, inverted, each cluster's users. */
function clusterSets(g: CSR, labels: Int32Array, count: number, scope: 'neighbourhood' | 'own') {
  const sets = unitSets(g, partitionUnits(labels, count), scope);
  const start = new Uint32Array(count + 1);
  for (let q = 0; q < sets.list.length; q++) start[sets.list[q]! + 1]!++;
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!;
  const users = new Uint32Array(sets.list.length);
  const fill = start.slice(0, count);
  for (let i = 0; i < g.n; i++) for (let q = sets.offsets[i]!; q < sets.offsets[i + 1]!; q++) users[fill[sets.list[q]!]!++] = i;
  return { sets, start, users };
}

/**
 * E(HT | C) and E(HT² | C) for one clustering. `shared` is scratch of
 * length n, all zeros on entry and on exit.
 */
export function conditionalMoments(
  g: CSR,
  c: { labels: Int32Array; count: number },
  scope: 'neighbourhood' | 'own',
  p: number,
  a: Float64Array,
  b: Float64Array,
  shared: Uint32Array,
): { m1: number; m2: number } {
  const n = g.n;
  const q = 1 - p;
  const { sets, start, users } = clusterSets(g, c.labels, c.count, scope);
  const k = new Uint32Array(n);
  let top = 0;
  for (let i = 0; i < n; i++) ((k[i] = sets.offsets[i + 1]! - sets.offsets[i]!), (top = Math.max(top, k[i]!)));
  // powers by table: the pair loop below is the hot one
  const pw = new Float64Array(2 * top + 1);
  const qw = new Float64Array(2 * top + 1);
  for (let e = 0; e <= 2 * top; e++) ((pw[e] = p ** e), (qw[e] = q ** e));
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) ((sa += a[i]! * pw[k[i]!]!), (sb += b[i]! * qw[k[i]!]!));
  let extra = 0;
  const touched = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    const bi = b[i]!;
    if (ai === 0 && bi === 0) continue;
    let t = 0;
    for (let s = sets.offsets[i]!; s < sets.offsets[i + 1]!; s++) {
      const cl = sets.list[s]!;
      for (let u = start[cl]!; u < start[cl + 1]!; u++) {
        const j = users[u]!;
        if (j >= i && shared[j]!++ === 0) touched[t++] = j;
      }
    }
    const ki = k[i]!;
    const pi = pw[ki]!;
    const qi = qw[ki]!;
    let row = 0;
    for (let x = 0; x < t; x++) {
      const j = touched[x]!;
      const m = shared[j]!;
      shared[j] = 0;
      const kj = k[j]!;
      const union = ki + kj - m;
      const aj = a[j]!;
      const bj = b[j]!;
      // unordered pairs stand for both orders; i = j once
      const term =
        ai * aj * (pw[union]! - pi * pw[kj]!) + bi * bj * (qw[union]! - qi * qw[kj]!) + (ai * pi * bj * qw[kj]! + aj * pw[kj]! * bi * qi);
      row += j === i ? term : 2 * term;
    }
    extra += row;
  }
  return { m1: (sa - sb) / n, m2: ((sa - sb) ** 2 + extra) / (n * n) };
}

/**
 * y1, y0: every user's outcome in the all-treated and all-control worlds;
 * p1, p0: the marginal probabilities the estimator weights by (users with
 * 0 are left out, as the estimator leaves them out):
 * HT = (1/n) Σ 1{E_i=1} y1_i/p1_i − 1{E_i=0} y0_i/p0_i.
 */
export function htVarianceOverClusterings(
  g: CSR,
  scope: 'neighbourhood' | 'own',
  p: number,
  y1: Float64Array,
  y0: Float64Array,
  p1: Float64Array,
  p0: Float64Array,
  src: ClusteringSource,
): HtVariance {
  const n = g.n;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = p1[i]! > 0 ? y1[i]! / p1[i]! : 0;
    b[i] = p0[i]! > 0 ? y0[i]! / p0[i]! : 0;
  }
  const shared = new Uint32Array(n);
  const D = src.count;
  const x1 = new Float64Array(D);
  const x2 = new Float64Array(D);
  for (let m = 0; m < D; m++) {
    const r = conditionalMoments(g, src.clustering(m), scope, p, a, b, shared);
    ((x1[m] = r.m1), (x2[m] = r.m2));
  }
  let s1 = 0,
    s2 = 0;
  for (let m = 0; m < D; m++) ((s1 += x1[m]!), (s2 += x2[m]!));
  const mean = s1 / D;
  const variance = s2 / D - mean * mean;
  if (src.exact || D < 2) return { variance, se: 0, mean, draws: D };
  // delta method: Var = E[X2] - E[X1]^2 has influence X2 - 2 E[X1] X1 per draw
  let si = 0,
    sii = 0;
  for (let m = 0; m < D; m++) {
    const f = x2[m]! - 2 * mean * x1[m]!;
    ((si += f), (sii += f * f));
  }
  const sd = Math.sqrt(Math.max(0, (sii - (si * si) / D) / (D - 1)));
  return { variance, se: sd / Math.sqrt(D), mean, draws: D };
}

/**
 * Marginal exposure probabilities averaged over clusterings: π1_i = E_C[p^k_i],
 * π0_i = E_C[q^k_i] (exact for a mixture or a fixed clustering).
 */
export function marginalsOverClusterings(
  g: CSR,
  scope: 'neighbourhood' | 'own',
  p: number,
  src: ClusteringSource,
): { p1: Float64Array; p0: Float64Array } {
  const n = g.n;
  const p1 = new Float64Array(n);
  const p0 = new Float64Array(n);
  for (let m = 0; m < src.count; m++) {
    const c = src.clustering(m);
    const sets = unitSets(g, partitionUnits(c.labels, c.count), scope);
    for (let i = 0; i < n; i++) {
      const k = sets.offsets[i + 1]! - sets.offsets[i]!;
      p1[i]! += p ** k / src.count;
      p0[i]! += (1 - p) ** k / src.count;
    }
  }
  return { p1, p0 };
}
