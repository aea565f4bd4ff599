// Difference in means under overlapping units (thread-level designs) with a
// standard error that allows any dependence between users who share a unit
// (unit-robust.ts), psi being each user's linearised contribution to the
// slope. For a partition this is the cluster-robust (Liang–Zeger) variance;
// with overlaps it counts each dependent pair once, instead of treating
// users as independent like the naive SE.
// As cluster-dm needs two clusters in each arm, this needs two treated and
// two control units: with one, every dosed user's contribution sits in one
// unit and the variance would treat that arm's level as known. A negative
// variance (possible with overlaps) makes the replication undefined.
import type { Design } from '../design/index.js';
import { unitCounts, weightedSlope } from './dm.js';
import { undefinedEstimate, withVariance, type Estimate, type RepData } from './estimator.js';
import { unitRobustVariance } from './unit-robust.js';

export function overlapRobustDM(design: Design): (rep: RepData) => Estimate {
  const variance = unitRobustVariance(design.units);
  // with fewer than 3 units there are no degrees of freedom for the interval
  if (!variance) return () => undefinedEstimate('few-units');
  const k = unitCounts(design);
  const G = design.units.count;
  const psi = new Float64Array(design.units.offsets.length - 1);
  // units holding at least one user (the only ones that count)
  const held = new Uint8Array(G);
  for (let q = 0; q < design.units.list.length; q++) held[design.units.list[q]!] = 1;
  let heldCount = 0;
  for (let u = 0; u < G; u++) heldCount += held[u]!;
  return (rep) => {
    let treated = 0;
    for (let u = 0; u < G; u++) treated += rep.unitZ[u]! & held[u]!;
    if (treated < 2 || heldCount - treated < 2) return undefinedEstimate('arm-units');
    const e = weightedSlope(rep.dose, rep.y, rep.den, k, psi);
    if (!Number.isFinite(e.estimate)) return e;
    return withVariance(e.estimate, variance(psi), G - 2);
  };
}
