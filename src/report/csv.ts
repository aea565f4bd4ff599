// CSV for R and pandas: RFC 4180 quoting, "NA" for missing values (read as
// missing by read.csv, readr and pandas alike), Inf/-Inf for infinities (an
// unbounded interval), TRUE/FALSE for logicals and
// numbers in JavaScript's shortest round-trip form, so a parser gets back
// exactly the doubles the simulation computed. Columns: docs/data.md.
import { pValue, tQuantile } from '../estimate/stats.js';
import type { Row } from '../sim/replicate.js';
import type { Diagnosis } from '../sim/summary.js';
import type { DrawData } from '../sim/draw.js';

export type Cell = string | number | boolean | null | undefined;

/** One field: quoted when it holds a comma, quote, CR or LF (or leading/trailing space, which some readers trim). */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return 'NA';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NA' : v > 0 ? 'Inf' : '-Inf'; // R and pandas read Inf
  return /[",\r\n]|^\s|\s$|^NA$/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',') + '\n';
}

export function csvTable(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const parts = [csvLine(header)];
  for (const r of rows) parts.push(csvLine(r));
  return parts.join('');
}

export const SIMULATION_COLUMNS = [
  'sim_id',
  'design',
  'estimator',
  'metric',
  'estimate',
  'std_error',
  'df',
  'p_value',
  'conf_low',
  'conf_high',
  'estimand',
  'defined',
  'reason',
] as const;

/**
 * The long simulations table (DeclareDesign's get_simulations): one line per
 * replication x design x estimator x metric, in replication order (rows of
 * one replication keep the order they were computed in). Intervals and
 * p-values use the same t quantile (df; normal when df is NA) as the
 * diagnosis's coverage and power.
 */
export function simulationsCsv(rows: readonly Row[], alpha: number): string {
  const sorted = [...rows].sort((a, b) => a.rep - b.rep);
  return csvTable(
    SIMULATION_COLUMNS,
    sorted.map((r) => {
      const df = r.df ?? Infinity;
      const crit = tQuantile(1 - alpha / 2, df);
      const hasSE = r.estimate !== null && r.se !== null;
      // an estimator's own interval (wild bootstrap, randomization test; null = unbounded), as the diagnosis uses it
      const own = r.estimate !== null && r.lower !== undefined && r.upper !== undefined;
      return [
        r.rep,
        r.design,
        r.estimator,
        r.metric,
        r.estimate,
        r.se,
        r.df,
        // a test of another null (no spillover) reports its own p-value, which the diagnosis's power counts
        r.nullP !== undefined ? r.nullP : hasSE && !own ? pValue(r.estimate!, r.se!, df) : null,
        own ? (r.lower ?? -Infinity) : hasSE ? r.estimate! - crit * r.se! : null,
        own ? (r.upper ?? Infinity) : hasSE ? r.estimate! + crit * r.se! : null,
        r.truth,
        r.estimate !== null,
        r.reason ?? null,
      ];
    }),
  );
}

/** The diagnosis's columns, in order: each diagnosand followed by its Monte Carlo SE. */
export const DIAGNOSIS_COLUMNS = [
  'design',
  'estimator',
  'metric',
  'replications',
  'defined',
  'estimand',
  'estimand_se',
  'mean_estimate',
  'mean_estimate_se',
  'bias',
  'bias_se',
  'sd_estimate',
  'sd_estimate_se',
  'sd_error',
  'rmse',
  'rmse_se',
  'mean_se',
  'mean_se_se',
  'coverage',
  'coverage_se',
  'power',
  'power_se',
  'undefined_share',
] as const;

/** The diagnosis as a table (DeclareDesign's diagnose_design output, one line per design x estimator x metric). */
export function diagnosisCsv(diagnosis: readonly Diagnosis[]): string {
  return csvTable(
    DIAGNOSIS_COLUMNS,
    diagnosis.map((d) => [
      d.design,
      d.estimator,
      d.metric,
      d.replications,
      Math.round(d.replications * (1 - d.undefinedShare)),
      d.truth,
      d.truthSE,
      d.mean,
      d.meanEstimateSE,
      d.bias,
      d.biasSE,
      d.sd,
      d.sdSE,
      d.sdError,
      d.rmse,
      d.rmseSE,
      d.meanSE,
      d.meanSESE,
      d.coverage,
      d.coverageSE,
      d.power,
      d.powerSE,
      d.undefinedShare,
    ]),
  );
}

/** One replication's microdata (spillover draw): one line per user, columns as drawData lists them. */
export function drawCsv(data: DrawData): string {
  const { columns } = data;
  const n = columns[0]?.values.length ?? 0;
  const lines = [csvLine(columns.map((c) => c.name))];
  for (let i = 0; i < n; i++) lines.push(csvLine(columns.map((c) => c.values[i]!)));
  return lines.join('');
}

/** The same as JSON: the description (metrics with their scale, mappings, the replication's rows) and columns by name. */
export function drawJson(data: DrawData): string {
  const { columns, ...about } = data;
  const cols: Record<string, Cell[]> = {};
  for (const c of columns)
    cols[c.name] = Array.from(c.values as ArrayLike<Cell>, (v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  return JSON.stringify({ ...about, columns: cols }) + '\n';
}
