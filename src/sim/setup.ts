// A run's set-up (graph, fixed clusterings, exposure probabilities) is built
// once and handed to every replication worker in shared memory, in threads
// of its own: the graph in one, then (design, estimator group) tasks spread
// over several (each draws only from streams named by its design and
// mapping, so which thread builds it changes nothing). Once: two workers cost one set-up, not two. In
// threads: the set-up runs in parallel, and the main thread stays free to
// answer Ctrl-C or SIGTERM at any moment.
import { availableParallelism, loadavg } from 'node:os';
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
import { canonical } from './jsonl.js';
import { Growing } from './growing.js';
import { estimatorFromSpec } from '../estimate/index.js';
import { designName } from '../design/index.js';
import { pairBudget, type PairBudget } from '../estimate/exposure/budget.js';
import type { VarianceOptions, VarianceTask } from './variance.js';

type SharedClusterings = [string, { labels: Int32Array; count: number }][];
type SharedCaches = [string, [string, unknown][]][];

export interface Setup {
  graph: SocialGraph;
  clusterings: SharedClusterings;
  /** per design, the plan-cache entries every worker can read (exposure probabilities), in shared memory */
  caches: SharedCaches;
  info: { graph: GraphInfo; designs: DesignInfo[] };
  timings: Timing[];
}

/** One design's part of the set-up, for some of its estimators. */
export interface DesignPart {
  clusterings: SharedClusterings;
  caches: SharedCaches;
  info: { graph: GraphInfo; design: DesignInfo };
  /** seconds the part took (e.g. for `spillover exposure`) */
  seconds: number;
}

/** Seconds each (design, estimator group) task took. */
export interface Timing {
  design: string;
  estimators: number[];
  seconds: number;
}

/**
 * The scenario's estimators in groups that can share exposure probabilities
 * (same options but for name and kind: HT and Hajek of one mapping), each a
 * set-up task per design; a design's probabilities for two mappings are
 * then computed in parallel.
 */
export function estimatorGroups(scenario: Scenario): number[][] {
  const groups = new Map<string, number[]>();
  scenario.estimators.forEach((entry, j) => {
    let key = '';
    if (typeof entry !== 'string') {
      const { estimator: _e, name: _n, ...options } = entry as Record<string, unknown>;
      key = canonical(options);
    }
    groups.set(key, [...(groups.get(key) ?? []), j]);
  });
  return groups.size ? [...groups.values()] : [[]];
}

/**
 * Cache entries that are pure results of the scenario (exposure
 * probabilities); per-worker scratch (e.g. 'unit-robust/…', written during
 * replications) is left for each worker to build.
 */
const shareable = (key: string) => key.startsWith('exposure/');

export function buildGraphPart(scenario: Scenario): SocialGraph {
  return shareGraph(buildGraph(scenario, true));
}

/** Design `index` of the scenario with the estimators `estimators` (indices): its clustering, their exposure probabilities, its description. */
export function buildDesignPart(scenario: Scenario, graph: SocialGraph, index: number, estimators: number[]): DesignPart {
  const t0 = performance.now();
  const caches: PlanCaches = new Map();
  const part = { ...scenario, designs: [scenario.designs[index]!], estimators: estimators.map((j) => scenario.estimators[j]!) };
  const plan = buildPlan(part, graph, undefined, { caches });
  const info = describePlan(plan);
  return {
    clusterings: shareClusterings(plan.clusterings),
    caches: [...caches].map(([design, m]) => [design, [...m].filter(([k]) => shareable(k)).map(([k, v]) => [k, shareDeep(v)])]),
    info: { graph: info.graph, design: info.designs[0]! },
    seconds: (performance.now() - t0) / 1000,
  };
}

/** One design's info from its parts (one per estimator group), listing skipped estimators and inquiries in scenario order. */
function mergeInfo(scenario: Scenario, parts: DesignPart[]): DesignInfo {
  const ids = scenario.estimators.map((e) => estimatorFromSpec(e).id);
  const order = <T>(xs: T[], id: (x: T) => string) => xs.sort((a, b) => ids.indexOf(id(a)) - ids.indexOf(id(b)));
  const skipped = order(
    parts.flatMap((p) => p.info.design.skipped),
    (s) => s.id,
  );
  const inquiries = order(
    parts.flatMap((p) => p.info.design.inquiries ?? []),
    (q) => q.estimator,
  );
  const { inquiries: _, ...first } = parts[0]!.info.design;
  return { ...first, skipped, ...(inquiries.length ? { inquiries } : {}) };
}

/** The set-up from its parts: parts[i] are design i's, one per estimator group. */
function assemble(scenario: Scenario, graph: SocialGraph, parts: DesignPart[][]): Setup {
  const groups = estimatorGroups(scenario);
  const timings = parts.flatMap((ps, i) =>
    ps.map((p, g) => ({ design: designName(scenario.designs[i]!), estimators: groups[g]!, seconds: p.seconds })),
  );
  const all = parts.flat();
  const caches = new Map<string, [string, unknown][]>();
  for (const p of all) for (const [d, entries] of p.caches) caches.set(d, [...(caches.get(d) ?? []), ...entries]);
  // a clustering is the design's, built alike by each of its parts: keep one
  const clusterings = new Map(all.flatMap((p) => p.clusterings));
  return {
    graph,
    clusterings: [...clusterings],
    caches: [...caches],
    info: { graph: all[0]!.info.graph, designs: parts.map((ps) => mergeInfo(scenario, ps)) },
    timings,
  };
}

/** The whole set-up in this thread (tests, benchmarks). */
export function buildSetup(scenario: Scenario): Setup {
  const graph = buildGraphPart(scenario);
  const groups = estimatorGroups(scenario);
  return assemble(
    scenario,
    graph,
    scenario.designs.map((_, i) => groups.map((g) => buildDesignPart(scenario, graph, i, g))),
  );
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

/** What a set-up thread starts with. */
export interface SetupData {
  scenario: Scenario;
  pairBudget: PairBudget | null;
}

export type SetupTask =
  | { task: 'graph' }
  | { task: 'design'; graph: SocialGraph; index: number; estimators: number[] }
  /** rows of `spillover variance` (sim/variance.ts) */
  | { task: 'variance'; graph: SocialGraph; options: VarianceOptions; tasks: VarianceTask[] };
export type SetupReply = { ok: unknown } | { error: { name: string; message: string; code?: string; stack?: string } };

/** The error a set-up thread reported, as this thread's (a user mistake stays one). */
function revive(e: { name: string; message: string; code?: string; stack?: string }): Error {
  if (e.name === 'UserError') return new UserError(e.message, (e.code as UserError['code']) ?? 'EPARAM');
  const err = new Error(`set-up failed: ${e.message}`);
  err.stack = e.stack ?? err.stack;
  return err;
}

/**
 * A core is idle: the 1-minute load average (this run's own busy thread
 * included) is at least half a core below the machine's cores. --workers
 * auto adds threads only then: on a busy machine they only slow the others.
 */
export function spareCore(): boolean {
  return loadavg()[0]! <= availableParallelism() - 0.5;
}

/** --workers auto: a second set-up thread starts only if tasks still wait this long after the graph is built. */
export const LAZY_MS = 1000;

class SetupThread {
  readonly worker: Worker;
  private readonly died: Promise<never>;
  constructor(scenario: Scenario) {
    // the thread lists dependent pairs within this thread's budget (admission's)
    this.worker = new Worker(workerUrl('setup'), { workerData: { scenario, pairBudget: pairBudget() } satisfies SetupData });
    this.died = new Promise<never>((_, reject) => {
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`a set-up thread exited (code ${code}) before finishing`)));
    });
    this.died.catch(() => {}); // observed through ask() only
  }
  ask<T>(task: SetupTask): Promise<T> {
    const reply = new Promise<T>((resolve, reject) => {
      this.worker.once('message', (m: SetupReply) => ('ok' in m ? resolve(m.ok as T) : reject(revive(m.error))));
    });
    this.worker.postMessage(task);
    return Promise.race([reply, this.died]);
  }
}

/**
 * Build the graph in a set-up thread, then answer the tasks `tasksFor(graph)`
 * gives over up to `threads` threads, each pulling the next one; the results
 * come back in the tasks' order, whichever thread answered them. Null when
 * `signal` aborts first (every thread is terminated at once).
 */
export async function inSetupThreads<T>(
  scenario: Scenario,
  threads: number,
  tasksFor: (graph: SocialGraph) => SetupTask[],
  signal?: AbortSignal,
  /**
   * lazyMs: more threads only if tasks still wait after this long (a thread's
   * start costs more than a short set-up) and a core is idle (spare, default
   * spareCore); absent: at once
   */
  options: { lazyMs?: number; spare?: () => boolean } = {},
): Promise<{ graph: SocialGraph; results: T[] } | null> {
  if (signal?.aborted) return null;
  const pool: SetupThread[] = [new SetupThread(scenario)];
  let onAbort = () => {};
  const aborted = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    signal?.addEventListener('abort', onAbort);
  });
  const work = async () => {
    const graph = await pool[0]!.ask<SocialGraph>({ task: 'graph' });
    const tasks = tasksFor(graph);
    const results = new Array<T>(tasks.length);
    let next = 0;
    const pull = async (t: SetupThread) => {
      while (next < tasks.length) {
        const q = next++;
        results[q] = await t.ask<T>(tasks[q]!);
      }
    };
    const loops = new Growing();
    loops.add(pull(pool[0]!));
    const more = () => {
      if (options.lazyMs !== undefined && !(options.spare ?? spareCore)()) return;
      while (pool.length < Math.min(threads, tasks.length) && next < tasks.length) {
        const t = new SetupThread(scenario);
        pool.push(t);
        loops.add(pull(t));
      }
    };
    const timer = options.lazyMs !== undefined ? setTimeout(more, options.lazyMs) : (more(), undefined);
    try {
      // threads added while waiting are awaited too; the first error ends the wait
      await loops.all();
    } finally {
      clearTimeout(timer);
    }
    return { graph, results };
  };
  const working = work();
  working.catch(() => {}); // when aborted, its rejection (threads terminated) is not ours to report
  try {
    return await Promise.race([working, aborted]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(pool.map((t) => t.worker.terminate()));
  }
}

/**
 * Build the set-up in up to `threads` threads: the graph in one, then the
 * (design, estimator group) parts pulled one at a time by each thread. Null
 * when `signal` aborts first.
 */
export async function setUpInThreads(
  scenario: Scenario,
  threads: number,
  signal?: AbortSignal,
  options: { lazyMs?: number; spare?: () => boolean } = {},
): Promise<Setup | null> {
  const groups = estimatorGroups(scenario);
  const done = await inSetupThreads<DesignPart>(
    scenario,
    threads,
    (graph) =>
      scenario.designs.flatMap((_, index) => groups.map((estimators): SetupTask => ({ task: 'design', graph, index, estimators }))),
    signal,
    options,
  );
  if (!done) return null;
  // parts[i][g]: design i's part for estimator group g
  const parts = scenario.designs.map((_, i) => done.results.slice(i * groups.length, (i + 1) * groups.length));
  return assemble(scenario, done.graph, parts);
}
