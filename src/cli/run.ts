// spillover run <scenario>: Monte Carlo diagnosis of every design x estimator.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadScenario } from '../sim/scenario.js';
import { runSerial } from '../sim/run.js';
import { formatResults } from '../report/table.js';
import { intArg } from './args.js';

export function registerRun(cli: Command): void {
  cli
    .command('run')
    .description('run a scenario file and print bias, SD, RMSE, coverage and power per design and estimator')
    .argument('<scenario>', 'scenario JSON file (see scenarios/)')
    .option('--reps <n>', 'number of replications (overrides the file)', intArg('--reps', 2))
    .option('--seed <s>', 'seed (overrides the file)')
    .option('--json <file>', 'also write the results as JSON')
    .option('--quiet', 'no progress output')
    .action((file: string, opts: { reps?: number; seed?: string; json?: string; quiet?: boolean }) => {
      const scenario = loadScenario(file);
      if (opts.reps !== undefined) scenario.replications = opts.reps;
      if (opts.seed !== undefined) scenario.seed = /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
      const t0 = Date.now();
      const progress = !opts.quiet && process.stderr.isTTY;
      const { results } = runSerial(scenario, progress ? (d) => process.stderr.write(`\r${d}/${scenario.replications} replications`) : undefined);
      if (progress) process.stderr.write('\n');
      process.stdout.write(formatResults(results) + '\n');
      if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
      if (!opts.quiet) process.stderr.write(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    });
}
