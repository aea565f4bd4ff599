// spillover merge <files...>: the summary of shards (or pieces of a run) as
// one run would print it, byte for byte.
import type { Command } from 'commander';
import { mergeFiles } from '../sim/merge.js';
import { formatResults } from '../report/table.js';
import { writeOutput } from '../report/output.js';

export function registerMerge(cli: Command): void {
  cli
    .command('merge')
    .description('merge replication files written by "run --shard i/N --out DIR" into one summary')
    .argument('<files...>', 'replication files, e.g. out/shard-*.jsonl')
    .option('--json <file>', 'also write the results as JSON')
    .action((files: string[], opts: { json?: string }) => {
      const results = mergeFiles(files);
      process.stdout.write(formatResults(results) + '\n');
      if (opts.json) writeOutput(opts.json, JSON.stringify(results, null, 2) + '\n');
    });
}
