// Histograms of each design x estimator's estimates on one shared axis, binned
// here (not by Vega) so the report and the page draw the same bars and tests
// can count them. Browser-safe.
import type { Row } from '../sim/replicate.js';

export interface Bin {
  /** "design · estimator" */
  combo: string;
  design: string;
  estimator: string;
  lo: number;
  hi: number;
  count: number;
}

export interface ComboStats {
  combo: string;
  design: string;
  estimator: string;
  /** mean of the per-replication truth */
  truth: number;
  /** mean of the defined estimates; null when none is defined */
  mean: number | null;
  defined: number;
  undefined: number;
  /** defined estimates left or right of the shared axis */
  below: number;
  above: number;
}

export interface Histograms {
  metric: string;
  domain: [number, number];
  bins: Bin[];
  combos: ComboStats[];
}

export const comboLabel = (design: string, estimator: string) => `${design} · ${estimator}`;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return sorted[i]! + (h - i) * ((sorted[Math.min(i + 1, sorted.length - 1)] ?? sorted[i]!) - sorted[i]!);
}

/**
 * The shared axis: the truth and the central 98% of every estimator whose
 * spread is within 3x the median spread. A far noisier estimator (HT under
 * user randomization) would otherwise squash every other histogram to a
 * sliver; its values beyond the axis are counted, not drawn.
 */
export function focusDomain(groups: { values: number[]; truth: number }[]): [number, number] {
  const spread = groups.filter((g) => g.values.length > 0).map((g) => quantile(g.values, 0.9) - quantile(g.values, 0.1));
  const sortedSpread = [...spread].sort((a, b) => a - b);
  const cap = 3 * quantile(sortedSpread, 0.5);
  let lo = Infinity;
  let hi = -Infinity;
  let k = 0;
  for (const g of groups) {
    lo = Math.min(lo, g.truth);
    hi = Math.max(hi, g.truth);
    if (g.values.length === 0) continue;
    if (spread[k++]! > cap) continue;
    lo = Math.min(lo, quantile(g.values, 0.01));
    hi = Math.max(hi, quantile(g.values, 0.99));
  }
  if (!(hi > lo)) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/**
 * Bin every design x estimator of one metric; `nBins` bins across the shared
 * axis, which is `focusDomain` unless given (the page fixes it while
 * replications stream in, so bars do not jump).
 */
export function histograms(rows: readonly Row[], metric: string, nBins = 40, fixed?: [number, number]): Histograms {
  const groups = new Map<string, { design: string; estimator: string; values: number[]; truthSum: number; n: number }>();
  for (const r of rows) {
    if (r.metric !== metric) continue;
    const key = comboLabel(r.design, r.estimator);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { design: r.design, estimator: r.estimator, values: [], truthSum: 0, n: 0 }));
    g.truthSum += r.truth;
    g.n++;
    if (r.estimate !== null) g.values.push(r.estimate);
  }
  const list = [...groups.entries()].map(([combo, g]) => ({
    combo,
    ...g,
    truth: g.truthSum / g.n,
    values: g.values.sort((a, b) => a - b),
  }));
  const domain = fixed ?? focusDomain(list);
  const [lo, hi] = domain;
  const width = (hi - lo) / nBins;
  const bins: Bin[] = [];
  const combos: ComboStats[] = [];
  for (const g of list) {
    const counts = new Array<number>(nBins).fill(0);
    let below = 0;
    let above = 0;
    let sum = 0;
    for (const x of g.values) {
      sum += x;
      if (x < lo) below++;
      else if (x > hi) above++;
      else counts[Math.min(nBins - 1, Math.floor((x - lo) / width))]!++;
    }
    counts.forEach((count, b) => {
      if (count > 0)
        bins.push({ combo: g.combo, design: g.design, estimator: g.estimator, lo: lo + b * width, hi: lo + (b + 1) * width, count });
    });
    const defined = g.values.length;
    combos.push({
      combo: g.combo,
      design: g.design,
      estimator: g.estimator,
      truth: g.truth,
      mean: defined ? sum / defined : null,
      defined,
      undefined: g.n - defined,
      below,
      above,
    });
  }
  return { metric, domain, bins, combos };
}

/** Metrics in first-seen order. */
export function metricsOf(rows: readonly { metric: string }[]): string[] {
  return [...new Set(rows.map((r) => r.metric))];
}
