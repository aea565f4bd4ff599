// The set-up built in threads (graph, then design × estimator-group tasks)
// equals the plan built in this process the plain way: same clusterings,
// same exposure probabilities (every array), same description; and an
// abort returns at once.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { buildGraph } from '../../src/sim/build-graph.js';
import { buildPlan, type PlanCaches } from '../../src/sim/plan.js';
import { describePlan } from '../../src/sim/run.js';
import { setUpInThreads } from '../../src/sim/setup.js';

const scenario = parseScenario({
  name: 'setup-test',
  seed: 3,
  replications: 4,
  graph: { generator: 'sbm', blocks: 6, blockSize: 30, pIn: 0.3, pOut: 0.01 },
  model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
    { type: 'rgcr', name: 'rgcr', p: 0.5, clustering: { method: 'one-hop-max' } },
  ],
  estimators: ['dm', 'cluster-dm', 'ht', 'hajek', { estimator: 'hajek', name: 'hajek q0.5', exposure: { kind: 'fractional', q: 0.5 } }],
});

describe('set-up in threads', { timeout: 120_000 }, () => {
  it('equals the plan built in-process: clusterings, exposure probabilities, description', async () => {
    const caches: PlanCaches = new Map();
    const plan = buildPlan(scenario, buildGraph(scenario), undefined, { caches });
    // lazyMs: threads added while tasks run (--workers auto; 0: at the first turn); the same set-up either way
    const runs: [number, { lazyMs?: number; spare?: () => boolean }][] = [
      [1, {}],
      [3, {}],
      [3, { lazyMs: 0, spare: () => true }],
    ];
    for (const [threads, options] of runs) {
      const s = (await setUpInThreads(scenario, threads, undefined, options))!;
      expect(s.info).toEqual(describePlan(plan));
      expect(new Map(s.clusterings)).toEqual(plan.clusterings);
      // every exposure entry of the in-process plan, identical to the last bit
      const shared = new Map(s.caches.map(([d, e]) => [d, new Map(e)]));
      let entries = 0;
      for (const [design, m] of caches)
        for (const [key, value] of m) {
          if (!key.startsWith('exposure/')) continue;
          entries++;
          expect(shared.get(design)?.get(key), `${design} ${key}`).toEqual(value);
        }
      expect(entries).toBeGreaterThanOrEqual(6); // HT/Hajek full and fractional for three designs
    }
  });

  it('an abort returns null at once and leaves no thread behind', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    const pending = setUpInThreads(scenario, 2, ac.signal);
    setTimeout(() => ac.abort(), 50);
    expect(await pending).toBeNull();
    expect(performance.now() - t0).toBeLessThan(2000);
    const aborted = new AbortController();
    aborted.abort();
    expect(await setUpInThreads(scenario, 2, aborted.signal)).toBeNull();
  });
});
