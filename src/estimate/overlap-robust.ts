// Difference in means under overlapping units (thread-level designs) with a
// standard error that allows any dependence between users who share a unit
// (unit-robust.ts), psi being each user's linearised contribution to the
// slope. For a partition this is the cluster-robust (Liang–Zeger) variance;
// with overlaps it counts each dependent pair once, instead of treating
// users as independent like the naive SE.
import type { Design } from '../design/index.js';
import { unitCounts, weightedSlope } from './dm.js';
import { UNDEFINED, type Estimate, type RepData } from './estimator.js';
import { unitRobustVariance } from './unit-robust.js';

export function overlapRobustDM(design: Design): (rep: RepData) => Estimate {
  const variance = unitRobustVariance(design.units);
  // with fewer than 3 units there are no degrees of freedom for the interval
  if (!variance) return () => UNDEFINED;
  const k = unitCounts(design);
  const psi = new Float64Array(design.units.offsets.length - 1);
  return (rep) => {
    const e = weightedSlope(rep.dose, rep.y, rep.den, k, psi);
    if (!Number.isFinite(e.estimate)) return e;
    const v = variance(psi);
    return { estimate: e.estimate, se: Math.sqrt(Math.max(0, v)), df: design.units.count - 2 };
  };
}
