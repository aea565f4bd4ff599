// spillover power <scenario>: analytic power of each clustering (ICC, design
// effect in its equal- and unequal-size forms, effective sample size, MDE)
// next to the power simulated by running the scenario, so the two answers
// can be compared. Analytic numbers assume no interference; the simulated
// ones include it.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import Table from 'cli-table3';
import { UserError } from '../errors.js';
import { designName } from '../design/index.js';
import { analyticPower, clusterSummary, designEffect, icc, minimumDetectableEffect } from '../design/power.js';
import { loadScenario, type Scenario } from '../sim/scenario.js';
import { buildPlan } from '../sim/plan.js';
import { buildGraph } from '../sim/build-graph.js';
import { runSerial } from '../sim/run.js';
import { outcomeBuffers } from '../model/index.js';
import { stream } from '../random/streams.js';
import { intArg } from './args.js';

const prob = (name: string) => (v: string) => {
  const x = Number(v);
  if (!(x > 0 && x < 1)) throw new InvalidArgumentError(`${name} must be in (0, 1), got "${v}"`);
  return x;
};

interface Opts {
  design?: string[];
  metric?: string;
  power: number;
  alpha?: number;
  reps?: number;
  draws: number;
}

export function registerPower(cli: Command): void {
  cli
    .command('power')
    .description('ICC, design effect, effective sample size and minimum detectable effect per clustering, next to simulated power')
    .argument('<scenario>', 'scenario JSON file')
    .option('--design <name...>', 'designs to analyse (default: all)')
    .option('--metric <name>', 'metric (default: the model\'s first)')
    .option('--power <x>', 'target power for the MDE', prob('--power'), 0.8)
    .option('--alpha <x>', 'two-sided level (default: the scenario\'s)', prob('--alpha'))
    .option('--reps <n>', 'replications for the simulated power (default: the scenario\'s)', intArg('--reps', 2))
    .option('--draws <n>', 'model draws averaged for the ICC', intArg('--draws', 1), 5)
    .action((file: string, opts: Opts) => {
      const scenario = loadScenario(file);
      process.stdout.write(formatPower(powerTable(scenario, opts)) + '\n');
    });
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
  mde: number;
  truth: number;
  analyticPower: number;
  simulatedPower: number | null;
  simulatedSD: number | null;
  estimator: string;
}

export function powerTable(scenario: Scenario, opts: Opts): { rows: PowerRow[]; skipped: string[]; metric: string; power: number; alpha: number; reps: number } {
  const alpha = opts.alpha ?? scenario.alpha;
  const reps = opts.reps ?? scenario.replications;
  const graph = buildGraph(scenario);
  const plan = buildPlan({ ...scenario, estimators: ['dm'] }, graph);
  const metrics = plan.model.metrics;
  const k = opts.metric === undefined ? 0 : metrics.findIndex((m) => m.name === opts.metric);
  if (k < 0) throw new UserError(`metric "${opts.metric}" not in the model; it has ${metrics.map((m) => m.name).join(', ')}`, 'EARG');
  const metric = metrics[k]!;
  const n = graph.csr.n;
  // outcomes with no one and with everyone treated, linearised for a ratio metric (num - R·den)
  const out = outcomeBuffers(plan.model, n);
  const worlds: { 0: Float64Array[]; 1: Float64Array[] } = { 0: [], 1: [] };
  for (let r = 0; r < opts.draws; r++) {
    const draw = plan.model.draw((purpose) => stream(scenario.seed, 'power', r, purpose));
    for (const z of [0, 1] as const) {
      plan.model.outcomes(draw, { dose: new Float64Array(n).fill(z), threadOn: null }, out.num, out.den);
      const y = Float64Array.from(out.num[k]!);
      if (metric.ratio) {
        const den = out.den[k]!;
        const total = den.reduce((s, v) => s + v, 0);
        const R = y.reduce((s, v) => s + v, 0) / total;
        for (let i = 0; i < n; i++) y[i] = (y[i]! - R * den[i]!) / (total / n);
      }
      worlds[z].push(y);
    }
  }
  const rows: PowerRow[] = [];
  const skipped: string[] = [];
  for (const pd of plan.designs) {
    const d = pd.design;
    if (opts.design && !opts.design.includes(d.name)) continue;
    // the analytic forms need one fixed partition into clusters
    const why = !d.units.partition ? 'units overlap' : d.randomClustering ? 'the clustering changes every draw' : d.type === 'saveski' ? 'two arms' : null;
    if (why) {
      skipped.push(`${d.name} (${why})`);
      continue;
    }
    const labels = d.units.list;
    const c = clusterSummary(labels, d.units.count);
    // per world: mean ICC and variance over the draws; a negative ANOVA ICC
    // is noise around 0, so it counts as 0 in the design effect
    const arm = (ys: Float64Array[]) => {
      let rho = 0, variance = 0;
      for (const y of ys) {
        const s = icc(y, labels, d.units.count);
        rho += (c.clusters === n ? 0 : s.icc) / ys.length;
        variance += s.variance / ys.length;
      }
      return { rho, variance, deff: designEffect(Math.max(0, rho), c) };
    };
    const a0 = arm(worlds[0]);
    const a1 = arm(worlds[1]);
    const { se, mde } = minimumDetectableEffect({
      users: n,
      p: d.p,
      treated: { variance: a1.variance, deff: a1.deff.unequal },
      control: { variance: a0.variance, deff: a0.deff.unequal },
      power: opts.power,
      alpha,
    });
    const rho = a0.rho;
    const deff = a0.deff;
    const estimator = c.clusters === n ? 'dm' : 'cluster-dm';
    const spec = scenario.designs.find((s) => designName(s) === d.name)!;
    const sim = runSerial({ ...scenario, replications: reps, designs: [spec], estimators: [estimator] }).results.diagnosis.find((x) => x.metric === metric.name)!;
    const truth = sim.truth / metric.scale;
    rows.push({
      design: d.name,
      ...c,
      icc: rho,
      deffEqual: deff.equal,
      deffUnequal: deff.unequal,
      effectiveN: n / deff.unequal,
      se: se * metric.scale,
      mde: mde * metric.scale,
      truth: sim.truth,
      analyticPower: analyticPower(truth, se, alpha),
      simulatedPower: sim.power,
      simulatedSD: sim.sd,
      estimator,
    });
  }
  if (rows.length === 0) throw new UserError('power: no design with a fixed clustering (user, cluster) to analyse', 'EARG');
  return { rows, skipped, metric: metric.name, power: opts.power, alpha, reps };
}

export function formatPower(t: ReturnType<typeof powerTable>): string {
  const f = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  const table = new Table({
    head: ['design', 'clusters', 'mean size', 'size CV', 'ICC', 'DE equal', 'DE unequal', 'eff. n', 'SE', 'MDE', 'truth', 'power analytic', 'power simulated', 'SD simulated'],
    style: { head: [], border: [], compact: true },
  });
  for (const r of t.rows) {
    table.push([r.design, r.clusters, f(r.meanSize, 1), f(r.cv, 2), f(r.icc, 4), f(r.deffEqual, 2), f(r.deffUnequal, 2), f(r.effectiveN, 0), f(r.se), f(r.mde), f(r.truth), pct(r.analyticPower), pct(r.simulatedPower), f(r.simulatedSD)]);
  }
  return [
    `metric ${t.metric}: MDE at ${(100 * t.power).toFixed(0)}% power, two-sided α = ${t.alpha}; simulated power from ${t.reps} replications (cluster-dm test; dm for user-level designs)`,
    table.toString(),
    'ICC, DE, eff. n: all-control world (negative ICC counts as 0); DE unequal = 1 + ((CV² + 1)·mean size − 1)·ICC (Eldridge et al. 2006);',
    'eff. n = users / DE unequal; SE and MDE use each arm\'s own variance and DE (the treated world from everyone treated).',
    'Analytic SE and power ignore interference: where the simulated SD or power differ, interference (or a small number of clusters) is why.',
    ...(t.skipped.length ? [`not analysed: ${t.skipped.join(', ')}`] : []),
  ].join('\n');
}
