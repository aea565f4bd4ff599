// spillover report <results.json> -o report.html: the HTML report of a saved
// run. The distributions need the per-replication rows: from --rows (the
// replication file of "run --out DIR"), or else recomputed from the scenario,
// which is exact because every replication is a function of (scenario, r).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { checkInputFile, readInputText } from '../input-file.js';
import type { Row } from '../sim/replicate.js';
import { readReplicationFile } from '../sim/jsonl.js';
import type { Results } from '../sim/run.js';
import { rerunRows } from '../sim/rerun.js';
import { parseScenario } from '../sim/parse-scenario.js';
import { admit } from '../sim/admission.js';
import { checkRowsMatch } from '../sim/rows-match.js';
import { writeReport } from '../report/write.js';
import { maxMemoryOption } from './args.js';

export function readResults(path: string): Results {
  const text = readInputText(path, 'results', { label: `results ${path}` });
  let value: Partial<Results>;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`cannot read results ${path}: ${(e as Error).message}`, 'EFILE');
  }
  if (!value || !Array.isArray(value.diagnosis) || !value.scenario || !value.graph || !Array.isArray(value.designs)) {
    throw new UserError(`${path} is not a results file (write one with "spillover run scenario.json --json ${path}")`, 'EFILE');
  }
  // the embedded scenario is validated like a scenario file (report may re-run it)
  return { ...(value as Results), scenario: parseScenario(value.scenario, `the scenario in ${path}`) };
}

/** Rows from a replication file, or a directory holding replications.jsonl; with `results`, only the rows of that run. */
export function readRows(path: string, results?: { results: Results; path: string }): Row[] {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'replications.jsonl') : path;
  checkInputFile(file, 'results', { label: `replication file ${file}` });
  const f = readReplicationFile(file);
  if (results) checkRowsMatch(results.results, results.path, f, path);
  const reps = [...f.reps.keys()].sort((a, b) => a - b);
  return reps.flatMap((r) => f.reps.get(r)!);
}

export function registerReport(cli: Command): void {
  const cmd = cli
    .command('report')
    .description('write a self-contained HTML report (tables and charts) of a results file from "run --json"')
    .argument('<results>', 'results JSON written by "spillover run ... --json FILE"')
    .requiredOption('-o, --output <file>', 'HTML file to write')
    .option('--rows <file>', 'replication file (or --out DIR) of the same run, for the distribution chart')
    .option('--no-rerun', 'without --rows, skip the distribution chart instead of recomputing the replications')
    .option('--quiet', 'no progress output and no line announcing the written file');
  maxMemoryOption(cmd).action(
    async (file: string, opts: { output: string; rows?: string; rerun: boolean; quiet?: boolean; maxMemory?: number }) => {
      const results = readResults(file);
      let rows: Row[] | null = null;
      if (opts.rows) rows = readRows(opts.rows, { results, path: file });
      else if (opts.rerun) {
        admit(results.scenario, { maxMemory: opts.maxMemory }); // the re-run is serial, in this process
        const tty = !opts.quiet && process.stderr.isTTY;
        if (!opts.quiet)
          process.stderr.write(
            `recomputing ${results.scenario.replications} replications for the distribution chart (pass --rows to reuse a replication file, --no-rerun to skip)\n`,
          );
        rows = rerunRows(results, tty ? (d, n) => process.stderr.write(`\r${d}/${n} replications`) : undefined);
        if (tty) process.stderr.write('\n');
      }
      await writeReport(results, rows, opts.output, { quiet: opts.quiet });
    },
  );
}
