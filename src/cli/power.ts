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
import { analyticPower, clusterSummary, detectable, drawnSE, linearise } from '../design/power.js';
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
    .option('--draws <n>', 'model draws averaged for the ICC and variances', intArg('--draws', 1), 5)
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

export function powerTable(scenario: Scenario, opts: Opts): { rows: PowerRow[]; skipped: string[]; notes: string[]; metric: string; power: number; alpha: number; reps: number; draws: number } {
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
    const draw = plan.model.draw((purpose) => stream(scenario.seed, 'power', r, purpose));
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
    const why = !d.units.partition ? 'units overlap' : d.randomClustering ? 'the clustering changes every draw' : d.type === 'saveski' ? 'two arms' : null;
    if (why) {
      skipped.push(`${d.name} (${why})`);
      continue;
    }
    // matched pairs split treatment inside each pair, so the arms are not independent
    if (d.scheme.kind === 'paired') notes.push(`${d.name}: clusters are matched in pairs, but the analytic SE is that of unmatched randomization (conservative when the pairs are alike)`);
    const c = clusterSummary(d.units.list, d.units.count);
    const a = drawnSE({ y0: worlds[0], y1: worlds[1], labels: d.units.list, count: d.units.count, p: d.p });
    const se = a.se;
    const mde = detectable(se, opts.power, alpha);
    // shown: the control world, unless its outcome is constant there (e.g. a feature-only count)
    const shown = Number.isFinite(a.control.icc) || !Number.isFinite(a.treated.icc) ? a.control : a.treated;
    const estimator = c.clusters === n ? 'dm' : 'cluster-dm';
    const spec = scenario.designs.find((s) => designName(s) === d.name)!;
    const sim = runSerial({ ...scenario, replications: reps, designs: [spec], estimators: [estimator] }).results.diagnosis.find((x) => x.metric === metric.name)!;
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
      simulatedSD: sim.sd,
      // an SD's Monte Carlo SE from k estimates: SD/sqrt(2(k − 1)) (normal estimates)
      simulatedSDSE: sim.sd === null || reps * (1 - sim.undefinedShare) < 2 ? null : sim.sd / Math.sqrt(2 * (reps * (1 - sim.undefinedShare) - 1)),
      estimator,
    });
  }
  if (rows.length === 0) throw new UserError('power: no design with a fixed clustering (user, cluster) to analyse', 'EARG');
  return { rows, skipped, notes, metric: metric.name, power: opts.power, alpha, reps, draws: opts.draws };
}

export function formatPower(t: ReturnType<typeof powerTable>): string {
  const f = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  // significant digits: per-user-day metrics are far below 0.001
  const g = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? '—' : x.toPrecision(d));
  const pm = (x: number | null, e: number | null) => g(x) + (e !== null && Number.isFinite(e) && x !== null && Number.isFinite(x) ? ` ±${g(e, 2)}` : '');
  const table = new Table({
    head: ['design', 'clusters', 'mean size', 'size CV', 'ICC', 'DE equal', 'DE unequal', 'eff. n', 'SE', 'MDE', 'truth', 'power analytic', 'power simulated', 'SD simulated'],
    style: { head: [], border: [], compact: true },
  });
  for (const r of t.rows) {
    table.push([r.design, r.clusters, f(r.meanSize, 1), f(r.cv, 2), f(r.icc, 4), f(r.deffEqual, 2), f(r.deffUnequal, 2), f(r.effectiveN, 0), pm(r.se, r.seSE), g(r.mde), g(r.truth), pct(r.analyticPower), pct(r.simulatedPower), pm(r.simulatedSD, r.simulatedSDSE)]);
  }
  return [
    `metric ${t.metric}: MDE at ${(100 * t.power).toFixed(0)}% power, two-sided α = ${t.alpha}; simulated power from ${t.reps} replications (cluster-dm test; dm for user-level designs)`,
    table.toString(),
    'ICC, DE, eff. n: all-control world (all-treated where the control outcome is constant; negative ICC counts as 0); DE unequal = 1 + ((CV² + 1)·mean size − 1)·ICC (Eldridge et al. 2006);',
    'eff. n = users / DE unequal; SE and MDE use each arm\'s own variance and DE (the treated world from everyone treated).',
    `± : Monte Carlo error of the SE over the ${t.draws} model draws (--draws) and of the simulated SD; a heavy-tailed metric needs more of both.`,
    'Analytic SE and power ignore interference: where the simulated SD or power differ beyond that, interference (or a small number of clusters) is why.',
    ...t.notes,
    ...(t.skipped.length ? [`not analysed: ${t.skipped.join(', ')}`] : []),
  ].join('\n');
}
