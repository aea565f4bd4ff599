// Run a scenario's replications in worker threads: the set-up (graph,
// clusterings, exposure probabilities) is built once, in a thread of its own,
// in shared memory (setup.ts); each finished batch is
// appended to the replication file (when --out is given) before it counts,
// so stopping or crashing loses only replications still running.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Scenario } from './scenario.js';
import type { Row } from './replicate.js';
import { resultsFromParts, type Results } from './run.js';
import { exactSDs } from './variance.js';
import { clusteringsOf, LAZY_MS, setUpInThreads } from './setup.js';
import { acquireLock } from './lock.js';
import { checkInputs, inputHashes, type InputHash } from './inputs.js';
import { ReplicationPool, type PoolFailure } from './pool.js';
import { differences, FORMAT, LineWriter, readReplicationFile, scenarioHash, shardReps, type Manifest, type Shard } from './jsonl.js';

export interface ParallelOptions {
  workers: number;
  /**
   * start one replication worker (and one set-up thread) and add more, up to
   * `workers`, only when the measured work left is worth a thread's start
   * (--workers auto); the results are the same bytes either way
   */
  grow?: boolean;
  /** directory for the replication file */
  out?: string;
  /** continue the file in `out` instead of refusing to overwrite it */
  resume?: boolean;
  shard?: Shard | null;
  /** aborting stops dispatch; running batches finish and are kept */
  signal?: AbortSignal;
  /** after setup: replications to run in total and already finished */
  onStart?: (total: number, done: number) => void;
  onProgress?: (done: number) => void;
  /** also compute each HT row's exact SD over the design (RGCR: Monte Carlo over `draws` clusterings) */
  exact?: { draws: number };
}

export interface ParallelRun {
  status: 'complete' | 'stopped' | 'failed';
  failure: PoolFailure | null;
  file: string | null;
  total: number;
  done: number;
  /** replications read back from the file */
  resumed: number;
  /** null for a shard (merge the shards) or an unfinished run */
  results: Results | null;
  /** every finished replication's rows (in completion order), e.g. for the HTML report */
  rows: Row[];
}

export function replicationFileName(shard: Shard | null | undefined): string {
  return shard ? `shard-${shard.index}.jsonl` : 'replications.jsonl';
}

/** Rows already in the file, after checking it belongs to this scenario and shard. */
function previous(file: string, hash: string, scenario: Scenario, shard: Shard | null, resume: boolean, inputs: InputHash[]) {
  if (!existsSync(file)) return null;
  const f = readReplicationFile(file);
  if (!resume) {
    throw new UserError(
      `${file} already exists (${f.reps.size} replications); add --resume to continue it, or choose another --out`,
      'EFILE',
    );
  }
  if (!f.manifest) return null; // torn before the manifest was complete: start over
  const m = f.manifest;
  if (m.scenarioHash !== hash) {
    const diff = differences(m.scenario, scenario).join(', ');
    throw new UserError(
      `cannot resume ${file}: it was written for a different scenario (differs in ${diff}); rerun with the same scenario, --reps and --seed, or choose another --out`,
      'EFILE',
    );
  }
  if (JSON.stringify(m.shard) !== JSON.stringify(shard)) {
    const show = (s: Shard | null) => (s ? `--shard ${s.index}/${s.count}` : 'no --shard');
    throw new UserError(`cannot resume ${file}: it was written with ${show(m.shard)}, not ${show(shard)}`, 'EFILE');
  }
  checkInputs(file, m.inputs, inputs, 'resume');
  // as merge does: every replication must be one this run (and shard) would run
  // (a duplicate is already refused when the file is read)
  for (const [rep, line] of f.lines) {
    const inRange = Number.isInteger(rep) && rep >= 0 && rep < scenario.replications;
    if (!inRange || (shard && rep % shard.count !== shard.index)) {
      const where = inRange ? `not one of shard ${shard!.index}/${shard!.count}` : `outside 0..${scenario.replications - 1}`;
      throw new UserError(`cannot resume ${file}: line ${line} holds replication ${rep}, ${where}; the file is damaged`, 'EFILE');
    }
  }
  return f;
}

/** After a stop, running batches get this long to finish before their threads are ended (a stop must take under 2 s). */
const STOP_GRACE_MS = 1000;

export async function runParallel(scenario: Scenario, opts: ParallelOptions): Promise<ParallelRun> {
  const shard = opts.shard ?? null;
  const hash = scenarioHash(scenario);
  const file = opts.out ? join(opts.out, replicationFileName(shard)) : null;
  if (opts.out) {
    try {
      mkdirSync(opts.out, { recursive: true });
      accessSync(opts.out, constants.W_OK);
    } catch (e) {
      throw new UserError(`--out ${opts.out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'EFILE');
    }
  }
  const lock = file ? acquireLock(file) : null;
  let pool: ReplicationPool | null = null;
  let writer: LineWriter | null = null;
  let grace: NodeJS.Timeout | undefined;
  const stop = () => {
    pool?.stop();
    grace ??= setTimeout(() => void pool?.close(), STOP_GRACE_MS);
  };
  opts.signal?.addEventListener('abort', stop);
  try {
    const inputs = inputHashes(scenario);
    const prev = file ? previous(file, hash, scenario, shard, opts.resume ?? false, inputs) : null;
    const rows: Row[] = [];
    for (const rs of prev?.reps.values() ?? []) rows.push(...rs);
    const resumed = prev?.reps.size ?? 0;
    const all = shardReps(scenario.replications, shard);
    const todo = all.filter((r) => !prev?.reps.has(r));
    let done = all.length - todo.length;
    const stopped = (): ParallelRun => ({ status: 'stopped', failure: null, file, total: all.length, done, resumed, results: null, rows });

    // the replication workers start now, so their start-up overlaps the set-up
    const first = opts.grow ? 1 : opts.workers;
    if (todo.length > 0 && !opts.signal?.aborted) pool = ReplicationPool.spawn(Math.max(1, Math.min(first, todo.length)));
    // graph, clusterings and exposure probabilities: once, in threads of their own
    const setup = await setUpInThreads(scenario, opts.workers, opts.signal, opts.grow ? { lazyMs: LAZY_MS } : {});
    if (!setup) return stopped();
    const manifest: Manifest = {
      format: FORMAT,
      scenarioHash: hash,
      seed: scenario.seed,
      replications: scenario.replications,
      shard,
      scenario,
      inputs,
      ...setup.info,
    };
    opts.onStart?.(all.length, done);
    writer = file
      ? prev?.manifest
        ? new LineWriter(file, { truncateTo: prev.intactBytes })
        : new LineWriter(file, { header: manifest })
      : null;
    let outcome = { stopped: false, failure: null as PoolFailure | null };
    if (pool && !opts.signal?.aborted) {
      const init = { scenario, graph: setup.graph, clusterings: setup.clusterings, caches: setup.caches };
      if (!(await pool.init(init, opts.signal))) return stopped();
      const grow = opts.grow ? { to: Math.min(opts.workers, todo.length), init } : undefined;
      outcome = await pool.run(
        todo,
        (lines) => {
          try {
            writer?.append(lines);
          } catch (e) {
            pool?.stop();
            throw new UserError(
              `cannot append to ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; the replications saved before are intact (--resume)`,
              'EFILE',
            );
          }
          for (const l of lines) rows.push(...(JSON.parse(l) as { rows: Row[] }).rows);
          done += lines.length;
          opts.onProgress?.(done);
        },
        grow,
      );
    }
    const status = outcome.failure ? 'failed' : done < all.length ? 'stopped' : 'complete';
    const results = status === 'complete' && !shard ? resultsFromParts(manifest, rows) : null;
    // the design's own variance, from the scenario alone: the same for any workers
    if (results && opts.exact) results.exact = exactSDs(scenario, setup.graph, opts.exact.draws, clusteringsOf(setup));
    return { status, failure: outcome.failure, file, total: all.length, done, resumed, results, rows };
  } finally {
    clearTimeout(grace);
    opts.signal?.removeEventListener('abort', stop);
    await pool?.close();
    writer?.close();
    lock?.release();
  }
}
