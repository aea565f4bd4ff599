// The numbers of `spillover power`: analytic power of each fixed clustering
// (ICC, design effect in its equal- and unequal-size forms, effective sample
// size, MDE; power.ts) next to the power simulated by running the scenario.
// Analytic numbers assume no interference; the simulated ones include it.
import { UserError } from '../errors.js';
import { designName } from '../design/index.js';
import { analyticPower, clusterSummary, detectable, drawnSE, linearise } from './power.js';
import type { Scenario } from './scenario.js';
import { buildPlan } from './plan.js';
import { buildGraph } from './build-graph.js';
import { runSerial } from './run.js';
import { outcomeBuffers } from '../model/index.js';
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';

export interface PowerOptions {
  /** designs to analyse (default: all) */
  design?: string[];
  /** metric (default: the model's first) */
  metric?: string;
  /** target power for the MDE */
  power: number;
  /** two-sided level (default: the scenario's) */
  alpha?: number;
  /** replications for the simulated power (default: the scenario's) */
  reps?: number;
  /** model draws averaged for the ICC and variances */
  draws: number;
}

export interface PowerRow {
  design: string;
  clusters: number;
  meanSize: number;
  cv: number;
  icc: number;
  deffEqual: number;
  deffUnequal: number;
  effectiveN: number;
  se: number;
  /** Monte Carlo error of se over the model draws */
  seSE: number;
  mde: number;
  truth: number;
  analyticPower: number;
  simulatedPower: number | null;
  simulatedSD: number | null;
  simulatedSDSE: number | null;
  estimator: string;
}

export function powerTable(
  scenario: Scenario,
  opts: PowerOptions,
): { rows: PowerRow[]; skipped: string[]; notes: string[]; metric: string; power: number; alpha: number; reps: number; draws: number } {
  const alpha = opts.alpha ?? scenario.alpha;
  const reps = opts.reps ?? scenario.replications;
  const graph = buildGraph(scenario);
  const plan = buildPlan({ ...scenario, estimators: ['dm'] }, graph);
  const metrics = plan.model.metrics;
  const k = opts.metric === undefined ? 0 : metrics.findIndex((m) => m.name === opts.metric);
  if (k < 0) throw new UserError(`metric "${opts.metric}" not in the model; it has ${metrics.map((m) => m.name).join(', ')}`, 'EARG');
  const metric = metrics[k]!;
  const n = graph.csr.n;
  // outcomes with no one and with everyone treated, linearised for a ratio metric
  const out = outcomeBuffers(plan.model, n);
  const worlds: { 0: Float64Array[]; 1: Float64Array[] } = { 0: [], 1: [] };
  for (let r = 0; r < opts.draws; r++) {
    const draw = plan.model.draw((purpose) => stream(scenario.seed, ...names.power(r, purpose)));
    for (const z of [0, 1] as const) {
      plan.model.outcomes(draw, { dose: new Float64Array(n).fill(z), threadOn: null }, out.num, out.den);
      worlds[z].push(metric.ratio ? linearise(out.num[k]!, out.den[k]!) : Float64Array.from(out.num[k]!));
    }
  }
  const rows: PowerRow[] = [];
  const skipped: string[] = [];
  const notes: string[] = [];
  for (const pd of plan.designs) {
    const d = pd.design;
    if (opts.design && !opts.design.includes(d.name)) continue;
    // the analytic forms need one fixed partition into clusters
    const st = d.structure;
    const why =
      st.kind === 'random-clustering'
        ? 'the clustering changes every draw'
        : st.kind === 'two-arms'
          ? 'two arms'
          : st.kind === 'ego'
            ? 'the inquiry is about the egos only'
            : st.kind === 'saturation'
              ? 'clusters are treated at drawn saturations'
              : st.kind === 'rollout'
                ? 'a staggered rollout: no analytic power for its stages'
                : !d.units.partition
                  ? 'units overlap'
                  : null;
    if (why || st.kind !== 'fixed') {
      skipped.push(`${d.name} (${why})`);
      continue;
    }
    // matched pairs split treatment inside each pair, so the arms are not independent
    if (st.scheme.kind === 'paired')
      notes.push(
        `${d.name}: clusters are matched in pairs, but the analytic SE is that of unmatched randomization (conservative when the pairs are alike)`,
      );
    if (st.scheme.kind === 'blocked')
      notes.push(
        `${d.name}: units are randomized within blocks, but the analytic SE is that of unblocked randomization (conservative when the blocks differ)`,
      );
    const c = clusterSummary(d.units.list, d.units.count);
    const a = drawnSE({ y0: worlds[0], y1: worlds[1], labels: d.units.list, count: d.units.count, p: d.p });
    const se = a.se;
    const mde = detectable(se, opts.power, alpha);
    // shown: the control world, unless its outcome is constant there (e.g. a feature-only count)
    const shown = Number.isFinite(a.control.icc) || !Number.isFinite(a.treated.icc) ? a.control : a.treated;
    const estimator = c.clusters === n ? 'dm' : 'cluster-dm';
    const spec = scenario.designs.find((s) => designName(s) === d.name)!;
    const sim = runSerial({ ...scenario, replications: reps, designs: [spec], estimators: [estimator] }).results.diagnosis.find(
      (x) => x.metric === metric.name,
    )!;
    if (sim.truth === null)
      throw new UserError(`power: the true effect of ${metric.name} under ${d.name} is not a finite number (the model overflows)`, 'EARG');
    const truth = sim.truth / metric.scale;
    rows.push({
      design: d.name,
      ...c,
      icc: shown.icc,
      deffEqual: shown.deff.equal,
      deffUnequal: shown.deff.unequal,
      effectiveN: n / shown.deff.unequal,
      se: se * metric.scale,
      seSE: a.seSE * metric.scale,
      mde: mde * metric.scale,
      truth: sim.truth,
      analyticPower: analyticPower(truth, se, alpha),
      simulatedPower: sim.power,
      // the SD of the errors (estimate − truth): when the model redraws users each replication the
      // truth moves too, and the estimates' own SD is then mostly that movement, the same for every
      // design (group stories' posters: 0.000643 under user and Louvain alike), not the design's noise
      simulatedSD: sim.sdError,
      // an SD's Monte Carlo SE from k estimates: SD/sqrt(2(k − 1)) (normal estimates)
      simulatedSDSE:
        sim.sdError === null || reps * (1 - sim.undefinedShare) < 2
          ? null
          : sim.sdError / Math.sqrt(2 * (reps * (1 - sim.undefinedShare) - 1)),
      estimator,
    });
  }
  if (rows.length === 0) throw new UserError('power: no design with a fixed clustering (user, cluster) to analyse', 'EARG');
  return { rows, skipped, notes, metric: metric.name, power: opts.power, alpha, reps, draws: opts.draws };
}

export type PowerTable = ReturnType<typeof powerTable>;
