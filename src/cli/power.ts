// spillover power <scenario>: analytic power of each clustering (ICC, design
// effect in its equal- and unequal-size forms, effective sample size, MDE)
// next to the power simulated by running the scenario, so the two answers
// can be compared. Analytic numbers assume no interference; the simulated
// ones include it.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import Table from 'cli-table3';
import { loadScenario } from '../sim/scenario.js';
import { powerTable, type PowerOptions, type PowerTable } from '../sim/power-table.js';
import { intArg, maxMemoryOption } from './args.js';
import { admit } from '../sim/admission.js';

const prob = (name: string) => (v: string) => {
  const x = Number(v);
  if (!(x > 0 && x < 1)) throw new InvalidArgumentError(`${name} must be in (0, 1), got "${v}"`);
  return x;
};

export function registerPower(cli: Command): void {
  const cmd = cli
    .command('power')
    .description('ICC, design effect, effective sample size and minimum detectable effect per clustering, next to simulated power')
    .argument('<scenario>', 'scenario JSON file')
    .option('--design <name...>', 'designs to analyse (default: all)')
    .option('--metric <name>', "metric (default: the model's first)")
    .option('--power <x>', 'target power for the MDE', prob('--power'), 0.8)
    .option('--alpha <x>', "two-sided level (default: the scenario's)", prob('--alpha'))
    .option('--reps <n>', "replications for the simulated power (default: the scenario's)", intArg('--reps', 2))
    .option('--draws <n>', 'model draws averaged for the ICC and variances', intArg('--draws', 1), 5);
  maxMemoryOption(cmd).action((file: string, opts: PowerOptions & { maxMemory?: number }) => {
    const scenario = loadScenario(file);
    admit(
      { ...scenario, replications: opts.reps ?? scenario.replications },
      { maxMemory: opts.maxMemory, reps: opts.reps, draws: [{ field: '--draws', value: opts.draws }] },
    );
    process.stdout.write(formatPower(powerTable(scenario, opts)) + '\n');
  });
}

export function formatPower(t: PowerTable): string {
  const f = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  // significant digits: per-user-day metrics are far below 0.001
  const g = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? '—' : x.toPrecision(d));
  const pm = (x: number | null, e: number | null) =>
    g(x) + (e !== null && Number.isFinite(e) && x !== null && Number.isFinite(x) ? ` ±${g(e, 2)}` : '');
  const table = new Table({
    head: [
      'design',
      'clusters',
      'mean size',
      'size CV',
      'ICC',
      'DE equal',
      'DE unequal',
      'eff. n',
      'SE',
      'MDE',
      'truth',
      'power analytic',
      'power simulated',
      'SD(err) simulated',
    ],
    style: { head: [], border: [], compact: true },
  });
  for (const r of t.rows) {
    table.push([
      r.design,
      r.clusters,
      f(r.meanSize, 1),
      f(r.cv, 2),
      f(r.icc, 4),
      f(r.deffEqual, 2),
      f(r.deffUnequal, 2),
      f(r.effectiveN, 0),
      pm(r.se, r.seSE),
      g(r.mde),
      g(r.truth),
      pct(r.analyticPower),
      pct(r.simulatedPower),
      pm(r.simulatedSD, r.simulatedSDSE),
    ]);
  }
  return [
    `metric ${t.metric}: MDE at ${(100 * t.power).toFixed(0)}% power, two-sided α = ${t.alpha}; simulated power from ${t.reps} replications (cluster-dm test; dm for user-level designs)`,
    table.toString(),
    'ICC, DE, eff. n: all-control world (all-treated where the control outcome is constant; negative ICC counts as 0); DE unequal = 1 + ((CV² + 1)·mean size − 1)·ICC (Eldridge et al. 2006);',
    "eff. n = users / DE unequal; SE and MDE use each arm's own variance and DE (the treated world from everyone treated).",
    `± : Monte Carlo error of the SE over the ${t.draws} model draws (--draws) and of the simulated SD; a heavy-tailed metric needs more of both.`,
    'SD(err) = SD of estimate − truth over the simulated replications (the truth moves when the model redraws users).',
    'Analytic SE and power ignore interference: where the simulated SD or power differ beyond that, interference (or a small number of clusters) is why.',
    ...t.notes,
    ...(t.skipped.length ? [`not analysed: ${t.skipped.join(', ')}`] : []),
  ].join('\n');
}
