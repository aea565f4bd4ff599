// Horvitz–Thompson and Hajek estimators of the global effect under
// full-neighbourhood exposure, weighting each exposed user by the inverse of
// their exact exposure probability. HT is unbiased whenever every user has a
// positive probability of both worlds; Hajek normalises the weights, trading
// a small bias for much lower variance. Standard errors: not yet (Aronow–Samii
// needs joint exposure probabilities), so no interval is reported.
import { fullNeighbourhoodExposure, fullNeighbourhoodProbabilities } from './exposure.js';
import { memo, UNDEFINED, type Estimator, type EstimatorContext, type RepData } from './estimator.js';

function weighted(ctx: EstimatorContext) {
  const g = ctx.graph.csr;
  const { p1, p0 } = fullNeighbourhoodProbabilities(g, ctx.design);
  return (rep: RepData) => {
    const ex = memo(rep, 'exposure:full', () => fullNeighbourhoodExposure(g, rep.dose, new Int8Array(g.n)));
    // w sums the inverse-probability weights of the denominator (1 per user
    // for a mean metric), so Hajek and the ratio of HT totals share one pass
    let t1 = 0, t0 = 0, w1 = 0, w0 = 0;
    const { y, den } = rep;
    for (let i = 0; i < g.n; i++) {
      const e = ex[i]!;
      const d = den ? den[i]! : 1;
      if (e === 1) (t1 += y[i]! / p1[i]!), (w1 += d / p1[i]!);
      else if (e === 0) (t0 += y[i]! / p0[i]!), (w0 += d / p0[i]!);
    }
    const totalDen = den ? NaN : g.n;
    return { t1, t0, w1, w0, totalDen };
  };
}

export const horvitzThompson: Estimator = {
  id: 'ht',
  label: 'Horvitz–Thompson, full-neighbourhood exposure',
  notApplicable: () => null,
  prepare(ctx) {
    const sums = weighted(ctx);
    return (rep) => {
      const s = sums(rep);
      // a ratio metric's denominator total differs between worlds and must
      // itself be estimated: the ratio of HT totals (which is the Hajek form)
      if (Number.isNaN(s.totalDen)) return s.w1 > 0 && s.w0 > 0 ? { estimate: s.t1 / s.w1 - s.t0 / s.w0, se: NaN, df: Infinity } : UNDEFINED;
      return { estimate: (s.t1 - s.t0) / s.totalDen, se: NaN, df: Infinity };
    };
  },
};

export const hajek: Estimator = {
  id: 'hajek',
  label: 'Hajek, full-neighbourhood exposure',
  notApplicable: () => null,
  prepare(ctx) {
    const sums = weighted(ctx);
    return (rep) => {
      const s = sums(rep);
      if (!(s.w1 > 0 && s.w0 > 0)) return UNDEFINED;
      return { estimate: s.t1 / s.w1 - s.t0 / s.w0, se: NaN, df: Infinity };
    };
  },
};
