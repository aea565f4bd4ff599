// Batches of replications share one bit-parallel pass over the edges for
// their friends' dose sums; every replication's rows must be exactly those
// of the one-at-a-time replicator, whatever the batch boundaries.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { buildPlan } from '../../src/sim/plan.js';
import { replicator, type Row } from '../../src/sim/replicate.js';
import { batchReplicator } from '../../src/sim/replicate-batch.js';
import { byteDegrees, countBatch, extractSums, planeStride } from '../../src/sim/batch-sums.js';
import { exposureMapping } from '../../src/estimate/exposure/mappings.js';
import { csrFromEdges } from '../../src/graph/csr.js';
import { stream } from '../../src/random/streams.js';

const scenario = parseScenario({
  seed: 9,
  replications: 45,
  graph: { generator: 'sbm', blocks: 5, blockSize: 40, pIn: 0.3, pOut: 0.02 },
  threads: { meanThreadsPerUser: 2 },
  model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.3 },
    { type: 'user-complete', name: 'complete', p: 0.5 },
    { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    { type: 'thread', name: 'thread', p: 0.5 },
    // designs whose draw reports a clustering or arms, read by cluster-dm and saveski
    { type: 'rgcr', name: 'rgcr', p: 0.5, clustering: { method: 'one-hop-max' } },
    { type: 'saveski', name: 'saveski', p: 0.5, clustering: { method: 'blocks' } },
    // draws report every unit's first treated stage, read by the polynomial estimator (which simulates the stages)
    { type: 'staggered', name: 'staggered', p: 0.5, shares: [0, 0.2, 0.5] },
    { type: 'staggered', name: 'staggered blocks', p: 0.5, stages: 3, clustering: { method: 'blocks' } },
  ],
  estimators: ['dm', 'cluster-dm', 'ht', 'hajek', 'saveski', 'polynomial'],
});

describe('batched replications', () => {
  it('give the rows of one-at-a-time replications (full batch, partial batch, tiny tail)', () => {
    const plan = buildPlan(scenario);
    const single = replicator(plan);
    const batch = batchReplicator(buildPlan(scenario, plan.graph));
    const reps = Array.from({ length: 45 }, (_, r) => r); // 32 + 13, then a tail of 2 below
    const got: [number, Row[]][] = [];
    batch(reps, (r, rows) => got.push([r, rows]));
    batch([45, 46], (r, rows) => got.push([r, rows]));
    expect(got.map(([r]) => r)).toEqual([...reps, 45, 46]);
    for (const [r, rows] of got) expect(rows).toEqual(single(r));
  });

  // a hub of degree 601 (wide counters, bit planes) among users of low degree;
  // without the hub every count fits a byte (byte lanes)
  const graphs = (hub: boolean) => {
    const src: number[] = [];
    const dst: number[] = [];
    const rng = stream(2, 'edges');
    for (let i = 1; i < 602; i++) {
      if (hub) (src.push(0), dst.push(i));
      for (let e = 0; e < 3; e++) (src.push(i), dst.push(Math.floor(rng() * 602)));
    }
    return csrFromEdges(602, src, dst).csr; // 602: not a multiple of 4, so the unrolled loop has a tail
  };

  it.each([
    ['byte lanes', false],
    ['bit planes, a hub of degree 601', true],
  ])('bit-parallel counts equal direct sums (%s)', (_name, hub) => {
    const g = graphs(hub as boolean);
    const stride = planeStride(g);
    expect(stride > 8).toBe(hub);
    const words = new Int32Array(g.n);
    const rng = stream(2, 'w');
    for (let i = 0; i < g.n; i++) words[i] = (rng() * 2 ** 32) | 0;
    const sums = countBatch(g, words, new Int32Array(g.n * stride), stride);
    expect(sums.lanes).toBe(!hub);
    const deg = byteDegrees(g);
    expect(deg === null).toBe(hub);
    const classify = exposureMapping({ kind: 'full' }).classify;
    for (const bit of [0, 3, 4, 13, 31]) {
      const got = new Float64Array(g.n);
      extractSums(sums, bit, got);
      for (let i = 0; i < g.n; i++) {
        let s = 0;
        for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) s += (words[g.nbrs[k]!]! >>> bit) & 1;
        if (got[i] !== s) expect(got[i]).toBe(s);
      }
      // with exposure: the same sums, the full mapping's classes and the users in either world
      const dose = Float64Array.from(words, (w) => (w >>> bit) & 1);
      const sink = { offsets: g.offsets, deg, treated: Uint8Array.from(dose), classes: new Int8Array(g.n), users: new Uint32Array(g.n) };
      const again = new Float64Array(g.n);
      const listed = extractSums(sums, bit, again, sink);
      expect(again).toEqual(got);
      const want = classify(g, dose, new Int8Array(g.n));
      expect(sink.classes).toEqual(want);
      expect([...sink.users.subarray(0, listed)]).toEqual([...want.keys()].filter((i) => want[i]! >= 0));
    }
  });
});
