// spillover sweep <scenario> --vary path=v1,v2,...: the scenario at each
// value, every design x estimator diagnosed, as a tidy CSV and a chart.
import type { Command } from 'commander';
import { loadScenario } from '../sim/scenario.js';
import { registerFrontier, runOne } from './frontier.js';
import { parseVary, runSweep, sweepCsv, sweepScenarios } from '../sim/sweep.js';
import { writeFile, writeSweepReport } from '../report/write.js';
import { intArg, maxMemoryOption, resolveWorkers, workersOption, type WorkersChoice } from './args.js';
import { admit } from '../sim/admission.js';
import { checkWritable } from '../report/output.js';

interface SweepOpts {
  vary: string[];
  reps?: number;
  seed?: string;
  out?: string;
  chart?: string;
  workers: WorkersChoice;
  quiet?: boolean;
  maxMemory?: number;
}

/** Registers sweep and its two-way preset, frontier (src/cli/frontier.ts). */
export function registerSweep(cli: Command): void {
  registerFrontier(cli);
  const cmd = cli
    .command('sweep')
    .description('run a scenario at several values of one parameter, or a full grid of several; write a tidy CSV (and an HTML chart)')
    .argument('<scenario>', 'scenario JSON file')
    .requiredOption(
      '--vary <path=values>',
      'dot path into the scenario and its values, e.g. model.gamma=0,0.1,0.2 or designs[0].p=0.1:0.9:0.2; repeat it for the full factorial grid',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--reps <n>', 'replications at each value (overrides the file)', intArg('--reps', 2))
    .option('--seed <s>', 'seed (overrides the file)')
    .option('--out <file>', 'write the tidy CSV here (default: standard output)')
    .option('--chart <file>', 'write an HTML page with bias and RMSE against the varied value')
    .option('--quiet', 'no progress output and no lines announcing written files');
  maxMemoryOption(workersOption(cmd, 'worker threads per run')).action(async (file: string, opts: SweepOpts) => {
    const base = loadScenario(file);
    if (opts.reps !== undefined) base.replications = opts.reps;
    if (opts.seed !== undefined) base.seed = /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
    const varies = opts.vary.map(parseVary);
    // every value's scenario is admitted before the first run starts
    let warned = false;
    const warn = (line: string) => warned || ((warned = true), process.stderr.write(line + '\n'));
    for (const s of sweepScenarios(base, varies))
      admit(s, { workers: resolveWorkers(opts.workers).workers, maxMemory: opts.maxMemory, reps: opts.reps, warn });
    checkWritable(opts.out);
    checkWritable(opts.chart);
    const log = (s: string) => opts.quiet || process.stderr.write(s);
    const t0 = Date.now();
    const rows = await runSweep(
      base,
      varies,
      (s) => runOne(s, opts.workers),
      (done, total, at) => log(`${at} done (${done}/${total}, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`),
    );
    const csv = sweepCsv(rows);
    if (opts.out) writeFile(opts.out, csv, opts.quiet);
    else process.stdout.write(csv);
    if (opts.chart) await writeSweepReport(rows, opts.chart, `${base.name}: sweep of ${varies.map((v) => v.path).join(' × ')}`, opts.quiet);
  });
}
