// Exact design variance of the Horvitz–Thompson estimator of the global
// effect, and the expectation of its Aronow–Samii variance estimator, from
// exposure probabilities with joints. With indicators I1_i = 1{E_i = 1},
// I0_i = 1{E_i = 0} and weights a1_i = y1_i/π1_i, a0_i = y0_i/π0_i (0 where
// the probability is 0: those users never enter the estimator),
//   HT = (T1 − T0)/n,  T1 = Σ I1_i a1_i,  T0 = Σ I0_i a0_i,
//   Var(T1 − T0) = Var T1 + Var T0 − 2 Cov(T1, T0), each a double sum of
//   Cov(I·_i, I·_j) a·_i a·_j (Aronow & Samii 2017, the variance of a
//   difference of HT totals):
//     diagonal   π(1 − π)·a² for each world, and −2·(0 − π1_i π0_i)·a1_i a0_i
//                = 2·y1_i y0_i across worlds (a user is never in both);
//     pairs      2(π11_ij − π1_i π1_j)·a1_i a1_j, the same for the control
//                world, and −2[(π10_ij − π1_i π0_j)·a1_i a0_j +
//                (π01_ij − π0_i π1_j)·a0_i a1_j] across worlds.
// Pairs not listed in the probabilities are independent and contribute 0,
// except under complete randomization, where complete.ts adds their
// (small, negative) covariances. Everything is O(n + listed pairs).
import type { ExposureProbabilities } from '../exposure/index.js';
import { completeCovariance, type CompleteRandomization } from './complete.js';
import { Sum } from './sum.js';

export interface HtMoments {
  readonly n: number;
  /** Var(HT): the listed pairs plus, under complete randomization, the others */
  readonly variance: number;
  /** Var(HT) from the listed pairs alone, every other pair taken as independent */
  readonly listedVariance: number;
  /** what complete randomization's unlisted pairs add (0 for other designs) */
  readonly completeCovariance: number;
  /** E[HT] with these probabilities both as the design's and as the weights */
  readonly mean: number;
  /** (1/n) Σ (y1 − y0) over every user: the global effect of these potential outcomes */
  readonly globalEffect: number;
  /** users with no chance of the treated / control world (left out of HT, as the estimator does) */
  readonly excluded1: number;
  readonly excluded0: number;
  /** E of the Aronow–Samii estimate as src/estimate/aronow-samii.ts computes it */
  readonly asExpectation: number;
  /** E[AS] − listed variance: Young's-inequality bounds for pairs (and a user with itself) never seen together */
  readonly youngBounds: number;
}

export interface ExactOptions {
  /** the design randomizes exactly `treated` of `units` units and exposure is all-or-none over each user's unit set */
  complete?: CompleteRandomization;
}

export function htMoments(pr: ExposureProbabilities, y1: ArrayLike<number>, y0: ArrayLike<number>, o: ExactOptions = {}): HtMoments {
  const { p1, p0, pairs } = pr;
  if (!pairs) throw new Error('htMoments: the probabilities carry no joint probabilities (ask for joint: true)');
  const n = p1.length;
  if (y1.length !== n || y0.length !== n) throw new Error(`htMoments: ${n} users but ${y1.length} / ${y0.length} outcomes`);
  const { offsets, other, p11, p00, p10, p01 } = pairs;
  const a1 = new Float64Array(n);
  const a0 = new Float64Array(n);
  let excluded1 = 0,
    excluded0 = 0;
  const mean = new Sum();
  const effect = new Sum();
  for (let i = 0; i < n; i++) {
    if (p1[i]! > 0) ((a1[i] = y1[i]! / p1[i]!), mean.add(y1[i]!));
    else excluded1++;
    if (p0[i]! > 0) ((a0[i] = y0[i]! / p0[i]!), mean.add(-y0[i]!));
    else excluded0++;
    effect.add(y1[i]! - y0[i]!);
  }

  // Aronow–Samii counts, per user, the listed partners it can never be seen
  // with in each combination of worlds (exactly as aronow-samii.ts does,
  // whatever the partner's own marginal)
  const z11 = new Float64Array(n),
    z00 = new Float64Array(n),
    z10 = new Float64Array(n),
    z01 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = other[k]!;
      if (p11[k] === 0) (z11[i]!++, z11[j]!++);
      if (p00[k] === 0) (z00[i]!++, z00[j]!++);
      if (p10[k] === 0) (z10[i]!++, z01[j]!++);
      if (p01[k] === 0) (z01[i]!++, z10[j]!++);
    }
  }

  const v = new Sum(); // exact, listed pairs
  const e = new Sum(); // E[Aronow–Samii]
  for (let i = 0; i < n; i++) {
    const q1 = p1[i]!,
      q0 = p0[i]!;
    const u1 = y1[i]!,
      u0 = y0[i]!;
    if (q1 > 0) {
      const d = q1 * (1 - q1) * a1[i]! * a1[i]!;
      v.add(d);
      // AS, when i is in the treated world (probability q1): (1 − π)a² + (y²/π)·z11 in V1 and −(y²/π)/2·(1 + z10) in C
      e.add(d + u1 * u1 * z11[i]! + u1 * u1 * (1 + z10[i]!));
    }
    if (q0 > 0) {
      const d = q0 * (1 - q0) * a0[i]! * a0[i]!;
      v.add(d);
      e.add(d + u0 * u0 * z00[i]! + u0 * u0 * (1 + z01[i]!));
    }
    if (q1 > 0 && q0 > 0) v.add(2 * u1 * u0);
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = other[k]!;
      const t11 = 2 * (p11[k]! - q1 * p1[j]!) * a1[i]! * a1[j]!;
      const t00 = 2 * (p00[k]! - q0 * p0[j]!) * a0[i]! * a0[j]!;
      const t10 = -2 * (p10[k]! - q1 * p0[j]!) * a1[i]! * a0[j]!;
      const t01 = -2 * (p01[k]! - q0 * p1[j]!) * a0[i]! * a1[j]!;
      (v.add(t11), v.add(t00), v.add(t10), v.add(t01));
      // AS weights a pair seen together by 1/π_joint, so its expectation is
      // the exact term; pairs never seen together were bounded above
      if (p11[k]! > 0) e.add(t11);
      if (p00[k]! > 0) e.add(t00);
      if (p10[k]! > 0) e.add(t10);
      if (p01[k]! > 0) e.add(t01);
    }
  }
  const s = 1 / (n * n);
  const listed = v.value * s;
  const extra = o.complete ? completeCovariance(pr, a1, a0, o.complete) * s : 0;
  const as = e.value * s;
  return {
    n,
    variance: listed + extra,
    listedVariance: listed,
    completeCovariance: extra,
    mean: mean.value / n,
    globalEffect: effect.value / n,
    excluded1,
    excluded0,
    asExpectation: as,
    youngBounds: as - listed,
  };
}
