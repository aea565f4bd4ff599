// spillover frontier <scenario>: the design frontier, a sweep of interference
// strength x number of clusters, read for a recommendation (the design with
// the lowest RMSE at adequate power) and for where cluster randomization
// starts to pay. Prints the reading; --out writes the tidy grid CSV, --chart
// the HTML page, --json the reading.
import { InvalidArgumentError, type Command } from 'commander';
import { UserError } from '../errors.js';
import { loadScenario, type Scenario } from '../sim/scenario.js';
import { runSerial, type Results } from '../sim/run.js';
import { runParallel } from '../sim/parallel.js';
import { frontierAxes, POWER_MIN, runFrontier } from '../sim/frontier.js';
import { parseVary, sweepCsv, sweepScenarios } from '../sim/sweep.js';
import { formatFrontier } from '../report/frontier-text.js';
import { writeFile, writeFrontierReport } from '../report/write.js';
import { checkWritable } from '../report/output.js';
import { admit } from '../sim/admission.js';
import { intArg, maxMemoryOption, resolveWorkers, workersOption, type WorkersChoice } from './args.js';

/** One grid point's run (serial, or in worker threads), for sweep and frontier. */
export async function runOne(s: Scenario, choice: WorkersChoice): Promise<Results> {
  const { workers, grow } = resolveWorkers(choice);
  if (workers <= 1) return runSerial(s).results;
  const run = await runParallel(s, { workers, grow });
  if (!run.results)
    throw new UserError(`sweep: the run of ${s.name} did not finish${run.failure ? `: ${run.failure.message}` : ''}`, 'EWORKER');
  return run.results;
}

interface Opts {
  interference?: string;
  clusters?: string;
  reference?: string;
  metric?: string;
  power: number;
  reps?: number;
  seed?: string;
  out?: string;
  chart?: string;
  json?: string;
  workers: WorkersChoice;
  quiet?: boolean;
  maxMemory?: number;
}

function share(v: string): number {
  const x = Number(v);
  if (!(x > 0 && x < 1)) throw new InvalidArgumentError(`--power must be between 0 and 1 (exclusive), got "${v}"`);
  return x;
}

export function registerFrontier(cli: Command): void {
  const cmd = cli
    .command('frontier')
    .description(
      'the design frontier: vary interference strength and the number of clusters, draw bias, SD, RMSE and power of every design, mark where cluster randomization starts to pay, and recommend the design with the lowest RMSE at adequate power',
    )
    .argument('<scenario>', 'scenario JSON file with a user-level design and a design clustered by Louvain or a net')
    .option(
      '--interference <path=values>',
      "the interference parameter and its values, weakest first (default: the model's, e.g. model.gamma)",
    )
    .option('--clusters <path=values>', 'the clustering parameter and its values (default: the first Louvain resolution or net radius)')
    .option('--reference <design>', 'the user-level design to compare with (default: the first with one unit per user)')
    .option('--metric <name>', 'read only this metric (default: every metric of the model; the CSV keeps them all)')
    .option('--power <x>', 'adequate power for the recommendation', share, POWER_MIN)
    .option('--reps <n>', 'replications at each point (overrides the file)', intArg('--reps', 2))
    .option('--seed <s>', 'seed (overrides the file)')
    .option('--out <file>', 'write the tidy grid CSV (one row per point x design x estimator x metric)')
    .option('--chart <file>', 'write an HTML page: the frontier map, bias/SD/RMSE/power against clusters, the grid table')
    .option('--json <file>', 'write the reading (axes, recommendations, crossovers) as JSON')
    .option('--quiet', 'no progress output and no lines announcing written files');
  maxMemoryOption(workersOption(cmd, 'worker threads per run')).action(async (file: string, opts: Opts) => {
    const base = loadScenario(file);
    if (opts.reps !== undefined) base.replications = opts.reps;
    if (opts.seed !== undefined) base.seed = /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
    const axes = frontierAxes(base, {
      interference: opts.interference ? parseVary(opts.interference) : undefined,
      clusters: opts.clusters ? parseVary(opts.clusters) : undefined,
    });
    let warned = false;
    const warn = (line: string) => warned || ((warned = true), process.stderr.write(line + '\n'));
    for (const s of sweepScenarios(base, [axes.interference, axes.clusters]))
      admit(s, { workers: resolveWorkers(opts.workers).workers, maxMemory: opts.maxMemory, reps: opts.reps, warn });
    for (const f of [opts.out, opts.chart, opts.json]) checkWritable(f);
    const log = (s: string) => opts.quiet || process.stderr.write(s);
    const t0 = Date.now();
    const { rows, frontier } = await runFrontier(base, axes, (s) => runOne(s, opts.workers), {
      reference: opts.reference,
      metric: opts.metric,
      powerMin: opts.power,
      onPoint: (done, total, at) => log(`${at} done (${done}/${total}, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`),
    });
    const head = `${base.name}: design frontier, ${base.replications} replications per point, seed ${String(base.seed)}`;
    process.stdout.write(formatFrontier(frontier, head) + '\n');
    if (opts.out) writeFile(opts.out, sweepCsv(rows), opts.quiet);
    const read = opts.metric === undefined ? rows : rows.filter((r) => r.metric === opts.metric);
    if (opts.chart) await writeFrontierReport(frontier, read, opts.chart, head, opts.quiet);
    if (opts.json) writeFile(opts.json, JSON.stringify(frontier, null, 2) + '\n', opts.quiet);
  });
}
