// Worker entry (run from dist/workers/replicate.js): builds its own plan from
// the scenario and the set-up computed once (graph, clusterings, exposure
// probabilities, all in shared memory; see src/sim/setup.ts), then runs the
// replications it is handed. Replication r draws
// only from streams named (seed, 'rep', r, ...), so it gives the same rows in
// any worker; each comes back as one JSON line.
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { buildPlan } from '../src/sim/plan.js';
import type { Row } from '../src/sim/replicate.js';
import { batchReplicator } from '../src/sim/replicate-batch.js';
import { repLine } from '../src/sim/jsonl.js';
import type { Scenario } from '../src/sim/scenario.js';
import type { SocialGraph } from '../src/graph/csr.js';

export interface WorkerInit {
  scenario: Scenario;
  graph: SocialGraph;
  clusterings: [string, { labels: Int32Array; count: number }][];
  /** per design, plan-cache entries already computed (exposure probabilities) */
  caches?: [string, [string, unknown][]][];
}

export interface BatchResult {
  /** one line per finished replication, in the order run */
  lines: string[];
  /** the replication that threw, if any; the batch stops there */
  failed: { rep: number; message: string; where: string | null } | null;
}

let run: ((reps: readonly number[], each: (r: number, rows: Row[]) => void) => void) | null = null;
// Test hooks: make replication r throw, or end this thread abruptly (as a
// crash would), to exercise failure reporting.
const failRep = process.env.SPILLOVER_FAIL_REP;
const crashRep = process.env.SPILLOVER_CRASH_REP;

const api = {
  init(p: WorkerInit): void {
    const caches = new Map(p.caches?.map(([d, entries]) => [d, new Map(entries)]));
    run = batchReplicator(buildPlan(p.scenario, p.graph, new Map(p.clusterings), { caches }));
  },
  run(reps: number[]): BatchResult {
    if (!run) throw new Error('worker used before init');
    const lines: string[] = [];
    try {
      run(reps, (r, rows) => {
        if (failRep !== undefined && Number(failRep) === r) throw new Error(`failure injected by SPILLOVER_FAIL_REP=${failRep}`);
        if (crashRep !== undefined && Number(crashRep) === r) process.exit(3);
        lines.push(repLine(r, rows));
      });
    } catch (e) {
      // rows arrive in order, so the failure belongs to the first replication not delivered
      const err = e instanceof Error ? e : new Error(String(e));
      const where =
        err.stack
          ?.split('\n')
          .find((l) => /^\s+at /.test(l))
          ?.trim() ?? null;
      return { lines, failed: { rep: reps[lines.length]!, message: err.message, where } };
    }
    return { lines, failed: null };
  },
};

export type ReplicateApi = typeof api;

if (parentPort) Comlink.expose(api, nodeEndpoint(parentPort));
