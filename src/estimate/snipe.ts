// SNIPE, the structured neighbourhood interference polynomial estimator
// (Cortez-Rodriguez, Eichhorn & Yu, "Exploiting neighborhood interference
// with low-order interactions under unit randomized design", Journal of
// Causal Inference 2023): under a Bernoulli(p) design on users and a
// β-order interactions model on a known graph (each outcome a polynomial of
// degree at most β in the treatments of the user's closed neighbourhood),
//
//   TTE^ = (1/n) Σ_i Y_i w_i,
//   w_i = Σ_{a ≤ t_i} Σ_{b ≤ c_i, a + b ≤ β} ((1 − p)^(a+b) − (−p)^(a+b)) p^(−a) (p − 1)^(−b) C(t_i, a) C(c_i, b),
//
// t_i and c_i the treated and untreated users of i's closed neighbourhood
// (itself and its friends), as the authors' code computes it (SNIPE_beta;
// at β = 1 it is Σ_{j ∈ N_i} (z_j/p − (1 − z_j)/(1 − p)), their
// SNIPE_linear). It is exactly unbiased under such a model, and uses the
// graph where the polynomial interpolation of a rollout (polynomial.ts)
// does not. It applies to users randomized by independent coins: a
// user-bernoulli design, or the observed (last) stage of a user-level
// staggered rollout (Bernoulli at p_T). The paper bounds its variance and
// proves asymptotic normality; the authors' code has an experimental
// variance estimator for β = 1, not built here: SE is NaN, reason
// 'no-variance-estimator' (the rows carry it). At p = 1/2 even orders'
// weights vanish, so β = 2m + 1 and 2m + 2 give the same estimate.
// A ratio metric has no form here (undefined).
import type { Design } from '../design/index.js';
import { undefinedEstimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';

/** The coin probability of a design whose users are treated by independent coins, else null. */
function userCoins(d: Design): number | null {
  if (!d.units.identity) return null;
  const st = d.structure;
  switch (st.kind) {
    case 'fixed':
      return st.scheme.kind === 'bernoulli' && st.threadUnits === 0 ? st.scheme.p : null;
    case 'rollout':
      return st.scheme.p;
    case 'random-clustering':
    case 'two-arms':
    case 'ego':
    case 'saturation':
      return null;
  }
}

/** w(t, c): the weight of a user whose closed neighbourhood has t treated and c untreated users. */
export function snipeWeight(p: number, beta: number, t: number, c: number): number {
  const binom = (m: number, k: number) => {
    let r = 1;
    for (let q = 1; q <= k; q++) r = (r * (m - k + q)) / q;
    return r;
  };
  let w = 0;
  for (let a = 0; a <= Math.min(beta, t); a++)
    for (let b = 0; b <= Math.min(beta - a, c); b++)
      w += ((1 - p) ** (a + b) - (-p) ** (a + b)) * p ** -a * (p - 1) ** -b * binom(t, a) * binom(c, b);
  return w;
}

export function snipeEstimator(beta = 1, id = beta === 1 ? 'snipe' : `snipe:${beta}`): Estimator {
  return {
    id,
    label: `SNIPE: β-order neighbourhood interactions on the known graph (β = ${beta}), Bernoulli users`,
    notApplicable(d): string | null {
      return userCoins(d) === null ? 'needs users treated by independent coins (user-bernoulli, or a user-level staggered rollout)' : null;
    },
    prepare: ({ graph, design }) => {
      const p = userCoins(design);
      if (p === null) throw new Error(`design "${design.name}": SNIPE needs users treated by independent coins`);
      const { n, offsets, nbrs } = graph.csr;
      const memo = new Map<number, number>(); // by t·2^32 + c
      const wOf = (t: number, c: number) => {
        const key = t * 4294967296 + c;
        let w = memo.get(key);
        if (w === undefined) memo.set(key, (w = snipeWeight(p, beta, t, c)));
        return w;
      };
      return (rep) => {
        if (rep.den) return undefinedEstimate('no-ratio-form');
        const z = rep.unitZ;
        let s = 0;
        for (let i = 0; i < n; i++) {
          const a = offsets[i]!;
          const b = offsets[i + 1]!;
          let t = z[i]!;
          for (let k = a; k < b; k++) t += z[nbrs[k]!]!;
          s += rep.y[i]! * wOf(t, b - a + 1 - t);
        }
        return { estimate: s / n, se: NaN, df: Infinity, reason: 'no-variance-estimator' };
      };
    },
  };
}

export const snipeKind: EstimatorKind = { type: 'snipe', estimator: snipeEstimator() };
