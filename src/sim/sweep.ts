// Sweeps: run one scenario at several values of one parameter, named by a
// dot path into the scenario JSON (model.gamma, designs[0].p, graph.blocks),
// or at every point of a full factorial grid of several (repeated --vary, as
// DeclareDesign's expand_design), and collect every diagnosis into one tidy
// table: one row per grid point x design x estimator x metric.
import { UserError } from '../errors.js';
import { parseScenario, type Scenario } from './parse-scenario.js';
import type { Results } from './run.js';
import type { Diagnosis } from './summary.js';

export type SweepValue = number | string | boolean;

/** One varied parameter: its path and values. */
export interface Vary {
  path: string;
  values: SweepValue[];
}

/** One diagnosis at one grid point. */
export interface SweepRow extends Diagnosis {
  /** the first varied parameter and its value here (the charts' x axis) */
  path: string;
  value: SweepValue;
  /** every varied parameter's value here, by path (one entry for a one-parameter sweep) */
  point: Record<string, SweepValue>;
  /** randomization units of the design at this value (e.g. clusters), for RMSE against cluster count */
  units: number | null;
}

/** "designs[0].p" or "designs.0.p" -> ["designs", 0, "p"] */
export function parsePath(path: string): (string | number)[] {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (path === '' || parts.some((p) => p === ''))
    throw new UserError(`--vary: "${path}" is not a path like model.gamma or designs[0].p`, 'EARG');
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const show = (keys: (string | number)[]) => keys.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A deep copy of `obj` with the value at `path` replaced. Every step of the
 * path must already exist in `obj`: an own key of an object or an index inside
 * a list. Prototype keys (__proto__, constructor, prototype) are always refused.
 */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const keys = parsePath(path);
  const copy = structuredClone(obj);
  let node: unknown = copy;
  keys.forEach((k, i) => {
    const at = i === 0 ? 'the scenario' : `"${show(keys.slice(0, i))}"`;
    if (Array.isArray(node)) {
      if (typeof k !== 'number' || k >= node.length) {
        throw new UserError(
          `--vary ${path}: ${show(keys.slice(0, i))} is a list of ${node.length}; index ${String(k)} is outside the list` +
            (node.length ? ` (allowed: 0 to ${node.length - 1})` : ''),
          'EARG',
        );
      }
    } else if (node === null || typeof node !== 'object') {
      throw new UserError(`--vary ${path}: the scenario has no object at "${show(keys.slice(0, i))}"`, 'EARG');
    } else if (FORBIDDEN.has(String(k)) || !Object.prototype.hasOwnProperty.call(node, k)) {
      const allowed = Object.keys(node).filter((key) => !FORBIDDEN.has(key));
      throw new UserError(
        `--vary ${path}: ${at} has no key "${String(k)}"` +
          (FORBIDDEN.has(String(k)) ? ' (prototype keys are never allowed)' : '') +
          `; allowed keys at ${at}: ${allowed.length ? allowed.join(', ') : '(none)'}`,
        'EARG',
      );
    }
    const parent = node as Record<string | number, unknown>;
    if (i === keys.length - 1) parent[k] = value;
    else node = parent[k];
  });
  return copy;
}

function scalar(s: string): SweepValue {
  const t = s.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  const x = Number(t);
  return t !== '' && Number.isFinite(x) ? x : t;
}

/** "0,0.1,0.2", or a range "from:to:step" (inclusive, rounded to clean decimals). */
export function parseValues(list: string): SweepValue[] {
  const range = /^\s*(-?[\d.e+-]+):(-?[\d.e+-]+):([\d.e+-]+)\s*$/.exec(list);
  if (range) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (![from, to, step].every(Number.isFinite) || step <= 0 || to < from)
      throw new UserError(`--vary: range "${list}" must be from:to:step with from <= to and step > 0`, 'EARG');
    const n = Math.floor((to - from) / step + 1e-9);
    if (n > 1000) throw new UserError(`--vary: range "${list}" has ${n + 1} values; at most 1001`, 'EARG');
    return Array.from({ length: n + 1 }, (_, i) => Number((from + i * step).toPrecision(12)));
  }
  const values = list.split(',').map(scalar);
  if (values.length === 0 || values.some((v) => v === ''))
    throw new UserError(`--vary: "${list}" must be a comma-separated list of values`, 'EARG');
  return values;
}

/** "model.gamma=0,0.1" -> path and values */
export function parseVary(arg: string): Vary {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UserError(`--vary must be path=v1,v2,... (e.g. model.gamma=0,0.1,0.2), got "${arg}"`, 'EARG');
  const path = arg.slice(0, eq).trim();
  parsePath(path);
  return { path, values: parseValues(arg.slice(eq + 1)) };
}

/** Every combination of the values, the first parameter varying slowest. */
export function gridPoints(varies: readonly Vary[]): Record<string, SweepValue>[] {
  const paths = varies.map((v) => v.path);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup !== undefined) throw new UserError(`--vary ${dup} is given twice; give each parameter once with all its values`, 'EARG');
  let points: Record<string, SweepValue>[] = [{}];
  for (const { path, values } of varies) points = points.flatMap((pt) => values.map((v) => ({ ...pt, [path]: v })));
  return points;
}

const label = (point: Record<string, SweepValue>) =>
  Object.entries(point)
    .map(([p, v]) => `${p}=${String(v)}`)
    .join(', ');

/** One validated scenario per grid point; an invalid value fails before anything runs. */
export function sweepScenarios(base: Scenario, varies: readonly Vary[]): Scenario[] {
  return gridPoints(varies).map((point) => {
    const set = Object.entries(point).reduce<unknown>((s, [p, v]) => setPath(s, p, v), base);
    const s = parseScenario(set, `scenario with ${label(point)}`);
    return { ...s, name: `${base.name} [${label(point)}]` };
  });
}

export function sweepRows(point: Record<string, SweepValue>, results: Results): SweepRow[] {
  const units = new Map(results.designs.map((d) => [d.name, d.units]));
  const [path, value] = Object.entries(point)[0]!;
  return results.diagnosis.map((d) => ({ path, value, point, ...d, units: units.get(d.design) ?? null }));
}

/** Run every grid point in turn with `run` (serial or parallel); `onPoint` reports progress. */
export async function runSweep(
  base: Scenario,
  varies: readonly Vary[],
  run: (s: Scenario) => Results | Promise<Results>,
  onPoint?: (done: number, total: number, label: string) => void,
): Promise<SweepRow[]> {
  const points = gridPoints(varies);
  const scenarios = sweepScenarios(base, varies);
  const rows: SweepRow[] = [];
  for (let i = 0; i < scenarios.length; i++) {
    rows.push(...sweepRows(points[i]!, await run(scenarios[i]!)));
    onPoint?.(i + 1, scenarios.length, label(points[i]!));
  }
  return rows;
}

const COLUMNS: [keyof SweepRow, string][] = [
  ['path', 'path'],
  ['value', 'value'],
  ['design', 'design'],
  ['estimator', 'estimator'],
  ['metric', 'metric'],
  ['units', 'units'],
  ['replications', 'replications'],
  ['truth', 'truth'],
  ['truthSE', 'truth_se'],
  ['mean', 'mean'],
  ['bias', 'bias'],
  ['biasSE', 'bias_se'],
  ['sd', 'sd'],
  ['rmse', 'rmse'],
  ['coverage', 'coverage'],
  ['coverageSE', 'coverage_se'],
  ['power', 'power'],
  ['undefinedShare', 'undefined_share'],
  // Monte Carlo SEs of SD, RMSE and power (bootstrap for SD and RMSE), last so earlier columns keep their places
  ['sdSE', 'sd_se'],
  ['rmseSE', 'rmse_se'],
  ['powerSE', 'power_se'],
];

const cell = (x: unknown) => {
  if (x === null || x === undefined) return '';
  const s = String(x);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Tidy CSV, numbers at full precision, empty cells for undefined
 * diagnosands. A one-parameter sweep has columns path and value; a grid has
 * one column per varied parameter, headed by its path.
 */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const paths = Object.keys(rows[0]?.point ?? {});
  const grid = paths.length > 1;
  const head = grid ? [...paths.map(cell), ...COLUMNS.slice(2).map(([, h]) => h)] : COLUMNS.map(([, h]) => h);
  const lines = [head.join(',')];
  for (const r of rows) {
    const lead = grid ? paths.map((p) => cell(r.point[p])) : [];
    lines.push([...lead, ...COLUMNS.slice(grid ? 2 : 0).map(([k]) => cell(r[k]))].join(','));
  }
  return lines.join('\n') + '\n';
}
