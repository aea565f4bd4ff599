// spillover command line. User mistakes (UserError) print one clear message
// and exit 2; anything else is a bug and keeps its stack.
import { writeFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UserError } from '../errors.js';
import { loadScenario } from '../sim/scenario.js';
import { runSerial } from '../sim/run.js';
import { formatResults } from '../report/table.js';

function intArg(name: string, min: number) {
  return (v: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${v}"`);
    return x;
  };
}

export function program(): Command {
  const cli = new Command('spillover')
    .description('Simulate experiments on social networks with interference and diagnose designs and estimators.')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
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
  return cli;
}

export async function main(argv = process.argv): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UserError) {
      process.stderr.write(`spillover: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

