// The diagnosis: per design x estimator x metric, diagnosands over the
// replications, each with its Monte Carlo standard error. Rows are processed
// in replication order so the sums, and hence the output bytes, do not depend
// on which worker or shard produced them.
import { tQuantile } from '../estimate/stats.js';
import { reasonText } from '../estimate/estimator.js';
import type { Row } from './replicate.js';

export interface Diagnosis {
  design: string;
  estimator: string;
  metric: string;
  replications: number;
  /** mean of the per-replication true global effect; null when it is not a finite number (see undefinedDiagnosands) */
  truth: number | null;
  /** its Monte Carlo SE: 0 when the truth is the same every replication, > 0 when the model redraws users (product models) */
  truthSE: number;
  /** over replications where the estimate is defined; null when none is */
  mean: number | null;
  bias: number | null;
  biasSE: number | null;
  sd: number | null;
  /**
   * SD of (estimate - truth) over defined replications: what the SE should
   * match when the truth varies by replication (product models); equal to
   * sd when it does not
   */
  sdError: number | null;
  /** mean of the reported standard errors over defined replications that have one (DeclareDesign's mean_se) */
  meanSE: number | null;
  rmse: number | null;
  /** share of defined replications whose interval covers the truth; null without standard errors */
  coverage: number | null;
  coverageSE: number | null;
  /** share rejecting "no effect" at level alpha; null without standard errors */
  power: number | null;
  /** share of replications where the estimator was undefined */
  undefinedShare: number;
  /** undefined replications per reason (code, its text, count), most frequent first */
  undefinedReasons: UndefinedCount[];
  /**
   * diagnosands shown as undefined (null) because they are not finite
   * numbers (a non-finite truth, or sums that overflow), each with its
   * reason; absent when there are none
   */
  undefinedDiagnosands?: { diagnosand: string; reason: string }[];
}

export interface UndefinedCount {
  reason: string;
  text: string;
  count: number;
}

function reasonCounts(g: readonly Row[]): UndefinedCount[] {
  const counts = new Map<string, number>();
  for (const r of g) {
    if (r.estimate !== null) continue;
    const reason = r.reason ?? 'unspecified';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts]
    .map(([reason, count]) => ({ reason, text: reasonText(reason), count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

export function diagnose(rows: readonly Row[], alpha = 0.05): Diagnosis[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.design}\u0000${r.estimator}\u0000${r.metric}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const out: Diagnosis[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.rep - b.rep);
    out.push(diagnoseGroup(g, alpha));
  }
  return out;
}

// the diagnosands that are numbers (or null), in the order they are reported
const DIAGNOSANDS = ['truth', 'mean', 'bias', 'biasSE', 'sd', 'sdError', 'meanSE', 'rmse', 'coverage', 'coverageSE', 'power'] as const;
// those computed from the truth
const FROM_TRUTH = new Set<string>(['truth', 'bias', 'biasSE', 'sdError', 'rmse', 'coverage', 'coverageSE']);

/**
 * No non-finite number is ever reported: a truth that is not finite in some
 * replication (a model that overflows; a replication file stores it as null)
 * makes every diagnosand computed from it undefined, and any other diagnosand
 * that is not finite (a sum that overflows) is undefined too, each with its reason.
 */
function finite(d: Diagnosis, truthFinite: boolean): Diagnosis {
  const out: { diagnosand: string; reason: string }[] = [];
  const rec = d as unknown as Record<string, number | null>;
  for (const k of DIAGNOSANDS) {
    if (!truthFinite && FROM_TRUTH.has(k)) {
      if (rec[k] !== null || k === 'truth')
        out.push({ diagnosand: k, reason: 'the true effect is not a finite number in some replication' });
      rec[k] = null;
    } else if (rec[k] !== null && !Number.isFinite(rec[k])) {
      out.push({ diagnosand: k, reason: 'not a finite number (its sum overflows)' });
      rec[k] = null;
    }
  }
  if (!Number.isFinite(d.truthSE)) {
    if (truthFinite) out.push({ diagnosand: 'truthSE', reason: 'not a finite number (its sum overflows)' });
    d.truthSE = 0;
  }
  if (out.length > 0) d.undefinedDiagnosands = out;
  return d;
}

function diagnoseGroup(g: Row[], alpha: number): Diagnosis {
  const truthFinite = g.every((r) => Number.isFinite(r.truth));
  return finite(diagnoseSums(g, alpha), truthFinite);
}

function diagnoseSums(g: Row[], alpha: number): Diagnosis {
  const first = g[0]!;
  const R = g.length;
  const truth = g.reduce((s, r) => s + r.truth, 0) / R;
  const fixed = g.every((r) => r.truth === first.truth);
  const truthSE = fixed || R < 2 ? 0 : Math.sqrt(g.reduce((s, r) => s + (r.truth - truth) ** 2, 0) / (R - 1) / R);
  const ok = g.filter((r) => r.estimate !== null);
  const k = ok.length;
  const base = {
    design: first.design,
    estimator: first.estimator,
    metric: first.metric,
    replications: R,
    truth,
    truthSE,
    undefinedShare: (R - k) / R,
    undefinedReasons: reasonCounts(g),
  };
  if (k === 0)
    return {
      ...base,
      mean: null,
      bias: null,
      biasSE: null,
      sd: null,
      sdError: null,
      meanSE: null,
      rmse: null,
      coverage: null,
      coverageSE: null,
      power: null,
    };
  let sumE = 0;
  let sumErr = 0;
  let sumSq = 0;
  for (const r of ok) {
    sumE += r.estimate!;
    sumErr += r.estimate! - r.truth;
    sumSq += (r.estimate! - r.truth) ** 2;
  }
  const mean = sumE / k;
  const bias = sumErr / k;
  let ss = 0;
  let sse = 0; // of the errors: the truth varies by replication when the model redraws users
  for (const r of ok) ((ss += (r.estimate! - mean) ** 2), (sse += (r.estimate! - r.truth - bias) ** 2));
  const sd = k > 1 ? Math.sqrt(ss / (k - 1)) : null;
  const withSE = ok.filter((r) => r.se !== null);
  let coverage: number | null = null;
  let power: number | null = null;
  let meanSE: number | null = null;
  if (withSE.length > 0) {
    let cover = 0;
    let reject = 0;
    let sumSE = 0;
    for (const r of withSE) {
      sumSE += r.se!;
      const crit = tQuantile(1 - alpha / 2, r.df ?? Infinity);
      if (Math.abs(r.estimate! - r.truth) <= crit * r.se!) cover++;
      if (Math.abs(r.estimate!) > crit * r.se!) reject++;
    }
    coverage = cover / withSE.length;
    power = reject / withSE.length;
    meanSE = sumSE / withSE.length;
  }
  return {
    ...base,
    mean,
    bias,
    biasSE: k > 1 ? Math.sqrt(sse / (k - 1) / k) : null,
    sd,
    sdError: k > 1 ? Math.sqrt(sse / (k - 1)) : null,
    meanSE,
    rmse: Math.sqrt(sumSq / k),
    coverage,
    coverageSE: coverage !== null ? Math.sqrt((coverage * (1 - coverage)) / withSE.length) : null,
    power,
  };
}
