// Cluster difference in means with the CR2 cluster-robust standard error and
// Bell–McCaffrey degrees of freedom: estimatr's default for
// lm_robust(y ~ z, clusters = cluster) (se_type "CR2"). The estimate is the
// user-weighted difference of cluster-dm (the slope of y on z at the user
// level); the variance is the bias-reduced linearization of Bell &
// McCaffrey (2002), whose t reference with their degrees of freedom keeps
// coverage near nominal with few clusters, where cluster-dm's CR1 on C − 2
// degrees of freedom under-covers (docs/estimators.md). Ratio metrics: the
// weighted regression of num/den on z with weights den.
import { undefinedEstimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';
import { clusteredNotApplicable, clustersFor } from './clusters.js';
import { robustCoefficient } from './ols-robust.js';

/** The regression y ~ 1 + dose as (X, y, w) buffers reused across replications. */
export function dmRegression(n: number) {
  const X = new Float64Array(2 * n);
  const yy = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) X[2 * i] = 1;
  return (dose: Float64Array, y: Float64Array, den: Float64Array | null) => {
    for (let i = 0; i < n; i++) X[2 * i + 1] = dose[i]!;
    if (!den) return { X, k: 2, y, w: null, n };
    for (let i = 0; i < n; i++) ((w[i] = den[i]!), (yy[i] = den[i]! > 0 ? y[i]! / den[i]! : 0));
    return { X, k: 2, y: yy, w, n };
  };
}

export const clusterDmCr2: Estimator = {
  id: 'cr2',
  label: 'cluster difference in means (CR2 SE, Bell–McCaffrey df)',
  notApplicable: (d) => clusteredNotApplicable(d, false),
  prepare: ({ graph, design }) => {
    const clusters = clustersFor(design);
    const reg = dmRegression(graph.csr.n);
    return (rep) => {
      const c = clusters(rep);
      if (c === undefined) return undefinedEstimate('no-draw');
      const e = robustCoefficient(reg(rep.dose, rep.y, rep.den), 1, c?.label ?? null, c?.count ?? 0);
      return e;
    };
  },
};

export const cr2Kind: EstimatorKind = { type: 'cr2', estimator: clusterDmCr2 };
