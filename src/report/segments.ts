// Segments for the readout, from a product model's per-user covariates:
// activity (the most active share vs the rest), size of the user's largest
// group, tie strength (tertiles of the user's mean over their groups) and
// connectivity market. Users without groups form their own group-size
// segment and are left out of the tie-strength ones.
import type { Covariates } from '../model/products/product.js';

export interface Segment {
  dimension: string;
  label: string;
  mask: Uint8Array;
}

function quantile(values: number[], q: number): number {
  const s = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
}

function by(n: number, dimension: string, label: string, pick: (i: number) => boolean): Segment {
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = pick(i) ? 1 : 0;
  return { dimension, label, mask };
}

export function segmentMasks(cov: Covariates, topShare: number, largeGroup = 8): Segment[] {
  const n = cov.activity.length;
  const act = Array.from(cov.activity);
  const cut = quantile(act, 1 - topShare);
  const tie = Array.from(cov.meanTie);
  const t1 = quantile(tie, 1 / 3);
  const t2 = quantile(tie, 2 / 3);
  const top = `${Math.round(100 * topShare)}%`;
  return [
    by(n, 'activity', `top ${top} most active`, (i) => cov.activity[i]! >= cut),
    by(n, 'activity', `other ${100 - Math.round(100 * topShare)}%`, (i) => cov.activity[i]! < cut),
    by(n, 'group size', `largest group <= ${largeGroup}`, (i) => cov.maxSize[i]! > 0 && cov.maxSize[i]! <= largeGroup),
    by(n, 'group size', `a group > ${largeGroup}`, (i) => cov.maxSize[i]! > largeGroup),
    by(n, 'group size', 'no groups', (i) => cov.maxSize[i] === 0),
    by(n, 'tie strength', `low (< ${t1.toFixed(2)})`, (i) => cov.meanTie[i]! < t1),
    by(n, 'tie strength', 'middle', (i) => cov.meanTie[i]! >= t1 && cov.meanTie[i]! < t2),
    by(n, 'tie strength', `high (>= ${t2.toFixed(2)})`, (i) => cov.meanTie[i]! >= t2),
    by(n, 'connectivity', 'low-connectivity market', (i) => cov.lowConn[i] === 1),
    by(n, 'connectivity', 'other markets', (i) => cov.lowConn[i] === 0),
  ];
}
