// spillover run <scenario>: Monte Carlo diagnosis of every design x estimator,
// with replications spread over worker threads, optionally streamed to a
// resumable file (--out, --resume) or split into shards (--shard i/N).
import { InvalidArgumentError, type Command } from 'commander';
import { Interrupted, UserError } from '../errors.js';
import { loadScenario } from '../sim/scenario.js';
import { runParallel, type ParallelRun } from '../sim/parallel.js';
import type { Shard } from '../sim/jsonl.js';
import { formatResults } from '../report/table.js';
import { announce, writeFile, writeReport } from '../report/write.js';
import { intArg, maxMemoryOption, resolveWorkers, workersOption, type WorkersChoice } from './args.js';
import { admit } from '../sim/admission.js';
import { progressBar } from './progress.js';
import { checkWritable } from '../report/output.js';
import { diagnosisCsv, simulationsCsv } from '../report/csv.js';

interface RunOpts {
  reps?: number;
  seed?: string;
  json?: string;
  csv?: string;
  diagnosisCsv?: string;
  report?: string;
  quiet?: boolean;
  workers: WorkersChoice;
  out?: string;
  resume?: boolean;
  shard?: Shard;
  exact?: boolean;
  exactDraws: number;
  maxMemory?: number;
  byDay?: number;
}

function shardArg(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw new InvalidArgumentError(`--shard must be i/N with 0 <= i < N (0-based), got "${v}"`);
  return { index, count };
}

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** The command line that continues this run. */
function resumeCommand(): string {
  const args = process.argv.slice(2).map(quote);
  return ['spillover', ...args, ...(args.includes('--resume') ? [] : ['--resume'])].join(' ');
}

/** Turn an unfinished run into one clear message (finished lines are already on disk). */
function unfinished(run: ParallelRun, seed: number | string, signal: NodeJS.Signals | null): UserError {
  const kept = run.file
    ? `${run.done} of ${run.total} replications are saved in ${run.file}; continue with:\n  ${resumeCommand()}`
    : `nothing was saved (add --out DIR to keep finished replications and --resume later)`;
  if (run.failure) {
    const f = run.failure;
    const where = f.where ? ` (${f.where})` : '';
    if (f.batch)
      return new UserError(
        `a worker thread died while running replications ${f.batch.first}..${f.batch.last} (seed ${seed}): ${f.message}\n${kept}`,
        'EWORKER',
      );
    return new UserError(
      `replication ${f.rep} failed (seed ${seed}, streams "${seed}/rep/${f.rep}/…"): ${f.message}${where}\n${kept}`,
      'EWORKER',
    );
  }
  const message = `interrupted${signal ? ` by ${signal}` : ''}: ${run.file ? kept : `${run.done} of ${run.total} replications had finished; ${kept}`}`;
  return new Interrupted(message, exitCodeOf(signal));
}

/** 128 + the signal's number, as a shell reports a process the signal ended. */
function exitCodeOf(signal: NodeJS.Signals | null): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

async function action(file: string, opts: RunOpts): Promise<void> {
  if (opts.resume && !opts.out) throw new UserError('--resume needs --out DIR (the directory of the run to continue)', 'EARG');
  if (opts.shard && !opts.out)
    throw new UserError('--shard needs --out DIR: each shard writes DIR/shard-i.jsonl for "spillover merge"', 'EARG');
  if (opts.shard && opts.json)
    throw new UserError('--json with --shard: a shard has no summary of its own; use "spillover merge ... --json FILE"', 'EARG');
  if (opts.shard && opts.report)
    throw new UserError('--report with --shard: a shard has no summary of its own; merge the shards, then "spillover report"', 'EARG');
  if (opts.shard && opts.csv) throw new UserError('--csv with --shard: merge the shards with "spillover merge ... --csv FILE"', 'EARG');
  if (opts.shard && opts.diagnosisCsv)
    throw new UserError('--diagnosis-csv with --shard: a shard has no diagnosis; use "spillover merge ... --diagnosis-csv FILE"', 'EARG');
  if (opts.shard && opts.byDay !== undefined)
    throw new UserError('--by-day with --shard: a shard runs only some replications; run --by-day without --shard', 'EARG');
  checkWritable(opts.json);
  checkWritable(opts.report);
  checkWritable(opts.csv);
  checkWritable(opts.diagnosisCsv);
  const scenario = loadScenario(file);
  if (opts.reps !== undefined) scenario.replications = opts.reps;
  if (opts.seed !== undefined) scenario.seed = /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
  // refused before the run: a model without days, or more replications than the run's
  const byDayReport = opts.byDay !== undefined ? await import('../report/by-day.js') : null;
  byDayReport?.checkByDay(scenario, opts.byDay!);
  // before anything is allocated: sizes against the schema's bounds and --max-memory
  const { workers, grow } = resolveWorkers(opts.workers);
  admit(scenario, {
    workers,
    maxMemory: opts.maxMemory,
    reps: opts.reps,
    shards: opts.shard?.count,
    ...(opts.exact ? { draws: [{ field: '--exact-draws', value: opts.exactDraws }] } : {}),
  });
  const t0 = Date.now();
  const bar = progressBar(!opts.quiet);
  const ac = new AbortController();
  let received: NodeJS.Signals | null = null;
  // within 2 s: set-up runs in its own thread, so this handler runs at once;
  // running batches get a grace period, then their threads are ended
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(exitCodeOf(signal)); // second signal: quit now; saved lines are intact
    received = signal;
    bar.stop();
    process.stderr.write(`\nstopping (${signal}): finished replications are kept (Ctrl-C again to quit now)\n`);
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let run: ParallelRun;
  try {
    run = await runParallel(scenario, {
      workers,
      grow,
      out: opts.out,
      resume: opts.resume,
      shard: opts.shard,
      signal: ac.signal,
      exact: opts.exact ? { draws: opts.exactDraws } : undefined,
      onStart: (total, done) => bar.start(total, done),
      onProgress: (done) => bar.update(done),
    });
  } finally {
    bar.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (run.status !== 'complete') throw unfinished(run, scenario.seed, received);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (opts.shard) {
    announce(run.file!, opts.quiet);
    if (!opts.quiet)
      process.stderr.write(
        `shard ${opts.shard.index}/${opts.shard.count}: ${run.total} replications in ${run.file} (${secs} s); when every shard is done: spillover merge ${opts.out}/shard-*.jsonl\n`,
      );
    return;
  }
  process.stdout.write(formatResults(run.results!) + '\n');
  // everything by day over the run's first replications (same draws), in this process
  const days = byDayReport ? byDayReport.byDay(scenario, opts.byDay!) : null;
  if (days) process.stdout.write('\n' + byDayReport!.formatByDay(days) + '\n');
  // without --by-day the results are exactly the run's (golden files)
  const results = days ? { ...run.results!, byDay: days } : run.results!;
  const quiet = opts.quiet;
  // one line on stderr per written file (--quiet: none)
  if (run.file) announce(run.file, quiet);
  if (opts.json) writeFile(opts.json, JSON.stringify(results, null, 2) + '\n', quiet);
  if (opts.report) await writeReport(results, run.rows, opts.report, { quiet });
  if (opts.csv) writeFile(opts.csv, simulationsCsv(run.rows, scenario.alpha), quiet);
  if (opts.diagnosisCsv) writeFile(opts.diagnosisCsv, diagnosisCsv(run.results!.diagnosis), quiet);
  if (!opts.quiet)
    process.stderr.write(`done in ${secs} s${run.resumed ? ` (${run.resumed} replications resumed from ${run.file})` : ''}\n`);
}

export function registerRun(cli: Command): void {
  const cmd = cli
    .command('run')
    .description('run a scenario file and print bias, SD, RMSE, coverage and power per design and estimator')
    .argument('<scenario>', 'scenario JSON file (see scenarios/)')
    .option('--reps <n>', 'number of replications (overrides the file)', intArg('--reps', 2))
    .option('--seed <s>', 'seed (overrides the file)')
    .option('--json <file>', 'also write the results as JSON')
    .option('--csv <file>', 'also write every estimate as CSV, one line per replication x design x estimator x metric (docs/data.md)')
    .option(
      '--diagnosis-csv <file>',
      'also write the diagnosis as CSV, one line per design x estimator x metric with every Monte Carlo SE (docs/data.md)',
    )
    .option('--report <file>', 'also write a self-contained HTML report (tables and charts)')
    .option('--quiet', 'no progress output and no lines announcing written files')
    .option('--out <dir>', 'stream each finished replication to DIR/replications.jsonl (DIR/shard-i.jsonl with --shard)')
    .option('--resume', 'continue the run saved in --out DIR, running only the missing replications')
    .option('--exact', 'also give each HT row its exact SD over the design, next to the simulated SD (see "spillover variance")')
    .option('--exact-draws <n>', 'fresh clusterings behind the exact SD under RGCR (Monte Carlo)', intArg('--exact-draws', 2), 500)
    .option('--shard <i/N>', 'run only replications r with r mod N = i (0-based i); merge the shards with "spillover merge"', shardArg)
    .option(
      '--by-day <reps>',
      "product scenarios: every design's bias and RMSE by day, the day's truth and the adoption curves over the run's first REPS replications (printed, in --json as byDay, charts in --report)",
      intArg('--by-day', 2),
    );
  maxMemoryOption(workersOption(cmd, 'worker threads (set-up and replications)')).action(action);
}
