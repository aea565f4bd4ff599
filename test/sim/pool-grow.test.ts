// --workers auto: the pool starts with one worker and adds more while it
// runs, once the measured pace says the work left is worth a thread's start.
// Which worker runs a replication changes no byte of its line.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { buildSetup } from '../../src/sim/setup.js';
import { GROW_AFTER_SECONDS, growAfter, LATE_GROW_SECONDS, ReplicationPool, worthGrowing } from '../../src/sim/pool.js';

const scenario = parseScenario({
  name: 'grow-test',
  seed: 5,
  replications: 80,
  graph: { generator: 'sbm', blocks: 4, blockSize: 25, pIn: 0.3, pOut: 0.02 },
  model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
  ],
  estimators: ['dm', 'cluster-dm', 'ht'],
});

describe('a pool that grows while it runs', { timeout: 120_000 }, () => {
  const setup = buildSetup(scenario);
  const init = { scenario, graph: setup.graph, clusterings: setup.clusterings, caches: setup.caches };
  const reps = Array.from({ length: scenario.replications }, (_, r) => r);
  const lines = async (start: number, grow?: { to: number; afterSeconds: number; spare: () => boolean }) => {
    // probes of one replication each: the decision comes after replication 3 whatever the pace
    const pool = (await ReplicationPool.start(start, init))!;
    const got: string[] = [];
    try {
      const out = await pool.run(reps, (ls) => got.push(...ls), grow && { ...grow, init, probes: [1e-9, 1e-9] });
      expect(out.failure).toBeNull();
      expect(out.completed).toBe(reps.length);
      return { size: pool.size, lines: got.sort() };
    } finally {
      await pool.close();
    }
  };

  it('adds workers when the work left is judged worth it, and the lines are the same bytes', async () => {
    const one = await lines(1);
    const grown = await lines(1, { to: 3, afterSeconds: 0, spare: () => true }); // any work left is worth it
    const kept = await lines(1, { to: 3, afterSeconds: 1e9, spare: () => true }); // none is
    const busy = await lines(1, { to: 3, afterSeconds: 0, spare: () => false }); // no idle core
    expect(one.size).toBe(1);
    expect(grown.size).toBe(3);
    expect(kept.size).toBe(1);
    expect(busy.size).toBe(1);
    expect(one.lines).toHaveLength(80);
    expect(grown.lines).toEqual(one.lines);
    expect(kept.lines).toEqual(one.lines);
    expect(busy.lines).toEqual(one.lines);
  });

  it('grows only when one worker would need longer than the threshold for what is left', () => {
    expect(worthGrowing(0.01, 1000, 1)).toBe(true); // 10 s left
    expect(worthGrowing(0.001, 1000, 1)).toBe(false); // 1 s left
    expect(worthGrowing(0.002, 1000, 2)).toBe(false); // 1 s each for two
    expect(worthGrowing(0, 1e6, 1)).toBe(false); // no pace measured yet
    expect(worthGrowing((GROW_AFTER_SECONDS + 0.01) / 100, 100, 1)).toBe(true);
    // after the first decision, only a long remainder is worth a late thread
    expect(growAfter(true)).toBe(GROW_AFTER_SECONDS);
    expect(growAfter(false)).toBe(LATE_GROW_SECONDS);
    expect(worthGrowing(0.003, 1000, 1, growAfter(false))).toBe(false); // 3 s left, late
    expect(worthGrowing(0.003, 1000, 1, growAfter(true))).toBe(true); // 3 s left, at the first decision
  });
});
