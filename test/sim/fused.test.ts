// The replicator derives full-neighbourhood exposure from the model's friend
// sums instead of a second pass over the graph; the rows must be exactly
// those of the unfused path, for partition and overlapping designs.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { buildPlan } from '../../src/sim/plan.js';
import { fullExposureFromSums, replicator } from '../../src/sim/replicate.js';
import { exposureMapping } from '../../src/estimate/exposure/index.js';
import { buildGraph } from '../../src/sim/build-graph.js';

const scenario = parseScenario({
  seed: 4,
  replications: 6,
  graph: { generator: 'sbm', blocks: 6, blockSize: 50, pIn: 0.2, pOut: 0.01 },
  threads: { meanThreadsPerUser: 2 },
  model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    { type: 'thread', name: 'thread', p: 0.5 },
  ],
  estimators: ['dm', 'ht', 'hajek'],
});

describe('fused exposure', () => {
  it('rows equal the unfused path exactly', () => {
    const graph = buildGraph(scenario);
    const fused = buildPlan(scenario, graph);
    const plain = buildPlan(scenario, graph);
    const unfused = { ...plain, model: { ...plain.model, writesPeerSum: false } };
    const a = replicator(fused);
    const b = replicator(unfused);
    for (let r = 0; r < scenario.replications; r++) expect(a(r)).toEqual(b(r));
  });

  it('equals the full mapping on 0/1 doses, isolated users included', () => {
    const g = { n: 5, offsets: Uint32Array.from([0, 1, 3, 4, 4, 4]), nbrs: Uint32Array.from([1, 0, 2, 1]) };
    const classify = exposureMapping({ kind: 'full' }).classify;
    for (let mask = 0; mask < 32; mask++) {
      const dose = Float64Array.from({ length: 5 }, (_, i) => (mask >> i) & 1);
      const sums = new Float64Array(5);
      for (let i = 0; i < 5; i++) for (let k = g.offsets[i]!; k < g.offsets[i + 1]!; k++) sums[i]! += dose[g.nbrs[k]!]!;
      const classes = new Int8Array(5);
      const users = new Uint32Array(5);
      const listed = fullExposureFromSums(g, Uint8Array.from(dose), sums, classes, users);
      const want = classify(g, dose, new Int8Array(5));
      expect(classes).toEqual(want);
      expect([...users.subarray(0, listed)]).toEqual([0, 1, 2, 3, 4].filter((i) => want[i]! >= 0));
    }
  });
});
