// Replications spread over Web Workers through comlink. Workers pull small
// batches from a shared queue, so a slow worker never holds up the rest, and
// the main thread only merges rows: the page stays responsive.
import * as Comlink from 'comlink';
import type { Row } from '../src/sim/replicate.js';
import type { DesignPicture, GraphPicture, SimApi } from './sim.worker.js';

export interface PoolEvents {
  onReady(info: { graph: GraphPicture; designs: DesignPicture[] }): void;
  onRows(rows: Row[], done: number): void;
  onDone(): void;
  onError(message: string): void;
}

export interface RunHandle {
  /** the first worker, for drawing assignments */
  api: Promise<Comlink.Remote<SimApi>>;
  stop(): void;
}

const BATCH = 5;

export function workerCount(): number {
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
}

export function startRun(scenario: unknown, replications: number, events: PoolEvents, n = workerCount()): RunHandle {
  const workers = Array.from({ length: n }, () => new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' }));
  const apis = workers.map((w) => Comlink.wrap<SimApi>(w));
  let stopped = false;
  let next = 0;
  let done = 0;
  const alive = new Set(workers.keys());
  const end = (i: number) => {
    if (!alive.delete(i)) return; // a released proxy throws if released again
    apis[i]![Comlink.releaseProxy]();
    workers[i]!.terminate();
  };
  const stop = () => {
    stopped = true;
    for (const i of [...alive]) end(i);
  };

  async function loop(api: Comlink.Remote<SimApi>): Promise<void> {
    while (!stopped && next < replications) {
      const from = next;
      const to = Math.min(replications, from + BATCH);
      next = to;
      const rows = await api.run(from, to);
      if (stopped) return;
      done += to - from;
      events.onRows(rows, done);
    }
  }

  // every worker builds the plan at once; the first also sends the graph
  const inits = apis.map((a, i) => a.init(scenario, i === 0));
  const first = inits[0]!.then((info) => {
    if (!stopped) events.onReady({ graph: info.graph!, designs: info.designs });
    return apis[0]!;
  });
  first.catch(() => {}); // reported through onError below

  (async () => {
    try {
      await Promise.all(inits.map((p, i) => p.then(() => loop(apis[i]!))));
      if (!stopped) events.onDone();
    } catch (e) {
      if (!stopped) events.onError(e instanceof Error ? e.message : String(e));
    } finally {
      // keep the first worker alive for drawing; the others are done
      for (const i of [...alive]) if (i > 0) end(i);
    }
  })();

  return { api: first, stop };
}
