// Complete randomization (exactly T of N units treated) makes every pair of
// users dependent, but exposure probabilities list only pairs that share a
// unit. For all-or-none exposure (user i is in the treated world when all
// s_i units of its set are treated, in control when none are), a pair with
// disjoint sets of sizes s and t has covariances that depend on (s, t)
// alone:
//   c11(s, t) = A(s+t, 0) − A(s, 0)·A(t, 0),   c00 likewise with T ↔ N − T,
//   c10(s, t) = A(s, t) − A(s, 0)·A(0, t),
// A(a, b) = P(a given units all treated and b others all control). Their sum
// over unlisted pairs is the sum over all ordered pairs, grouped by set
// size, minus the diagonal and the listed pairs: O(n + pairs + sizes²).
// Each covariance is computed as A·A·expm1(Σ log1p(·)) from the ratio of
// the two products, not as a difference of nearly equal probabilities.
import type { CSR } from '../../graph/csr.js';
import type { Design } from '../../design/index.js';
import type { ExposureMapping, ExposureProbabilities } from '../exposure/index.js';
import { unitSets } from '../exposure/sets.js';
import { Sum } from './sum.js';

export interface CompleteRandomization {
  readonly units: number;
  readonly treated: number;
  /** per user, the size of its unit set under the mapping's scope */
  readonly sizes: ArrayLike<number>;
}

/**
 * The complete-randomization description of a design under a mapping, or
 * null when the design is not completely randomized or the exposure is
 * not all-or-none over unit sets (fractional: its pairs' covariances do not
 * depend on set sizes alone).
 */
export function completeRandomization(g: CSR, design: Design, mapping: ExposureMapping): CompleteRandomization | null {
  const st = design.structure;
  if (st.kind !== 'fixed' || st.scheme.kind !== 'complete' || mapping.spec.kind === 'fractional') return null;
  const sets = unitSets(g, design.units, mapping.scope);
  const sizes = new Uint32Array(g.n);
  for (let i = 0; i < g.n; i++) sizes[i] = sets.offsets[i + 1]! - sets.offsets[i]!;
  return { units: design.units.count, treated: st.scheme.treated, sizes };
}

/**
 * Σ over ordered unlisted pairs i ≠ j of
 * c11·a1_i a1_j + c00·a0_i a0_j − 2·c10·a1_i a0_j (not yet divided by n²).
 */
export function completeCovariance(pr: ExposureProbabilities, a1: Float64Array, a0: Float64Array, c: CompleteRandomization): number {
  const { pairs } = pr;
  if (!pairs) throw new Error('completeCovariance: no pair list');
  const n = a1.length;
  const { units: N, treated: T, sizes } = c;
  // distinct sizes, indexed
  const index = new Map<number, number>();
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = sizes[i]!;
    if (!index.has(s)) (index.set(s, values.length), values.push(s));
  }
  const D = values.length;
  const top = Math.max(...values);
  const all1 = products(T, N, top); // A(s, 0)
  const all0 = products(N - T, N, top); // A(0, t)
  const c11 = new Float64Array(D * D),
    c00 = new Float64Array(D * D),
    c10 = new Float64Array(D * D);
  // the log-ratio sums over j < t, accumulated once per s for every t at hand
  const l11 = new Float64Array(top + 1),
    l00 = new Float64Array(top + 1),
    l10 = new Float64Array(top + 1);
  for (let x = 0; x < D; x++) {
    const s = values[x]!;
    logRatios(s, T, N, top, l11, l10);
    logRatios(s, N - T, N, top, l00, null);
    for (let y = 0; y < D; y++) {
      const t = values[y]!;
      const k = x * D + y;
      // a set larger than its side can never be all on it: no covariance
      if (s <= T && t <= T) c11[k] = s + t > T ? -all1[s]! * all1[t]! : all1[s]! * all1[t]! * Math.expm1(l11[t]!);
      if (s <= N - T && t <= N - T) c00[k] = s + t > N - T ? -all0[s]! * all0[t]! : all0[s]! * all0[t]! * Math.expm1(l00[t]!);
      if (s <= T && t <= N - T) c10[k] = all1[s]! * all0[t]! * Math.expm1(l10[t]!);
    }
  }
  const g1 = new Float64Array(D),
    g0 = new Float64Array(D);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = (idx[i] = index.get(sizes[i]!)!);
    g1[x]! += a1[i]!;
    g0[x]! += a0[i]!;
  }
  const total = new Sum();
  for (let x = 0; x < D; x++) {
    for (let y = 0; y < D; y++) {
      const k = x * D + y;
      total.add(c11[k]! * g1[x]! * g1[y]! + c00[k]! * g0[x]! * g0[y]! - 2 * c10[k]! * g1[x]! * g0[y]!);
    }
  }
  const { offsets, other } = pairs;
  for (let i = 0; i < n; i++) {
    // a user with itself is not a pair
    const kk = idx[i]! * D + idx[i]!;
    total.add(-(c11[kk]! * a1[i]! * a1[i]! + c00[kk]! * a0[i]! * a0[i]! - 2 * c10[kk]! * a1[i]! * a0[i]!));
    // listed pairs carry their exact joints already: both orders out
    for (let q = offsets[i]!; q < offsets[i + 1]!; q++) {
      const j = other[q]!;
      const ij = idx[i]! * D + idx[j]!;
      const ji = idx[j]! * D + idx[i]!;
      total.add(
        -(2 * c11[ij]! * a1[i]! * a1[j]! + 2 * c00[ij]! * a0[i]! * a0[j]! - 2 * (c10[ij]! * a1[i]! * a0[j]! + c10[ji]! * a1[j]! * a0[i]!)),
      );
    }
  }
  return total.value;
}

/** A(s) = Π_{j<s} (M − j)/(N − j) for s = 0..top: P(s given units all on the side holding M of N). */
function products(M: number, N: number, top: number): Float64Array {
  const a = new Float64Array(top + 1);
  a[0] = 1;
  for (let s = 1; s <= top; s++) a[s] = a[s - 1]! * Math.max(0, (M - (s - 1)) / (N - (s - 1)));
  return a;
}

/**
 * For s units and t = 0..top other units, disjoint:
 * same[t] = log(A(s+t)/(A(s)A(t))) on the side holding M of N, with
 *   A(s+t)/(A(s)A(t)) = Π_{j<t} (M−s−j)(N−j)/((N−s−j)(M−j)) = Π (1 − s(N−M)/((N−s−j)(M−j)))
 * (filled only while s + t ≤ M); and, when given, cross[t] =
 * log(A(s,t)/(A(s,0)A(0,t))) with M = T, = Σ_{j<t} log(1 + s/(N−s−j)).
 */
function logRatios(s: number, M: number, N: number, top: number, same: Float64Array, cross: Float64Array | null): void {
  same[0] = 0;
  if (cross) cross[0] = 0;
  for (let t = 1; t <= top; t++) {
    const j = t - 1;
    same[t] = s + t <= M ? same[j]! + Math.log1p(-(s * (N - M)) / ((N - s - j) * (M - j))) : -Infinity;
    if (cross) cross[t] = s + t <= N ? cross[j]! + Math.log1p(s / (N - s - j)) : NaN;
  }
}
