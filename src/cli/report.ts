// spillover report <results.json> -o report.html: the HTML report of a saved
// run. The distributions need the per-replication rows: from --rows (the
// replication file of "run --out DIR"), or else recomputed from the scenario,
// which is exact because every replication is a function of (scenario, r).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { Row } from '../sim/replicate.js';
import { readReplicationFile } from '../sim/jsonl.js';
import type { Results } from '../sim/run.js';
import { rerunRows } from '../sim/rerun.js';
import { writeReport } from '../report/write.js';

export function readResults(path: string): Results {
  let value: Partial<Results>;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UserError(`cannot read results ${path}: ${why}`, 'EFILE');
  }
  if (!value || !Array.isArray(value.diagnosis) || !value.scenario || !value.graph || !Array.isArray(value.designs)) {
    throw new UserError(`${path} is not a results file (write one with "spillover run scenario.json --json ${path}")`, 'EFILE');
  }
  return value as Results;
}

/** Rows from a replication file, or a directory holding replications.jsonl. */
export function readRows(path: string): Row[] {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'replications.jsonl') : path;
  const f = readReplicationFile(file);
  const reps = [...f.reps.keys()].sort((a, b) => a - b);
  return reps.flatMap((r) => f.reps.get(r)!);
}

export function registerReport(cli: Command): void {
  cli
    .command('report')
    .description('write a self-contained HTML report (tables and charts) of a results file from "run --json"')
    .argument('<results>', 'results JSON written by "spillover run ... --json FILE"')
    .requiredOption('-o, --output <file>', 'HTML file to write')
    .option('--rows <file>', 'replication file (or --out DIR) of the same run, for the distribution chart')
    .option('--no-rerun', 'without --rows, skip the distribution chart instead of recomputing the replications')
    .option('--quiet', 'no progress output')
    .action(async (file: string, opts: { output: string; rows?: string; rerun: boolean; quiet?: boolean }) => {
      const results = readResults(file);
      let rows: Row[] | null = null;
      if (opts.rows) rows = readRows(opts.rows);
      else if (opts.rerun) {
        const tty = !opts.quiet && process.stderr.isTTY;
        if (!opts.quiet)
          process.stderr.write(
            `recomputing ${results.scenario.replications} replications for the distribution chart (pass --rows to reuse a replication file, --no-rerun to skip)\n`,
          );
        rows = rerunRows(results, tty ? (d, n) => process.stderr.write(`\r${d}/${n} replications`) : undefined);
        if (tty) process.stderr.write('\n');
      }
      await writeReport(results, rows, opts.output);
      if (!opts.quiet) process.stderr.write(`wrote ${opts.output}\n`);
    });
}
