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
  /** defined estimates left or right of its axis */
  below: number;
  above: number;
  /** its axis: the shared one, or its own when its spread is far wider than the others' */
  domain: [number, number];
  ownAxis: boolean;
}

/** The axes: the shared one, and the own axis of each far noisier design x estimator (by combo label). */
export interface AxisPlan {
  domain: [number, number];
  own: Record<string, [number, number]>;
}

export interface Histograms {
  metric: string;
  /** the shared axis */
  domain: [number, number];
  /** the shared axis and the own axes, to keep them fixed while rows stream in */
  axes: AxisPlan;
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

/** Spread of sorted values: the 10-90% range. */
const spreadOf = (sorted: number[]) => quantile(sorted, 0.9) - quantile(sorted, 0.1);

/**
 * Which groups are far noisier than the rest: spread more than 3x the
 * median spread of the groups with values. They get an axis of their own.
 */
export function wideGroups(groups: { values: number[] }[]): boolean[] {
  const spread = groups.map((g) => (g.values.length > 0 ? spreadOf(g.values) : NaN));
  const sorted = spread.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const cap = 3 * quantile(sorted, 0.5);
  return spread.map((x) => !Number.isNaN(x) && x > cap);
}

/**
 * The shared axis: the truth and the central 98% of every estimator whose
 * spread is within 3x the median spread. A far noisier estimator (HT under
 * user randomization) would otherwise squash every other histogram to a
 * sliver; histograms() gives it an axis of its own (this same rule applied to
 * it alone).
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
 * Bin every design x estimator of one metric; `nBins` bins across its axis:
 * the shared `focusDomain` of the others, or its own for one far noisier
 * than the rest (wideGroups). The axes are computed unless given (the page
 * fixes them while replications stream in, so bars do not jump; a plain
 * domain is the shared axis for every combo).
 */
export function histograms(rows: readonly Row[], metric: string, nBins = 40, fixed?: AxisPlan | [number, number]): Histograms {
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
  let axes: AxisPlan;
  if (Array.isArray(fixed)) axes = { domain: fixed, own: {} };
  else if (fixed) axes = fixed;
  else {
    const wide = wideGroups(list);
    axes = { domain: focusDomain(list), own: {} };
    list.forEach((g, i) => {
      if (wide[i]) axes.own[g.combo] = focusDomain([g]);
    });
  }
  const bins: Bin[] = [];
  const combos: ComboStats[] = [];
  for (const g of list) {
    const ownAxis = Object.prototype.hasOwnProperty.call(axes.own, g.combo);
    const domain = ownAxis ? axes.own[g.combo]! : axes.domain;
    const [lo, hi] = domain;
    const width = (hi - lo) / nBins;
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
      domain,
      ownAxis,
    });
  }
  return { metric, domain: axes.domain, axes, bins, combos };
}

/** Metrics in first-seen order. */
export function metricsOf(rows: readonly { metric: string }[]): string[] {
  return [...new Set(rows.map((r) => r.metric))];
}
