// Cluster difference in means with a wild cluster bootstrap interval and
// p-value: the restricted bootstrap (WCR, the null imposed; Cameron,
// Gelbach & Miller 2008; MacKinnon & Webb 2017) of the cluster-robust t
// statistic, with Rademacher weights, or Webb's six-point weights when
// there are fewer than 12 clusters (Rademacher then has too few distinct
// draws). The interval is the set of effects θ0 the bootstrap test does not
// reject at 5%, found by bisection on each side of the estimate; it may be
// unbounded with very few clusters (lower = -Infinity or upper = Infinity).
// The p-value is the test of θ0 = 0. The B weight vectors come from a
// stream named by the replication, design and estimator (names.wildBootstrap),
// so the interval is deterministic and the same in any worker.
//
// With clusters nested in arms, every quantity of the bootstrap is a sum
// over clusters of cluster totals (T_g = Σ w y, W_g = Σ w): the restricted
// residual totals are linear in θ0 and the bootstrap variance quadratic, so
// each draw is summarised by five numbers and p(θ0) costs O(B).
// Estimate and se are cluster-dm's (CR1, C − 2 df); lower, upper and p are
// the bootstrap's.
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { undefinedEstimate, type Estimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';
import { invertTest } from './invert.js';
import { clusteredNotApplicable, clustersFor } from './clusters.js';

export type WildWeights = 'auto' | 'rademacher' | 'webb';

export interface WildOptions {
  /** bootstrap draws B */
  readonly resamples: number;
  readonly weights: WildWeights;
  /** 1 − the interval's level */
  readonly alpha: number;
}

export const WILD_DEFAULTS: WildOptions = { resamples: 999, weights: 'auto', alpha: 0.05 };

const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];

/** B×G bootstrap weights from a uniform stream. */
export function wildWeights(rng: () => number, B: number, G: number, kind: 'rademacher' | 'webb'): Float64Array {
  const v = new Float64Array(B * G);
  for (let t = 0; t < v.length; t++) {
    const u = rng();
    v[t] = kind === 'rademacher' ? (u < 0.5 ? -1 : 1) : WEBB[Math.min(5, Math.floor(u * 6))]!;
  }
  return v;
}

/**
 * The wild cluster restricted bootstrap of the difference in means from
 * cluster totals: T[g] = Σ w y, W[g] = Σ w, z[g] the arm; v is B×G weights.
 * Returns the estimate, the CR1 SE, the interval and the p-value of θ0 = 0.
 */
export function wildClusterBootstrap(
  T: ArrayLike<number>,
  W: ArrayLike<number>,
  z: ArrayLike<number>,
  v: Float64Array,
  B: number,
  alpha = 0.05,
): Estimate {
  const G = T.length;
  let W1 = 0,
    W0 = 0,
    T1 = 0,
    T0 = 0,
    c1 = 0,
    c0 = 0;
  for (let g = 0; g < G; g++) {
    if (!(W[g]! > 0)) continue;
    if (z[g]) ((W1 += W[g]!), (T1 += T[g]!), c1++);
    else ((W0 += W[g]!), (T0 += T[g]!), c0++);
  }
  if (c1 < 2 || c0 < 2) return undefinedEstimate('arm-units');
  const Wt = W1 + W0;
  const m1 = T1 / W1,
    m0 = T0 / W0;
  const est = m1 - m0;
  // CR0 variance of the original (its scale cancels in t vs t*), and cluster-dm's CR1 for se
  let r1 = 0,
    r0 = 0;
  for (let g = 0; g < G; g++) {
    if (!(W[g]! > 0)) continue;
    if (z[g]) r1 += (T[g]! - m1 * W[g]!) ** 2;
    else r0 += (T[g]! - m0 * W[g]!) ** 2;
  }
  const v0 = r1 / (W1 * W1) + r0 / (W0 * W0);
  const se = Math.sqrt(((c1 / (c1 - 1)) * r1) / (W1 * W1) + ((c0 / (c0 - 1)) * r0) / (W0 * W0));
  if (!(v0 > 0)) return undefinedEstimate('variance-not-finite');
  // restricted residual totals: E_g(θ0) = a_g + θ0 b_g
  const a = new Float64Array(G),
    b = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    if (!(W[g]! > 0)) continue;
    a[g] = T[g]! - (W[g]! * (T1 + T0)) / Wt;
    b[g] = (W[g]! * W1) / Wt - W[g]! * (z[g] ? 1 : 0);
  }
  // per draw: numerator N(θ0) = nA + θ0 nB; variance V(θ0) = P + 2θ0 Q + θ0² R
  const nA = new Float64Array(B),
    nB = new Float64Array(B),
    P = new Float64Array(B),
    Q = new Float64Array(B),
    R = new Float64Array(B);
  for (let d = 0; d < B; d++) {
    const o = d * G;
    // arm sums of v E
    let sa1 = 0,
      sb1 = 0,
      sa0 = 0,
      sb0 = 0;
    for (let g = 0; g < G; g++) {
      if (!(W[g]! > 0)) continue;
      const vg = v[o + g]!;
      if (z[g]) ((sa1 += vg * a[g]!), (sb1 += vg * b[g]!));
      else ((sa0 += vg * a[g]!), (sb0 += vg * b[g]!));
    }
    nA[d] = sa1 / W1 - sa0 / W0;
    nB[d] = sb1 / W1 - sb0 / W0;
    let p = 0,
      q = 0,
      r = 0;
    for (let g = 0; g < G; g++) {
      if (!(W[g]! > 0)) continue;
      const vg = v[o + g]!;
      const t = z[g] ? 1 : 0;
      const Wa = t ? W1 : W0;
      // S*_g = v_g E_g − W_g (Σ_arm v E)/W_arm, over W_arm
      const sa = (vg * a[g]! - (W[g]! * (t ? sa1 : sa0)) / Wa) / Wa;
      const sb = (vg * b[g]! - (W[g]! * (t ? sb1 : sb0)) / Wa) / Wa;
      p += sa * sa;
      q += sa * sb;
      r += sb * sb;
    }
    ((P[d] = p), (Q[d] = q), (R[d] = r));
  }
  const sd0 = Math.sqrt(v0);
  const pOf = (theta: number) => {
    const t = Math.abs(est - theta) / sd0;
    let k = 0;
    for (let d = 0; d < B; d++) {
      const vv = P[d]! + 2 * theta * Q[d]! + theta * theta * R[d]!;
      const num = Math.abs(nA[d]! + theta * nB[d]!);
      // |t*| >= t, without dividing by a variance that may be 0
      if (num >= t * Math.sqrt(Math.max(0, vv))) k++;
    }
    return k / B;
  };
  return { estimate: est, se, df: c1 + c0 - 2, ...invertTest(est, sd0, pOf, alpha), p: pOf(0) };
}

export function wildEstimator(o: WildOptions = WILD_DEFAULTS, id = 'wild'): Estimator {
  return {
    id,
    label: `cluster difference in means (wild cluster bootstrap, ${o.resamples} draws)`,
    notApplicable: (d) => clusteredNotApplicable(d, false),
    prepare: ({ design, seed }) => {
      const clusters = clustersFor(design);
      let T = new Float64Array(0),
        W = new Float64Array(0),
        z = new Uint8Array(0);
      return (rep) => {
        const c = clusters(rep);
        if (!c) return undefinedEstimate('no-draw');
        const G = c.count;
        if (T.length < G) ((T = new Float64Array(G)), (W = new Float64Array(G)), (z = new Uint8Array(G)));
        const t = T.subarray(0, G).fill(0),
          w = W.subarray(0, G).fill(0),
          zz = z.subarray(0, G);
        const { y, den, dose } = rep;
        for (let i = 0; i < y.length; i++) {
          const g = c.label[i]!;
          t[g]! += y[i]!;
          w[g]! += den ? den[i]! : 1;
          zz[g] = dose[i]! as 0 | 1;
        }
        let used = 0;
        for (let g = 0; g < G; g++) if (w[g]! > 0) used++;
        const kind = o.weights === 'auto' ? (used < 12 ? 'webb' : 'rademacher') : o.weights;
        const rng = stream(seed ?? 0, ...names.wildBootstrap(rep.rep ?? 'single', design.name, id));
        return wildClusterBootstrap(t, w, zz, wildWeights(rng, o.resamples, G, kind), o.resamples, o.alpha);
      };
    },
  };
}

export const wildKind: EstimatorKind = { type: 'wild', estimator: wildEstimator() };
