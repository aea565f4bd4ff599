// The diagnosis: per design x estimator x metric, diagnosands over the
// replications, each with its Monte Carlo standard error. Rows are processed
// in replication order so the sums, and hence the output bytes, do not depend
// on which worker or shard produced them.
import { tQuantile } from '../estimate/stats.js';
import { reasonText } from '../estimate/estimator.js';
import type { Row } from './replicate.js';
import { bootstrapSE, BOOTSTRAP_RESAMPLES } from './bootstrap.js';

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
  /** Monte Carlo SEs (each diagnosand's, as diagnose_design reports them): of the mean estimate, SD/sqrt(k) */
  meanEstimateSE: number | null;
  bias: number | null;
  biasSE: number | null;
  sd: number | null;
  /** bootstrap over replications (BOOTSTRAP_RESAMPLES resamples, seeded): no closed form without assuming normality */
  sdSE: number | null;
  /**
   * SD of (estimate - truth) over defined replications: what the SE should
   * match when the truth varies by replication (product models); equal to
   * sd when it does not
   */
  sdError: number | null;
  /** mean of the reported standard errors over defined replications that have one (DeclareDesign's mean_se) */
  meanSE: number | null;
  /** sd of the reported SEs / sqrt(their count) */
  meanSESE: number | null;
  rmse: number | null;
  /** bootstrap, as sdSE */
  rmseSE: number | null;
  /** share of defined replications whose interval covers the truth; null without standard errors */
  coverage: number | null;
  coverageSE: number | null;
  /** share rejecting "no effect" at level alpha; null without standard errors */
  power: number | null;
  /** sqrt(power (1 - power) / count) */
  powerSE: number | null;
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

/** `seed` names the bootstrap streams of the SD's and RMSE's Monte Carlo SEs (the scenario's seed). */
export function diagnose(rows: readonly Row[], alpha = 0.05, seed: number | string = 1): Diagnosis[] {
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
    out.push(diagnoseGroup(g, alpha, seed));
  }
  return out;
}

// the diagnosands that are numbers (or null), in the order they are reported
const DIAGNOSANDS = [
  'truth',
  'mean',
  'meanEstimateSE',
  'bias',
  'biasSE',
  'sd',
  'sdSE',
  'sdError',
  'meanSE',
  'meanSESE',
  'rmse',
  'rmseSE',
  'coverage',
  'coverageSE',
  'power',
  'powerSE',
] as const;
// those computed from the truth
const FROM_TRUTH = new Set<string>(['truth', 'bias', 'biasSE', 'sdError', 'rmse', 'rmseSE', 'coverage', 'coverageSE']);

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

function diagnoseGroup(g: Row[], alpha: number, seed: number | string): Diagnosis {
  const truthFinite = g.every((r) => Number.isFinite(r.truth));
  return finite(diagnoseSums(g, alpha, seed), truthFinite);
}

function diagnoseSums(g: Row[], alpha: number, seed: number | string): Diagnosis {
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
      meanEstimateSE: null,
      bias: null,
      biasSE: null,
      sd: null,
      sdSE: null,
      sdError: null,
      meanSE: null,
      meanSESE: null,
      rmse: null,
      rmseSE: null,
      coverage: null,
      coverageSE: null,
      power: null,
      powerSE: null,
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
  // rows with an interval: estimate ± t·SE, or the estimator's own (wild bootstrap, randomization test; it may have no SE)
  const own = (r: Row) => r.lower !== undefined && r.upper !== undefined;
  const withInterval = ok.filter((r) => r.se !== null || own(r));
  const withSE = ok.filter((r) => r.se !== null);
  let coverage: number | null = null;
  let power: number | null = null;
  let meanSE: number | null = null;
  let meanSESE: number | null = null;
  if (withInterval.length > 0) {
    let cover = 0;
    let reject = 0;
    for (const r of withInterval) {
      if (own(r)) {
        // the estimator's own interval (null = unbounded)
        const lo = r.lower ?? -Infinity,
          hi = r.upper ?? Infinity;
        if (lo <= r.truth && r.truth <= hi) cover++;
        if (lo > 0 || hi < 0) reject++;
        continue;
      }
      const crit = tQuantile(1 - alpha / 2, r.df ?? Infinity);
      if (Math.abs(r.estimate! - r.truth) <= crit * r.se!) cover++;
      if (Math.abs(r.estimate!) > crit * r.se!) reject++;
    }
    coverage = cover / withInterval.length;
    power = reject / withInterval.length;
  }
  // an estimator testing another null (no spillover): power is its rejection rate
  const tested = ok.filter((r) => r.nullP !== undefined);
  if (tested.length > 0) power = tested.filter((r) => r.nullP! < alpha).length / tested.length;
  if (withSE.length > 0) {
    let sumSE = 0;
    for (const r of withSE) sumSE += r.se!;
    meanSE = sumSE / withSE.length;
    let ssSE = 0;
    for (const r of withSE) ssSE += (r.se! - meanSE) ** 2;
    meanSESE = withSE.length > 1 ? Math.sqrt(ssSE / (withSE.length - 1) / withSE.length) : null;
  }
  // the SD's and RMSE's Monte Carlo SEs: a bootstrap over the defined replications
  const boot =
    k > 1
      ? bootstrapSE(
          ok.map((r) => r.estimate!),
          ok.map((r) => r.truth),
          [seed, first.design, first.estimator, first.metric],
          BOOTSTRAP_RESAMPLES,
        )
      : null;
  return {
    ...base,
    mean,
    meanEstimateSE: sd !== null ? sd / Math.sqrt(k) : null,
    bias,
    biasSE: k > 1 ? Math.sqrt(sse / (k - 1) / k) : null,
    sd,
    sdSE: boot?.sd ?? null,
    sdError: k > 1 ? Math.sqrt(sse / (k - 1)) : null,
    meanSE,
    meanSESE,
    rmse: Math.sqrt(sumSq / k),
    rmseSE: boot?.rmse ?? null,
    coverage,
    coverageSE: coverage !== null ? Math.sqrt((coverage * (1 - coverage)) / withInterval.length) : null,
    power,
    powerSE: power !== null ? Math.sqrt((power * (1 - power)) / (tested.length || withInterval.length)) : null,
  };
}
