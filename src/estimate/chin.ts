// Regression adjustment for interference (Chin 2019, "Regression
// adjustments for estimating the global treatment effect under network
// interference"): regress the outcome on the user's own dose z, the share of
// friends treated s (mean of their doses; 0 without friends) and z·s, then
// extrapolate each user to the two worlds: all treated (z = 1, s = 1 if the
// user has friends) and all control (z = s = 0). The estimate is the mean
// over users of Δx_i'β with Δx_i = (1, h_i, h_i), h_i = 1 when i has
// friends: β_z + h̄(β_s + β_zs). Written as one coefficient by
// reparametrising, y on (1, z, s − h̄z, z·s − h̄z): the coefficient of z is
// exactly that sum, so its HC2 standard error (estimatr's default) comes
// from the same engine as Lin's. HC2 treats users as independent given the
// features: true when the outcome model is right *and* users' noise is
// independent; with homophily (friends' noise correlated) it under-covers
// (test/estimate/chin.test.ts). It is not the paper's proposal: Chin
// proposes inference by bootstrap and resampling methods resting on an
// exogeneity assumption (abstract of arXiv 1808.08683); the procedure's
// details were not available to us, so it is not built. Under linear-in-means with the share
// of treated friends as the peer term the model is exact and the estimate is
// unbiased for the global effect; under other exposure models it is only as
// good as the features.
import type { CSR } from '../graph/csr.js';
import { undefinedEstimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';
import { robustCoefficient } from './ols-robust.js';

const K = 4;

/** Per user: share of friends' doses (0 without friends) into `share`; returns h̄, the share of users with friends. */
export function friendShares(g: CSR, dose: ArrayLike<number>, share: Float64Array): number {
  let withFriends = 0;
  for (let i = 0; i < g.n; i++) {
    const a = g.offsets[i]!,
      b = g.offsets[i + 1]!;
    let s = 0;
    for (let e = a; e < b; e++) s += dose[g.nbrs[e]!]!;
    share[i] = b > a ? s / (b - a) : 0;
    if (b > a) withFriends++;
  }
  return withFriends / g.n;
}

export function chinEstimator(): Estimator {
  return {
    id: 'chin',
    label: 'regression adjustment for interference (Chin 2019: own dose, share of treated friends, interaction; HC2)',
    notApplicable: () => null,
    prepare: ({ graph }) => {
      const n = graph.csr.n;
      const share = new Float64Array(n);
      const X = new Float64Array(n * K);
      const ys = new Float64Array(n);
      return (rep) => {
        const { dose, y, den } = rep;
        const h = friendShares(graph.csr, dose, share);
        for (let i = 0; i < n; i++) {
          const z = dose[i]!,
            s = share[i]!,
            o = i * K;
          X[o] = 1;
          X[o + 1] = z;
          X[o + 2] = s - h * z;
          X[o + 3] = z * s - h * z;
          // a ratio metric: num/den weighted by den, as the difference in means does
          ys[i] = den ? (den[i]! > 0 ? y[i]! / den[i]! : 0) : y[i]!;
        }
        const e = robustCoefficient({ X, k: K, y: ys, w: den, n }, 1, null);
        return Number.isFinite(e.estimate) || e.reason ? e : undefinedEstimate('estimate-not-finite');
      };
    },
  };
}

export const chinKind: EstimatorKind = { type: 'chin', estimator: chinEstimator() };
