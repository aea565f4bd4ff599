// A pool of worker threads running replications, driven through comlink.
// Scheduling is dynamic (each worker pulls the next batch when it finishes),
// which is safe because every line is keyed by its replication.
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { UserError } from '../errors.js';
import type { BatchResult, ReplicateApi, WorkerInit } from '../../workers/replicate.js';
import { spareCore, workerUrl } from './setup.js';
import { Growing } from './growing.js';

export interface PoolFailure {
  /** the replication that threw; for a thread that died, the first of its batch */
  rep: number;
  message: string;
  where: string | null;
  /** set when the thread died (crash, out of memory): the batch it was running */
  batch?: { first: number; last: number };
}

/**
 * Let a running pool add workers (up to `to`) once one worker's measured
 * pace says the replications left would take it more than `afterSeconds`:
 * a thread costs a few tenths of a second to start (modules, plan, JIT),
 * which a short run never earns back. Which worker runs a replication
 * changes no byte of its line.
 */
export interface Grow {
  to: number;
  init: WorkerInit;
  afterSeconds?: number;
  /** whether a core is idle now (default: spareCore); a thread on a busy machine only slows the others */
  spare?: () => boolean;
  /** seconds of each probe batch (default PROBE_SECONDS; tests make them one replication each) */
  probes?: readonly number[];
  url?: URL;
}

/** Seconds of work left for one worker above which another is started (--workers auto). */
export const GROW_AFTER_SECONDS = 1.5;

/**
 * After the first decision (right after the probes) a pool that did not grow
 * grows later only for this much work left: a thread started near the end of
 * a short run costs more than it brings (a 9 s run was 1.16× slower so).
 */
export const LATE_GROW_SECONDS = 10;

/** Seconds of work left one worker must face for the pool to grow: at the first decision, or later. */
export function growAfter(first: boolean, afterSeconds = GROW_AFTER_SECONDS): number {
  return first ? afterSeconds : Math.max(afterSeconds, LATE_GROW_SECONDS);
}

/** Whether to add a worker: `perRep` seconds per replication measured on a warm batch, `left` replications not yet handed out. */
export function worthGrowing(perRep: number, left: number, workers: number, afterSeconds = GROW_AFTER_SECONDS): boolean {
  return perRep > 0 && (perRep * left) / workers > afterSeconds;
}

export interface PoolOutcome {
  /** replications whose line was delivered */
  completed: number;
  /** dispatch was stopped before the queue ran out */
  stopped: boolean;
  failure: PoolFailure | null;
}

interface Slot {
  worker: Worker;
  api: Comlink.Remote<ReplicateApi>;
  /** rejects when the thread dies (uncaught error, exit) */
  died: Promise<never>;
}

function slotOf(url: URL): Slot {
  const worker = new Worker(url);
  const died = new Promise<never>((_, reject) => {
    worker.once('error', (e) => reject(e));
    worker.once('exit', (code) => reject(new Error(`worker thread exited (code ${code})`)));
  });
  died.catch(() => {}); // observed through race() only
  return { worker, api: Comlink.wrap<ReplicateApi>(nodeEndpoint(worker as never)), died };
}

/** seconds of the probe batches after the first replication; the last one's pace decides whether to grow */
const PROBE_SECONDS = [0.3, 0.6];

/** target seconds per batch: each batch is one write + fsync, and at most this much is redone after a crash */
const BATCH_SECONDS = 1;

export class ReplicationPool {
  private stopping = false;
  private closed = false;

  private constructor(private readonly slots: Slot[]) {}

  /**
   * Start `n` worker threads, not yet initialised: they load their modules
   * while the caller builds the set-up (see init).
   */
  static spawn(n: number, url = workerUrl('replicate')): ReplicationPool {
    return new ReplicationPool(Array.from({ length: n }, () => slotOf(url)));
  }

  /**
   * Initialise every worker with the shared plan inputs; false when `signal`
   * aborts first (the workers are then terminated at once).
   */
  async init(init: WorkerInit, signal?: AbortSignal): Promise<boolean> {
    try {
      let onAbort = () => {};
      const aborted = new Promise<'aborted'>((resolve) => {
        onAbort = () => resolve('aborted');
        if (signal?.aborted) onAbort();
        signal?.addEventListener('abort', onAbort);
      });
      const ready = Promise.all(this.slots.map((s) => Promise.race([s.api.init(init), s.died])));
      const first = await Promise.race([ready, aborted]).finally(() => signal?.removeEventListener('abort', onAbort));
      if (first === 'aborted') {
        ready.catch(() => {}); // the workers are terminated below
        await this.close();
        return false;
      }
    } catch (e) {
      await this.close();
      // a user mistake found while a worker prepared its plan stays one (comlink keeps the name)
      if (e instanceof Error && e.name === 'UserError') throw new UserError(e.message, 'EWORKER');
      throw e;
    }
    return true;
  }

  /** spawn and init: null when `signal` aborts first. */
  static async start(n: number, init: WorkerInit, signal?: AbortSignal, url = workerUrl('replicate')): Promise<ReplicationPool | null> {
    const pool = ReplicationPool.spawn(n, url);
    return (await pool.init(init, signal)) ? pool : null;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Stop handing out batches; running ones finish and are delivered. */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Run `reps`, calling `deliver` with the lines of each finished batch (in
   * completion order). Resolves when the queue is empty, dispatch was stopped
   * or a replication failed; never leaves a batch running.
   */
  async run(reps: readonly number[], deliver: (lines: string[]) => void, grow?: Grow): Promise<PoolOutcome> {
    let next = 0;
    let completed = 0;
    let failure: PoolFailure | null = null;
    let growing = false;
    const loops = new Growing();
    // a started worker joins only once initialised, and only if work is left
    const add = async () => {
      growing = true;
      const fresh: Slot[] = [];
      while (this.slots.length + fresh.length < grow!.to) fresh.push(slotOf(grow!.url ?? workerUrl('replicate')));
      await Promise.all(
        fresh.map(async (slot) => {
          try {
            await Promise.race([slot.api.init(grow!.init), slot.died]);
          } catch {
            // the plan already built in every other worker: a thread that cannot start is only not used
            void slot.worker.terminate();
            return;
          }
          if (this.closed) return void slot.worker.terminate();
          this.slots.push(slot);
          loops.add(loop(slot));
        }),
      );
    };
    const loop = async (slot: Slot) => {
      let perRep = 0; // seconds per replication, measured
      let batches = 0;
      while (!this.stopping && !failure && next < reps.length) {
        const workers = this.slots.length;
        const left = reps.length - next;
        // whole bit-parallel batches (32, see replicate-batch.ts) of about
        // BATCH_SECONDS, at most a worker's share of what is left but never
        // under 32: a part batch costs a whole one's pass over the edges, so
        // splitting the tail finely (it used to halve down to single
        // replications) cost more than a worker waiting for one last batch
        const whole = (k: number) => (k >= 32 ? k - (k % 32) : k);
        const share = Math.max(32, whole(Math.floor(left / workers)));
        const normal = Math.min(share, whole(Math.max(32, Math.floor(BATCH_SECONDS / perRep))));
        // first one replication (its pace is mostly the JIT's warm-up); when the
        // pool may grow, then two probes of about PROBE_SECONDS[k] at the last
        // pace (still an over-estimate on the first), whose pace decides it
        const probes = grow?.probes ?? PROBE_SECONDS;
        const probe = grow && !growing && batches <= probes.length ? probes[batches - 1] : undefined;
        const size = perRep === 0 ? 1 : probe ? Math.max(1, Math.min(normal, Math.floor(probe / perRep))) : normal;
        const batch = reps.slice(next, next + size);
        next += batch.length;
        const t0 = performance.now();
        let res: BatchResult;
        try {
          res = await Promise.race([slot.api.run(batch), slot.died]);
        } catch (e) {
          if (this.closed) return; // terminated on purpose (second Ctrl-C)
          const err = e instanceof Error ? e : new Error(String(e));
          failure ??= { rep: batch[0]!, message: err.message, where: null, batch: { first: batch[0]!, last: batch.at(-1)! } };
          return;
        }
        if (res.lines.length) deliver(res.lines);
        completed += res.lines.length;
        if (res.failed) {
          failure ??= res.failed;
          return;
        }
        perRep = (performance.now() - t0) / 1000 / batch.length;
        if (
          grow &&
          !growing &&
          ++batches > probes.length &&
          worthGrowing(perRep, reps.length - next, this.slots.length, growAfter(batches === probes.length + 1, grow.afterSeconds)) &&
          (grow.spare ?? spareCore)()
        )
          loops.add(add());
      }
    };
    for (const slot of this.slots) loops.add(loop(slot));
    // loops added while running are awaited too; the first error ends the wait
    await loops.all();
    return { completed, stopped: this.stopping && next < reps.length, failure };
  }

  /** Release proxies and terminate every worker (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.slots.map(async (s) => {
        s.api[Comlink.releaseProxy]();
        await s.worker.terminate();
      }),
    );
  }
}
