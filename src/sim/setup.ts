// A run's set-up (graph, fixed clusterings, exposure probabilities) is built
// once, in a thread of its own, and handed to every replication worker in
// shared memory. Once: so two workers cost one set-up, not two. In a thread:
// so the main thread stays free to answer Ctrl-C or SIGTERM at any moment
// (a long synchronous set-up would otherwise hold every signal until it ends).
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import type { SocialGraph } from '../graph/csr.js';
import type { Scenario } from './scenario.js';
import { buildGraph } from './build-graph.js';
import { buildPlan, type PlanCaches } from './plan.js';
import { describePlan, type DesignInfo, type GraphInfo } from './run.js';
import { shareClusterings, shareDeep, shareGraph, type Clusterings } from './shared.js';

export interface Setup {
  graph: SocialGraph;
  clusterings: [string, { labels: Int32Array; count: number }][];
  /** per design, the plan-cache entries every worker can read (exposure probabilities), in shared memory */
  caches: [string, [string, unknown][]][];
  info: { graph: GraphInfo; designs: DesignInfo[] };
}

/**
 * Cache entries that are pure results of the scenario (exposure
 * probabilities); per-worker scratch (e.g. 'unit-robust/…', written during
 * replications) is left for each worker to build.
 */
const shareable = (key: string) => key.startsWith('exposure/');

/** The set-up, computed here (the body of the set-up thread). */
export function buildSetup(scenario: Scenario): Setup {
  const graph = shareGraph(buildGraph(scenario, true));
  const caches: PlanCaches = new Map();
  const plan = buildPlan(scenario, graph, undefined, { caches });
  return {
    graph,
    clusterings: shareClusterings(plan.clusterings),
    caches: [...caches].map(([design, m]) => [design, [...m].filter(([k]) => shareable(k)).map(([k, v]) => [k, shareDeep(v)])]),
    info: describePlan(plan),
  };
}

export function clusteringsOf(s: Setup): Clusterings {
  return new Map(s.clusterings);
}

export function cachesOf(s: Setup): PlanCaches {
  return new Map(s.caches.map(([d, entries]) => [d, new Map(entries)]));
}

/** Compiled worker entry `name` (dist/workers/name.js), also when this module runs from src/ (tests). */
export function workerUrl(name: string): URL {
  const here = new URL(`../../workers/${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL(`../../dist/workers/${name}.js`, import.meta.url);
}

export type SetupMessage = { setup: Setup } | { error: { name: string; message: string; code?: string; stack?: string } };

/** Build the set-up in its own thread; null when `signal` aborts first (the thread is terminated at once). */
export async function setUpInThread(scenario: Scenario, signal?: AbortSignal): Promise<Setup | null> {
  if (signal?.aborted) return null;
  const worker = new Worker(workerUrl('setup'), { workerData: scenario });
  let onAbort = () => {};
  try {
    return await new Promise<Setup | null>((resolve, reject) => {
      onAbort = () => resolve(null);
      signal?.addEventListener('abort', onAbort);
      worker.once('message', (m: SetupMessage) => {
        if ('setup' in m) return resolve(m.setup);
        const e = m.error;
        if (e.name === 'UserError') return reject(new UserError(e.message, (e.code as UserError['code']) ?? 'EPARAM'));
        const err = new Error(`set-up failed: ${e.message}`);
        err.stack = e.stack ?? err.stack;
        reject(err);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the set-up thread exited (code ${code}) before finishing`)));
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
