// The interference test of Saveski et al. (2017), for the two-arm design in
// design/saveski.ts: estimate the effect in the cluster-randomized arm and
// in the user-randomized arm, and test whether they differ. Estimate =
// cluster arm − user arm, SE = sqrt(V_cluster + V_user): the arms use
// disjoint users and independent coins, so their estimates are independent
// given the arm split. "Power" in the summary is then the detection rate.
// Both arms use ratio (Hajek) means: sum of outcomes over sum of
// denominators (1 per user for a mean metric), with linearised variances
// from user residuals (user arm) and cluster residual totals (cluster arm).
import { memo, undefinedEstimate, withVariance, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';

interface Arm {
  s: number;
  w: number;
  k: number;
}

export const saveskiTest: Estimator = {
  id: 'saveski',
  label: 'Saveski et al. interference test: cluster-arm minus user-arm effect',
  notApplicable(d): string | null {
    switch (d.structure.kind) {
      case 'two-arms':
        return null;
      case 'fixed':
      case 'random-clustering':
      case 'ego':
      case 'saturation':
      case 'rollout':
        return 'needs the two-arm saveski design';
    }
  },
  prepare: () => (rep) => {
    const info = rep.draw;
    if (info?.kind !== 'two-arms') return undefinedEstimate('no-draw');
    const { labels, count, arm } = info;
    const { y, den, dose } = rep;
    const w = (i: number) => (den ? den[i]! : 1);
    const totals = memo(rep, 'saveski:totals', () => ({ y: new Float64Array(count), w: new Float64Array(count), z: new Int8Array(count) }));
    totals.y.fill(0);
    totals.w.fill(0);
    // user arm: per-user ratio means
    const u: [Arm, Arm] = [
      { s: 0, w: 0, k: 0 },
      { s: 0, w: 0, k: 0 },
    ];
    for (let i = 0; i < y.length; i++) {
      const c = labels[i]!;
      if (arm[c]) {
        totals.y[c]! += y[i]!;
        totals.w[c]! += w(i);
        totals.z[c] = dose[i]! as 0 | 1;
      } else {
        const a = u[dose[i]! === 1 ? 1 : 0];
        ((a.s += y[i]!), (a.w += w(i)), a.k++);
      }
    }
    const c: [Arm, Arm] = [
      { s: 0, w: 0, k: 0 },
      { s: 0, w: 0, k: 0 },
    ];
    for (let k = 0; k < count; k++) {
      if (!arm[k] || !(totals.w[k]! > 0)) continue;
      const a = c[totals.z[k]!]!;
      ((a.s += totals.y[k]!), (a.w += totals.w[k]!), a.k++);
    }
    if (u.some((a) => a.k < 2)) return undefinedEstimate('arm-users');
    if (c.some((a) => a.k < 2)) return undefinedEstimate('arm-units');
    if (u.some((a) => !(a.w > 0)) || c.some((a) => !(a.w > 0))) return undefinedEstimate('arm-weight');
    const mu = (a: Arm) => a.s / a.w;
    // residual sums of squares, user arm then cluster arm
    const ru = [0, 0];
    for (let i = 0; i < y.length; i++) {
      if (arm[labels[i]!]) continue;
      const t = dose[i]! === 1 ? 1 : 0;
      ru[t]! += (y[i]! - mu(u[t]!) * w(i)) ** 2;
    }
    const rc = [0, 0];
    for (let k = 0; k < count; k++) {
      if (!arm[k] || !(totals.w[k]! > 0)) continue;
      const t = totals.z[k]!;
      rc[t]! += (totals.y[k]! - mu(c[t]!) * totals.w[k]!) ** 2;
    }
    const v = (r: number, a: Arm) => (a.k / (a.k - 1)) * (r / (a.w * a.w));
    const vUser = v(ru[0]!, u[0]) + v(ru[1]!, u[1]);
    const vCluster = v(rc[0]!, c[0]) + v(rc[1]!, c[1]);
    const est = mu(c[1]) - mu(c[0]) - (mu(u[1]) - mu(u[0]));
    return withVariance(est, vUser + vCluster, Infinity);
  },
};

export const saveskiKind: EstimatorKind = { type: 'saveski', estimator: saveskiTest };
