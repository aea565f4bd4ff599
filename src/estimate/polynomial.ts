// The polynomial interpolation (PI) estimator of the total treatment effect
// under a staggered rollout (Cortez, Eichhorn & Yu, NeurIPS 2022; the idea
// of extrapolating over the treated share is Yu, Airoldi, Borgs & Chayes,
// PNAS 2022). Under a β-order interactions model (each outcome a polynomial
// of degree at most β in the treatment indicators of its neighbourhood),
// the expected mean outcome of a Bernoulli(p) assignment is a polynomial
// F(p) of degree at most β, with F(1) and F(0) the all-treated and
// all-control means. The rollout observes each stage's mean outcome
// F̂_t = (1/n) Σ_i Y_i(z^t), unbiased for F(p_t); with T + 1 = β + 1 stages
// their estimator is the Lagrange extrapolation
//
//   TTE^ = Σ_t h_t F̂_t,   h_t = ℓ_t(1) − ℓ_t(0),   ℓ_t(x) = Π_{s≠t} (x − p_s)/(p_t − p_s)
//
// (their `interp_coefficients`), exactly unbiased. On the clusters of a
// clustering the same holds: a set S of users is all treated with
// probability p^(clusters S touches), a power at most |S| ≤ β.
//
// With fewer degrees than stages (`degree` β < T) this module fits the
// degree-β polynomial to the T + 1 stage means by ordinary least squares
// and extrapolates it (our extension, not the paper's): the fit reproduces
// any polynomial of degree ≤ β, so it is still exactly unbiased under a
// β-order model. Under a model of higher order it is biased, and the bias
// shows in the diagnosis. For a ratio metric the stage value is Σ num / Σ
// den, whose expectation is not a polynomial: the estimate is then only
// approximately unbiased. The papers bound the variance but give no
// variance estimator, so the standard error is NaN (no interval, no power),
// with the reason 'no-variance-estimator', which the rows carry.
import { z } from 'zod';
import { label } from '../schema-common.js';
import type { Design } from '../design/index.js';
import { undefinedEstimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';
import { snipeEstimator } from './snipe.js';

/**
 * Weights h_t with Σ_t h_t F(p_t) = F(1) − F(0) for every polynomial F of
 * degree ≤ `degree`: Lagrange's when degree = T (shares.length − 1), else
 * those of the least-squares fit (V = QR by modified Gram–Schmidt, V[t][k] =
 * p_t^k; h = Q R⁻ᵀ e with e_k = 1^k − 0^k).
 */
export function extrapolationWeights(shares: ArrayLike<number>, degree: number): Float64Array {
  const m = shares.length;
  if (!(Number.isInteger(degree) && degree >= 1 && degree < m)) throw new Error(`degree ${degree} needs 1 ≤ degree < ${m} stages`);
  const h = new Float64Array(m);
  if (degree === m - 1) {
    for (let t = 0; t < m; t++) {
      let one = 1,
        zero = 1;
      for (let s = 0; s < m; s++) {
        if (s === t) continue;
        const d = shares[t]! - shares[s]!;
        one *= (1 - shares[s]!) / d;
        zero *= -shares[s]! / d;
      }
      h[t] = one - zero;
    }
    return h;
  }
  const K = degree + 1;
  const Q = Array.from({ length: K }, (_, k) => Float64Array.from({ length: m }, (_, t) => shares[t]! ** k));
  const R = Array.from({ length: K }, () => new Float64Array(K));
  for (let k = 0; k < K; k++) {
    const q = Q[k]!;
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let t = 0; t < m; t++) dot += Q[j]![t]! * q[t]!;
      R[j]![k] = dot;
      for (let t = 0; t < m; t++) q[t]! -= dot * Q[j]![t]!;
    }
    let norm = 0;
    for (let t = 0; t < m; t++) norm += q[t]! * q[t]!;
    norm = Math.sqrt(norm);
    R[k]![k] = norm;
    for (let t = 0; t < m; t++) q[t]! /= norm;
  }
  // Rᵀ w = e (forward substitution), then h = Q w
  const w = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = k === 0 ? 0 : 1;
    for (let j = 0; j < k; j++) s -= R[j]![k]! * w[j]!;
    w[k] = s / R[k]![k]!;
  }
  for (let k = 0; k < K; k++) for (let t = 0; t < m; t++) h[t]! += Q[k]![t]! * w[k]!;
  return h;
}

/** A rollout design's stage shares, or null when the design is not a staggered rollout. */
function sharesOf(d: Design): Float64Array | null {
  switch (d.structure.kind) {
    case 'rollout':
      return d.structure.shares;
    case 'fixed':
    case 'random-clustering':
    case 'two-arms':
    case 'ego':
    case 'saturation':
      return null;
  }
}

export function polynomialEstimator(degree?: number, id = degree === undefined ? 'polynomial' : `polynomial:${degree}`): Estimator {
  return {
    id,
    label: `staggered rollout: polynomial extrapolation of the stage means to all minus none${degree === undefined ? '' : ` (degree ${degree})`}`,
    notApplicable(d): string | null {
      const shares = sharesOf(d);
      if (!shares) return 'needs a staggered rollout design (its stages)';
      if (degree !== undefined && degree > shares.length - 1)
        return `degree ${degree} needs at least ${degree + 1} stages; the design has ${shares.length}`;
      return null;
    },
    prepare: ({ design }) => {
      const shares = sharesOf(design);
      if (!shares) throw new Error(`design "${design.name}" is not a staggered rollout`);
      const T = shares.length - 1;
      const h = extrapolationWeights(shares, degree ?? T);
      const z = new Uint8Array(design.units.count);
      const n = design.units.offsets.length - 1;
      return (rep) => {
        const info = rep.draw;
        if (info?.kind !== 'rollout') return undefinedEstimate('no-draw');
        if (!rep.sumsAt) return undefinedEstimate('no-stages');
        const { stage } = info;
        let estimate = 0;
        for (let t = 0; t <= T; t++) {
          let num = 0,
            den = 0;
          if (t === T) {
            // the last stage is the observed assignment: its outcomes are the replication's own
            for (let i = 0; i < n; i++) num += rep.y[i]!;
            if (rep.den) for (let i = 0; i < n; i++) den += rep.den[i]!;
            else den = n;
          } else {
            for (let u = 0; u < z.length; u++) z[u] = stage[u]! <= t ? 1 : 0;
            ({ num, den } = rep.sumsAt(`rollout:stage:${t}`, z));
          }
          estimate += h[t]! * (num / den);
        }
        return { estimate, se: NaN, df: Infinity, reason: 'no-variance-estimator' };
      };
    },
  };
}

export const polynomialKind: EstimatorKind = { type: 'polynomial', estimator: polynomialEstimator() };

/**
 * The object form of the estimators that take a degree: { "estimator":
 * "polynomial", "degree": β } (default id "polynomial:β") and the same for
 * "snipe" (snipe.ts).
 */
export const polynomialObjectSchema = z.strictObject({
  estimator: z.enum(['polynomial', 'snipe']),
  /** label in the results; default "<estimator>:<degree>" */
  name: label.min(1).optional(),
  /** the degree β: polynomial 1 ≤ β ≤ stages − 1 (default stages − 1, Lagrange interpolation); snipe the interactions' order (default 1) */
  degree: z.number().int().min(1).max(253).optional(),
});

export type PolynomialObject = z.infer<typeof polynomialObjectSchema>;

export function polynomialFromObject(o: PolynomialObject): Estimator {
  const e =
    o.estimator === 'snipe'
      ? snipeEstimator(o.degree ?? 1, o.degree === undefined ? 'snipe' : `snipe:${o.degree}`)
      : polynomialEstimator(o.degree);
  return o.name ? { ...e, id: o.name } : e;
}
