// spillover merge <files...>: the summary of shards (or pieces of a run) as
// one run would print it, byte for byte.
import type { Command } from 'commander';
import { mergeRuns } from '../sim/merge.js';
import { formatResults } from '../report/table.js';
import { writeFile } from '../report/write.js';
import { diagnosisCsv, simulationsCsv } from '../report/csv.js';

export function registerMerge(cli: Command): void {
  cli
    .command('merge')
    .description('merge replication files written by "run --shard i/N --out DIR" into one summary')
    .argument('<files...>', 'replication files, e.g. out/shard-*.jsonl')
    .option('--json <file>', 'also write the results as JSON')
    .option('--csv <file>', 'also write every estimate as CSV, one line per replication x design x estimator x metric (docs/data.md)')
    .option(
      '--diagnosis-csv <file>',
      'also write the diagnosis as CSV, one line per design x estimator x metric with every Monte Carlo SE (docs/data.md)',
    )
    .option('--quiet', 'no lines announcing written files')
    .action((files: string[], opts: { json?: string; csv?: string; diagnosisCsv?: string; quiet?: boolean }) => {
      const { results, rows } = mergeRuns(files);
      process.stdout.write(formatResults(results) + '\n');
      if (opts.json) writeFile(opts.json, JSON.stringify(results, null, 2) + '\n', opts.quiet);
      if (opts.csv) writeFile(opts.csv, simulationsCsv(rows, results.scenario.alpha), opts.quiet);
      if (opts.diagnosisCsv) writeFile(opts.diagnosisCsv, diagnosisCsv(results.diagnosis), opts.quiet);
    });
}
