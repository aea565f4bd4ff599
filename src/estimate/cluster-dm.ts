// Cluster-level difference in means for cluster-randomized designs: the
// user-weighted difference (sum of outcomes over users in treated clusters
// over their number, minus the same for control) with a cluster-robust
// standard error from cluster residual totals (Liang–Zeger with the G/(G-1)
// correction per arm) and t intervals on C - 2 degrees of freedom, because
// the number of clusters, not users, sets the precision.
import { unitSizes } from '../design/index.js';
import { UNDEFINED, type Estimator } from './estimator.js';

export const clusterDifferenceInMeans: Estimator = {
  id: 'cluster-dm',
  label: 'cluster difference in means (cluster-robust SE)',
  notApplicable: (d) =>
    !d.units.partition ? 'units overlap (not a clustering)' : d.units.count === d.units.offsets.length - 1 ? 'every cluster is one user: same as difference in means' : null,
  prepare: ({ design }) => {
    const C = design.units.count;
    const sizes = unitSizes(design.units);
    const label = design.units.list;
    const total = new Float64Array(C);
    const weight = new Float64Array(C);
    return (rep) => {
      const { y, unitZ, den } = rep;
      total.fill(0);
      for (let i = 0; i < y.length; i++) total[label[i]!]! += y[i]!;
      // ratio metrics: the cluster's denominator total plays the part of its size
      let size = sizes;
      if (den) {
        weight.fill(0);
        for (let i = 0; i < y.length; i++) weight[label[i]!]! += den[i]!;
        size = weight;
      }
      let s1 = 0, s0 = 0, n1 = 0, n0 = 0, c1 = 0, c0 = 0;
      for (let k = 0; k < C; k++) {
        if (sizes[k] === 0) continue;
        if (unitZ[k]) (s1 += total[k]!), (n1 += size[k]!), c1++;
        else (s0 += total[k]!), (n0 += size[k]!), c0++;
      }
      if (c1 < 2 || c0 < 2 || !(n1 > 0 && n0 > 0)) return UNDEFINED;
      const m1 = s1 / n1;
      const m0 = s0 / n0;
      let r1 = 0, r0 = 0;
      for (let k = 0; k < C; k++) {
        if (sizes[k] === 0) continue;
        if (unitZ[k]) r1 += (total[k]! - m1 * size[k]!) ** 2;
        else r0 += (total[k]! - m0 * size[k]!) ** 2;
      }
      const v = ((c1 / (c1 - 1)) * r1) / (n1 * n1) + ((c0 / (c0 - 1)) * r0) / (n0 * n0);
      return { estimate: m1 - m0, se: Math.sqrt(v), df: c1 + c0 - 2 };
    };
  },
};
