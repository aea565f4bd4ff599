// Difference in means under overlapping units (thread-level designs) with a
// standard error that allows any dependence between users who share a unit:
// V = G/(G-1) * sum over pairs (i, j) sharing at least one unit (i = j
// included) of psi_i * psi_j, psi being each user's linearised contribution
// to the slope. For a partition this is the cluster-robust (Liang–Zeger)
// variance; with overlaps it counts each dependent pair once, as the
// dyadic/network-robust sandwich does, instead of treating users as
// independent like the naive SE.
import type { Design } from '../design/index.js';
import { unitCounts, weightedSlope } from './dm.js';
import { UNDEFINED, type Estimate, type RepData } from './estimator.js';

export function overlapRobustDM(design: Design): (rep: RepData) => Estimate {
  const { offsets, list, count: G } = design.units;
  const n = offsets.length - 1;
  // invert user -> units into unit -> members
  const start = new Uint32Array(G + 1);
  for (let q = 0; q < list.length; q++) start[list[q]! + 1]!++;
  for (let u = 0; u < G; u++) start[u + 1]! += start[u]!;
  const members = new Uint32Array(list.length);
  const fill = start.slice(0, G);
  for (let i = 0; i < n; i++) for (let q = offsets[i]!; q < offsets[i + 1]!; q++) members[fill[list[q]!]!++] = i;
  const k = unitCounts(design);
  const psi = new Float64Array(n);
  const stamp = new Int32Array(n);
  // with fewer than 3 units there are no degrees of freedom for the interval
  if (G < 3) return () => UNDEFINED;
  return (rep) => {
    const e = weightedSlope(rep.dose, rep.y, rep.den, k, psi);
    if (!Number.isFinite(e.estimate)) return e;
    stamp.fill(-1);
    let v = 0;
    for (let i = 0; i < n; i++) {
      const pi = psi[i]!;
      if (pi === 0) continue;
      let acc = 0;
      for (let q = offsets[i]!; q < offsets[i + 1]!; q++) {
        const u = list[q]!;
        for (let m = start[u]!; m < start[u + 1]!; m++) {
          const j = members[m]!;
          if (stamp[j] !== i) (stamp[j] = i), (acc += psi[j]!);
        }
      }
      v += pi * acc;
    }
    v *= G / (G - 1);
    return { estimate: e.estimate, se: Math.sqrt(Math.max(0, v)), df: G - 2 };
  };
}
