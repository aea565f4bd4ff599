// A mixture's exposure probabilities, marginals and joints of every listed
// pair, against brute force: each of its K clusterings (equally likely)
// times every assignment of coins to that clustering's clusters, with
// exposure to the all-treated / all-control world written here from its
// definition (the user and all its friends, or the user's own cluster).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario.js';
import { buildGraph } from '../../../src/sim/build-graph.js';
import { createDesign } from '../../../src/design/index.js';
import { exposureMapping, exposureProbabilities } from '../../../src/estimate/exposure/index.js';
import { stream } from '../../../src/random/streams.js';
import { clusteringOf } from '../../helpers/designs.js';

const p = 0.4;
const scenario = parseScenario({
  seed: 11,
  replications: 2,
  graph: { generator: 'torus', side: 6, radius: 1, longRangeMean: 0.5 },
  model: { type: 'ugander-yin', tau: 1 },
  designs: [{ type: 'mixture', name: 'mix', p, clustering: { method: 'net', radius: 2 }, k: 4 }],
  estimators: ['ht'],
});
const graph = buildGraph(scenario);
const g = graph.csr;
const design = createDesign({ graph, rng: (q) => stream(scenario.seed, 'design', 'mix', q) }, scenario.designs[0]!);
const fixed = clusteringOf(design).fixed!;

/** P(i in a, j in b) for a, b in {1, 0}, by enumeration over clusterings and coins. */
function brute(scope: 'neighbourhood' | 'own') {
  const n = g.n;
  const who = (i: number) => (scope === 'own' ? [i] : [i, ...Array.from(g.nbrs.subarray(g.offsets[i]!, g.offsets[i + 1]!))]);
  const p1 = new Float64Array(n);
  const p0 = new Float64Array(n);
  const joint = new Map<string, [number, number, number, number]>();
  for (const c of fixed) {
    expect(c.count).toBeLessThanOrEqual(16); // 2^count assignments
    for (let mask = 0; mask < 1 << c.count; mask++) {
      let ones = 0;
      for (let k = 0; k < c.count; k++) if (mask & (1 << k)) ones++;
      const prob = (p ** ones * (1 - p) ** (c.count - ones)) / fixed.length;
      const z = (i: number) => (mask >> c.labels[i]!) & 1;
      const cls = Array.from({ length: n }, (_, i) => (who(i).every((j) => z(j) === 1) ? 1 : who(i).every((j) => z(j) === 0) ? 0 : -1));
      for (let i = 0; i < n; i++) {
        if (cls[i] === 1) p1[i]! += prob;
        if (cls[i] === 0) p0[i]! += prob;
        for (let j = i + 1; j < n; j++) {
          const key = `${i},${j}`;
          const e = joint.get(key) ?? [0, 0, 0, 0];
          if (cls[i] === 1 && cls[j] === 1) e[0] += prob;
          if (cls[i] === 0 && cls[j] === 0) e[1] += prob;
          if (cls[i] === 1 && cls[j] === 0) e[2] += prob;
          if (cls[i] === 0 && cls[j] === 1) e[3] += prob;
          joint.set(key, e);
        }
      }
    }
  }
  return { p1, p0, joint };
}

describe('mixture of fixed clusterings: exact marginals and joints', () => {
  for (const kind of ['full', 'thread-full'] as const) {
    it(`${kind} exposure: every listed pair equals enumeration; unlisted pairs are independent`, () => {
      const mapping = exposureMapping({ kind });
      const pr = exposureProbabilities(g, design, mapping, { joint: true, draws: 10, batches: 2, seed: 1 });
      expect(pr.method).toBe('mixture average');
      const want = brute(mapping.scope);
      for (let i = 0; i < g.n; i++) {
        expect(pr.p1[i]).toBeCloseTo(want.p1[i]!, 12);
        expect(pr.p0[i]).toBeCloseTo(want.p0[i]!, 12);
      }
      const pairs = pr.pairs!;
      const listed = new Set<string>();
      for (let i = 0; i < g.n; i++)
        for (let k = pairs.offsets[i]!; k < pairs.offsets[i + 1]!; k++) {
          const j = pairs.other[k]!;
          listed.add(`${i},${j}`);
          const e = want.joint.get(`${i},${j}`)!;
          const got = [pairs.p11[k]!, pairs.p00[k]!, pairs.p10[k]!, pairs.p01[k]!];
          for (let t = 0; t < 4; t++) expect(got[t]).toBeCloseTo(e[t]!, 12);
        }
      // a pair left out must share no cluster in any clustering (the listing is complete): its P(both 1) is then the
      // average over clusterings of the conditional products p^k_i p^k_j
      let unlisted = 0;
      for (const [key, e] of want.joint) {
        if (listed.has(key)) continue;
        unlisted++;
        const [i, j] = key.split(',').map(Number) as [number, number];
        let both = 0;
        for (const c of fixed) {
          const k = (u: number) =>
            new Set(
              (mapping.scope === 'own' ? [u] : [u, ...Array.from(g.nbrs.subarray(g.offsets[u]!, g.offsets[u + 1]!))]).map(
                (v) => c.labels[v]!,
              ),
            ).size;
          both += (p ** k(i) * p ** k(j)) / fixed.length;
        }
        expect(e[0]).toBeCloseTo(both, 12);
      }
      expect(listed.size).toBeGreaterThan(0);
      expect(unlisted).toBeGreaterThan(0);
    });
  }
});
