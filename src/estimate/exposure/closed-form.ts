// Exact exposure probabilities for designs with fixed units: all-or-none
// mappings through the unit sets (any scheme), and the fractional mapping
// for independently randomized clusters by a small dynamic programme over
// the friend counts each neighbouring cluster contributes.
import type { CSR } from '../../graph/csr.js';
import type { Scheme, Units } from '../../design/index.js';
import { needed, type ExposureMapping } from './mappings.js';
import { allOrNone, allOrNoneCounts, union, unitSets, type UnitSets } from './sets.js';
import { pairArray, type PairList } from './pairs.js';

export interface Joint {
  /** per pair (i, j > i): P(both 1), P(both 0), P(i 1, j 0), P(i 0, j 1) */
  readonly p11: Float64Array;
  readonly p00: Float64Array;
  readonly p10: Float64Array;
  readonly p01: Float64Array;
}

/** True when marginals have a closed form for this design and mapping. */
export function hasClosedForm(units: Units, scheme: Scheme, mapping: ExposureMapping): boolean {
  return mapping.spec.kind !== 'fractional' || (units.partition && scheme.kind === 'bernoulli');
}

export function closedMarginals(g: CSR, units: Units, scheme: Scheme, mapping: ExposureMapping): { p1: Float64Array; p0: Float64Array } {
  const n = g.n;
  const p1 = new Float64Array(n);
  const p0 = new Float64Array(n);
  const spec = mapping.spec;
  if (spec.kind === 'fractional') {
    if (scheme.kind !== 'bernoulli' || !units.partition)
      throw new Error('exposure: no closed form for fractional exposure under this design');
    fractionalMarginals(g, units.list, units.count, scheme.p, spec.q, p1, p0);
    return { p1, p0 };
  }
  const sets = unitSets(g, units, mapping.scope);
  const none = new Uint32Array(0);
  for (let i = 0; i < n; i++) {
    const s = sets.list.subarray(sets.offsets[i]!, sets.offsets[i + 1]!);
    p1[i] = allOrNone(scheme, units.count, s, none);
    p0[i] = allOrNone(scheme, units.count, none, s);
  }
  return { p1, p0 };
}

/**
 * Exact joint probabilities of all-or-none mappings for the listed pairs;
 * null for fractional. Without `sets`, the pairs' shared counts (from
 * dependentPairs over these same unit sets) are trusted for the overlaps.
 */
export function closedJoints(
  g: CSR,
  units: Units,
  scheme: Scheme,
  mapping: ExposureMapping,
  pairs: PairList,
  sets?: UnitSets,
): Joint | null {
  if (mapping.spec.kind === 'fractional') return null;
  const s = sets ?? unitSets(g, units, mapping.scope);
  const m = pairs.other.length;
  // in shared memory from the start: the set-up posts them to workers without a copy
  const p11 = pairArray(Float64Array, m);
  const p00 = pairArray(Float64Array, m);
  const p10 = pairArray(Float64Array, m);
  const p01 = pairArray(Float64Array, m);
  const buf = new Uint32Array(units.count);
  const none = new Uint32Array(0);
  const N = units.count;
  // shared counts of the same unit sets give unions in O(1): |A ∪ B| = |A| + |B| - |A ∩ B|
  if (pairs.shared && !sets && (scheme.kind === 'bernoulli' || scheme.kind === 'complete')) {
    const size = (i: number) => s.offsets[i + 1]! - s.offsets[i]!;
    const all = (a: number, b: number) => allOrNoneCounts(scheme, N, a, b);
    for (let i = 0; i + 1 < pairs.offsets.length; i++) {
      for (let k = pairs.offsets[i]!; k < pairs.offsets[i + 1]!; k++) {
        const j = pairs.other[k]!;
        const u = size(i) + size(j) - pairs.shared[k]!;
        p11[k] = all(u, 0);
        p00[k] = all(0, u);
        p10[k] = pairs.shared[k]! > 0 ? 0 : all(size(i), size(j));
        p01[k] = pairs.shared[k]! > 0 ? 0 : all(size(j), size(i));
      }
    }
    return { p11, p00, p10, p01 };
  }
  for (let i = 0; i + 1 < pairs.offsets.length; i++) {
    const a = s.list.subarray(s.offsets[i]!, s.offsets[i + 1]!);
    for (let k = pairs.offsets[i]!; k < pairs.offsets[i + 1]!; k++) {
      const j = pairs.other[k]!;
      const b = s.list.subarray(s.offsets[j]!, s.offsets[j + 1]!);
      const u = union(a, b, buf);
      p11[k] = allOrNone(scheme, N, u, none);
      p00[k] = allOrNone(scheme, N, none, u);
      p10[k] = allOrNone(scheme, N, a, b);
      p01[k] = allOrNone(scheme, N, b, a);
    }
  }
  return { p11, p00, p10, p01 };
}

/**
 * Fractional-q under independent clusters: i's own cluster must be treated
 * (bringing its friends there along); the other clusters holding friends
 * are independent coins weighted by how many friends they hold, and the
 * treated weight must reach the threshold. The mirror holds for control.
 */
function fractionalMarginals(g: CSR, label: Uint32Array, count: number, p: number, q: number, p1: Float64Array, p0: Float64Array): void {
  const weight = new Float64Array(count);
  const touched: number[] = [];
  let dp = new Float64Array(64);
  const tail = (prob: number, need: number): number => {
    // P(sum of w_c Z_c >= need), Z_c ~ Bernoulli(prob), by convolution over clusters
    if (need <= 0) return 1;
    let top = 0;
    for (const c of touched) top += weight[c]!;
    if (top < need) return 0;
    if (dp.length < top + 1) dp = new Float64Array(2 * (top + 1));
    dp.fill(0, 0, top + 1);
    dp[0] = 1;
    let reach = 0;
    for (const c of touched) {
      const w = weight[c]!;
      for (let s = reach; s >= 0; s--) {
        const v = dp[s]!;
        if (v === 0) continue;
        dp[s + w]! += v * prob;
        dp[s] = v * (1 - prob);
      }
      reach += w;
    }
    let t = 0;
    for (let s = need; s <= reach; s++) t += dp[s]!;
    return t;
  };
  for (let i = 0; i < g.n; i++) {
    const own = label[i]!;
    touched.length = 0;
    let base = 0;
    for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
      const c = label[g.nbrs[e]!]!;
      if (c === own) base++;
      else if (weight[c]!++ === 0) touched.push(c);
    }
    const need = needed(q, g.offsets[i + 1]! - g.offsets[i]!) - base;
    p1[i] = p * tail(p, need);
    p0[i] = (1 - p) * tail(1 - p, need);
    for (const c of touched) weight[c] = 0;
  }
}
