// Calibrating a product scenario to a target readout (issue 15): a few named
// model parameters are searched so that one experiment's readout (the
// `spillover readout` experiment: model draw and assignment from the streams
// (seed, "readout", …)) reads like a target table, e.g. a case's.
//
// The objective is the sum over targets of ((achieved − target) / tolerance)²,
// the achieved value being the mean over a fixed list of seeds of one
// readout statistic (a level, the relative change, the absolute change).
// Every evaluation uses the same seeds, so the same graphs, draws and
// assignments: the product models' randomness is a hash of (purpose key,
// unit, day), so changing a parameter changes outcomes only through the
// parameter (common random numbers), and the objective is a deterministic
// function of the parameters. The search is a coordinate search on each
// parameter's scale in [0, 1] (logarithmic between positive bounds unless
// said otherwise): try one step up and one down, keep the best improvement,
// halve the step after a sweep without one, stop at the smallest step or
// the evaluation budget.
//
// The check reads each seed on its own: a seed lands when every target is
// within its tolerance and, where the target says so, significant or not
// as stated.
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { SocialGraph } from '../graph/csr.js';
import { designName, findDesign } from '../design/index.js';
import { isProductModel, type ProductModel } from '../model/products/product.js';
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { buildGraph } from '../sim/build-graph.js';
import { buildPlan } from '../sim/plan.js';
import type { Scenario } from '../sim/scenario.js';
import { experimentContrasts, type Contrast } from './readout.js';

const STATS = ['control', 'treatment', 'change', 'diff'] as const;
export type Stat = (typeof STATS)[number];

const targetSchema = z.strictObject({
  metric: z.string(),
  /** control or treatment level, relative change (treatment − control) / control, or absolute change */
  stat: z.enum(STATS),
  value: z.number(),
  /** the range that counts as a hit: value ± tolerance; also the objective's unit */
  tolerance: z.number().positive(),
  /** when given, a seed lands only if the change's significance (95% interval excludes 0) is as stated */
  significant: z.boolean().optional(),
});

const parameterSchema = z.strictObject({
  min: z.number(),
  max: z.number(),
  /** search on a log scale (default: when both bounds are positive) */
  log: z.boolean().optional(),
});

export const targetsSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  /** the design whose readout is calibrated (default "user") */
  design: z.string().default('user'),
  /** seeds whose readouts are averaged in the search (the same every evaluation) */
  seeds: z
    .array(z.union([z.number().int(), z.string()]))
    .min(1)
    .max(50),
  /** the model parameters searched, with their bounds; the start is the scenario's value */
  parameters: z.record(z.string(), parameterSchema),
  targets: z.array(targetSchema).min(1),
  maxEvaluations: z.number().int().min(1).max(10_000).default(80),
});

export type Targets = z.infer<typeof targetsSchema>;
export type Target = z.infer<typeof targetSchema>;

export function parseTargets(value: unknown, label = 'targets'): Targets {
  const r = targetsSchema.safeParse(value);
  if (!r.success)
    throw new UserError(`${label}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, 'ESCENARIO');
  for (const [name, b] of Object.entries(r.data.parameters))
    if (!(b.min < b.max)) throw new UserError(`${label}: parameter ${name}: min must be below max`, 'ESCENARIO');
  return r.data;
}

/** One seed's readout contrasts of the calibrated design, by metric name. */
export type SeedRead = Map<string, Contrast>;

/**
 * The readout experiment of `design` at each seed, with the model parameters
 * `params` over the scenario's: exactly what `spillover readout --seed s
 * --design d` reads for these rows. Graphs are built once per seed (cache).
 */
export function readAt(
  scenario: Scenario,
  design: string,
  params: Record<string, number>,
  seeds: readonly (number | string)[],
  graphs = new Map<number | string, SocialGraph>(),
): SeedRead[] {
  const k = findDesign(scenario.designs, design);
  if (k < 0)
    throw new UserError(
      `design "${design}" is not in the scenario; designs there: ${scenario.designs.map((d) => designName(d)).join(', ')}`,
      'EARG',
    );
  return seeds.map((seed) => {
    const s: Scenario = {
      ...scenario,
      seed,
      model: { ...scenario.model, ...params } as Scenario['model'],
      designs: [scenario.designs[k]!],
      estimators: ['dm'],
    };
    let graph = graphs.get(seed);
    if (!graph) graphs.set(seed, (graph = buildGraph(s)));
    const plan = buildPlan(s, graph);
    if (!isProductModel(plan.model))
      throw new UserError(`calibrate needs a product model; this scenario's model is "${plan.model.type}"`, 'ESCENARIO');
    const pm = plan.model as ProductModel<unknown>;
    const draw = pm.draw((purpose) => stream(seed, ...names.readout(purpose)));
    const cs = experimentContrasts(plan, 0, draw);
    return new Map(pm.metrics.map((m, j) => [m.name, cs[j]!]));
  });
}

export function statOf(c: Contrast, stat: Stat): number {
  return stat === 'control' ? c.control : stat === 'treatment' ? c.treatment : stat === 'change' ? c.rel : c.diff;
}

function contrastOf(read: SeedRead, t: Target): Contrast {
  const c = read.get(t.metric);
  if (!c)
    throw new UserError(
      `target metric "${t.metric}" is not a metric of this model; its metrics: ${[...read.keys()].join(', ')}`,
      'ESCENARIO',
    );
  return c;
}

/** A target is hit at one seed: within tolerance, and significant or not as stated. */
export function hit(read: SeedRead, t: Target): boolean {
  const c = contrastOf(read, t);
  const v = statOf(c, t.stat);
  return Math.abs(v - t.value) <= t.tolerance && (t.significant === undefined || c.significant === t.significant);
}

export interface FitRow {
  target: Target;
  /** mean over the seeds of the statistic */
  achieved: number;
  within: boolean;
  /** share of the seeds where this target is hit on its own (tolerance and significance) */
  hits: number;
}

export interface Fit {
  loss: number;
  rows: FitRow[];
  /** share of the seeds where every target is hit */
  landing: number;
  seeds: number;
}

export function fitOf(reads: readonly SeedRead[], targets: readonly Target[]): Fit {
  let loss = 0;
  const rows = targets.map((t) => {
    const vals = reads.map((r) => statOf(contrastOf(r, t), t.stat));
    const achieved = vals.reduce((a, v) => a + v, 0) / vals.length;
    // an undefined statistic (a level of 0 under a relative change) is as far off as can be
    loss += Number.isFinite(achieved) ? ((achieved - t.value) / t.tolerance) ** 2 : 1e6;
    const hits = reads.filter((r) => hit(r, t)).length / reads.length;
    return { target: t, achieved, within: Math.abs(achieved - t.value) <= t.tolerance, hits };
  });
  const landing = reads.filter((r) => targets.every((t) => hit(r, t))).length / reads.length;
  return { loss, rows, landing, seeds: reads.length };
}

export interface SearchStep {
  evaluation: number;
  params: Record<string, number>;
  loss: number;
}

export interface Calibration {
  start: Record<string, number>;
  params: Record<string, number>;
  fit: Fit;
  evaluations: number;
  trace: SearchStep[];
}

/** Where on [0, 1] a parameter value sits, and back. */
function scaleOf(b: { min: number; max: number; log?: boolean | undefined }) {
  const log = b.log ?? (b.min > 0 && b.max > 0);
  const lo = log ? Math.log(b.min) : b.min;
  const hi = log ? Math.log(b.max) : b.max;
  return {
    toUnit: (x: number) => Math.min(1, Math.max(0, ((log ? Math.log(Math.max(x, b.min)) : x) - lo) / (hi - lo))),
    fromUnit: (u: number) => (log ? Math.exp(lo + u * (hi - lo)) : lo + u * (hi - lo)),
  };
}

/** The scenario's value of each searched parameter (the model's default where the file does not name it). */
export function startOf(scenario: Scenario, spec: Targets): Record<string, number> {
  const model = scenario.model as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(spec.parameters).map((name) => {
      const v = model[name];
      if (typeof v !== 'number')
        throw new UserError(
          `parameter "${name}" is not a numeric parameter of model "${scenario.model.type}"${'horizon' in scenario.model ? '' : ' (calibrate searches a product model, group-calls or group-stories, toward a readout)'}`,
          'ESCENARIO',
        );
      return [name, v];
    }),
  );
}

/** Coordinate search from the scenario's values toward the targets (see the header). */
export function calibrate(scenario: Scenario, spec: Targets, onStep?: (s: SearchStep) => void): Calibration {
  const graphs = new Map<number | string, SocialGraph>();
  const names = Object.keys(spec.parameters);
  const scales = names.map((n) => scaleOf(spec.parameters[n]!));
  const start = startOf(scenario, spec);
  const toParams = (u: number[]) => Object.fromEntries(names.map((n, i) => [n, round(scales[i]!.fromUnit(u[i]!))]));
  const trace: SearchStep[] = [];
  const evaluate = (u: number[]) => {
    const params = toParams(u);
    const fit = fitOf(readAt(scenario, spec.design, params, spec.seeds, graphs), spec.targets);
    const step = { evaluation: trace.length + 1, params, loss: fit.loss };
    trace.push(step);
    onStep?.(step);
    return fit;
  };
  let u = names.map((n, i) => scales[i]!.toUnit(start[n]!));
  let best = evaluate(u);
  let step = 0.125;
  while (step >= 1 / 128 && trace.length < spec.maxEvaluations) {
    let improved = false;
    for (let i = 0; i < names.length && trace.length < spec.maxEvaluations; i++) {
      for (const dir of [1, -1]) {
        if (trace.length >= spec.maxEvaluations) break;
        const v = u.slice();
        v[i] = Math.min(1, Math.max(0, v[i]! + dir * step));
        if (v[i] === u[i]) continue;
        const f = evaluate(v);
        if (f.loss < best.loss) {
          ((best = f), (u = v), (improved = true));
          break;
        }
      }
    }
    if (!improved) step /= 2;
  }
  return { start, params: toParams(u), fit: best, evaluations: trace.length, trace };
}

/** Four significant digits: the values written back into a scenario file. */
function round(x: number): number {
  return Number(x.toPrecision(4));
}
