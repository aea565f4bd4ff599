// Cluster-level difference in means for cluster-randomized designs: the
// user-weighted difference (sum of outcomes over users in treated clusters
// over their number, minus the same for control) with a cluster-robust
// standard error from cluster residual totals (Liang–Zeger with the G/(G-1)
// correction per arm) and t intervals on C - 2 degrees of freedom, because
// the number of clusters, not users, sets the precision. Under RGCR and
// mixtures the clusters are those of the replication's own clustering
// (the SE is then conditional on it). Under overlapping units (thread-level
// designs) it is dm's slope with a variance robust to dependence between
// users who share any unit (overlap-robust.ts).
import { unitSizes } from '../design/index.js';
import { undefinedEstimate, withVariance, type Estimate, type Estimator } from './estimator.js';
import { overlapRobustDM } from './overlap-robust.js';
import type { EstimatorKind } from './schema.js';
import { populationFor } from './population.js';

export const clusterDifferenceInMeans: Estimator = {
  id: 'cluster-dm',
  label: 'cluster difference in means (cluster-robust SE)',
  notApplicable(d): string | null {
    switch (d.structure.kind) {
      case 'two-arms':
        return 'its two arms are randomized differently; use the saveski test';
      case 'random-clustering':
      case 'ego':
        return null;
      case 'saturation':
        return 'clusters are treated in part (at their drawn saturation), not all or none; use the saturation estimator';
      // a rollout's observed (last) stage: its fixed units treated by independent coins, as a fixed Bernoulli design
      case 'rollout':
      case 'fixed':
        return d.units.partition && d.units.count === d.units.offsets.length - 1
          ? 'every cluster is one user: same as difference in means'
          : null;
    }
  },
  prepare: ({ design }) => {
    const pop = populationFor(design);
    if (pop) {
      // an analysis population (the egos): its users' outcomes only, each in its unit (one ego per ego cluster)
      const { offsets, list } = design.units;
      const label = new Uint32Array(pop.users.length);
      const sizes = new Float64Array(design.units.count);
      pop.users.forEach((i, k) => {
        if (offsets[i + 1]! - offsets[i]! !== 1)
          throw new Error(`design "${design.name}": population user ${i} is not in exactly one unit`);
        sizes[(label[k] = list[offsets[i]!]!)]!++;
      });
      const y = new Float64Array(label.length),
        den = new Float64Array(label.length);
      return (rep) => clusterContrast(label, sizes, rep.unitZ, pop.gather(rep.y, y), rep.den ? pop.gather(rep.den, den) : null);
    }
    // overlapping units (threads): the same slope as dm, with a variance robust to sharing any unit
    const random = design.structure.kind === 'random-clustering';
    if (!design.units.partition && !random) return overlapRobustDM(design);
    if (random) {
      // clusters change every draw: rebuild sizes and cluster treatments from the draw
      let sizes = new Float64Array(0);
      let z = new Uint8Array(0);
      return (rep) => {
        const info = rep.draw;
        if (!info || info.kind === 'rollout') return undefinedEstimate('no-draw');
        if (sizes.length < info.count) ((sizes = new Float64Array(info.count)), (z = new Uint8Array(info.count)));
        const s = sizes.subarray(0, info.count).fill(0);
        for (let i = 0; i < info.labels.length; i++) (s[info.labels[i]!]!++, (z[info.labels[i]!] = rep.dose[i]! as 0 | 1));
        return clusterContrast(info.labels, s, z, rep.y, rep.den);
      };
    }
    const sizes = unitSizes(design.units);
    const label = design.units.list;
    return (rep) => clusterContrast(label, sizes, rep.unitZ, rep.y, rep.den);
  },
};

const buffers = { total: new Float64Array(0), weight: new Float64Array(0) };

function clusterContrast(
  label: ArrayLike<number>,
  sizes: Float64Array,
  unitZ: Uint8Array,
  y: Float64Array,
  den: Float64Array | null,
): Estimate {
  const C = sizes.length;
  if (buffers.total.length < C) ((buffers.total = new Float64Array(C)), (buffers.weight = new Float64Array(C)));
  const total = buffers.total.subarray(0, C).fill(0);
  for (let i = 0; i < y.length; i++) total[label[i]!]! += y[i]!;
  // ratio metrics: the cluster's denominator total plays the part of its size
  let size = sizes;
  if (den) {
    size = buffers.weight.subarray(0, C).fill(0);
    for (let i = 0; i < y.length; i++) size[label[i]!]! += den[i]!;
  }
  let s1 = 0,
    s0 = 0,
    n1 = 0,
    n0 = 0,
    c1 = 0,
    c0 = 0;
  for (let k = 0; k < C; k++) {
    if (sizes[k] === 0) continue;
    if (unitZ[k]) ((s1 += total[k]!), (n1 += size[k]!), c1++);
    else ((s0 += total[k]!), (n0 += size[k]!), c0++);
  }
  if (c1 < 2 || c0 < 2) return undefinedEstimate('arm-units');
  if (!(n1 > 0 && n0 > 0)) return undefinedEstimate('arm-weight');
  const m1 = s1 / n1;
  const m0 = s0 / n0;
  let r1 = 0,
    r0 = 0;
  for (let k = 0; k < C; k++) {
    if (sizes[k] === 0) continue;
    if (unitZ[k]) r1 += (total[k]! - m1 * size[k]!) ** 2;
    else r0 += (total[k]! - m0 * size[k]!) ** 2;
  }
  const v = ((c1 / (c1 - 1)) * r1) / (n1 * n1) + ((c0 / (c0 - 1)) * r0) / (n0 * n0);
  return withVariance(m1 - m0, v, c1 + c0 - 2);
}

export const clusterDmKind: EstimatorKind = { type: 'cluster-dm', estimator: clusterDifferenceInMeans, byDefault: true };
