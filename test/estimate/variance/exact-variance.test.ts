// The exact design variance of Horvitz–Thompson (src/estimate/variance/
// exact.ts) against brute force: on tiny designs every assignment is
// listed with its probability, HT is computed from the classes written out
// here, and its variance (two-pass, Σ p·(HT − mean)²) must equal the
// formula to 1e-9 relative. The expectation of the Aronow–Samii estimate is
// checked against the average of aronowSamii() over the same enumeration.
import { describe, expect, it } from 'vitest';
import { createDesign, doseOf, type Design, type DesignSpec } from '../../../src/design/index.js';
import {
  exposureMapping,
  exposureProbabilities,
  type ExposureProbabilities,
  type MappingSpec,
} from '../../../src/estimate/exposure/index.js';
import { assignments } from '../../../src/estimate/exposure/enumerate.js';
import { aronowSamii } from '../../../src/estimate/aronow-samii.js';
import { htMoments } from '../../../src/estimate/variance/exact.js';
import { completeRandomization } from '../../../src/estimate/variance/complete.js';
import { stream } from '../../../src/random/streams.js';
import { threadsFromLists, type SocialGraph } from '../../../src/graph/csr.js';
import { fromEdgeList, ringLattice } from '../../helpers/graphs.js';
import { schemeOf } from '../../helpers/designs.js';

// 8 users: a 4-cycle bridged to a triangle with a pendant; 5 blocks
const tiny: SocialGraph = {
  ...fromEdgeList(
    8,
    [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
      [3, 4],
      [4, 5],
      [5, 6],
      [6, 4],
      [6, 7],
    ],
    [0, 0, 1, 1, 2, 2, 3, 4],
  ),
  threads: threadsFromLists(8, [
    [0, 1, 2],
    [2, 3],
    [3, 4, 5],
    [5, 6, 7],
    [0, 7],
    [1, 4, 6],
  ]),
};
// 12 users in 6 blocks of 2 (paired clusters; some neighbourhoods touch both clusters of a pair)
const twelve: SocialGraph = fromEdgeList(
  12,
  [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 7],
    [7, 8],
    [8, 9],
    [9, 10],
    [10, 11],
    [11, 0],
    [0, 6],
  ],
  [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
);
// more than 64 users, so probabilities come from closed forms with only the dependent pairs listed
const ring72 = ringLattice(72, 4, 9); // 8 blocks of 9

function outcomes(n: number) {
  // fixed potential outcomes with both signs, unrelated to the graph
  const y1 = Float64Array.from({ length: n }, (_, i) => 2 + Math.sin(1.7 * i + 0.3) * 3);
  const y0 = Float64Array.from({ length: n }, (_, i) => 1 + Math.cos(0.9 * i) * 2.5);
  return { y1, y0 };
}

interface Enumerated {
  mean: number;
  variance: number;
  meanAS: number;
  mass: number;
  design: Design;
  pr: ExposureProbabilities;
  y1: Float64Array;
  y0: Float64Array;
}

/** Every set of `k` treated among `n` units, each with probability 1/C(n, k) (enumerate.ts's bit masks stop at 31 units). */
function* combinations(n: number, k: number): Generator<[Uint8Array, number]> {
  let count = 1;
  for (let j = 1; j <= k; j++) count = (count * (n - k + j)) / j;
  const pick = Array.from({ length: k }, (_, j) => j);
  for (;;) {
    const z = new Uint8Array(n);
    for (const u of pick) z[u] = 1;
    yield [z, 1 / count];
    let j = k - 1;
    while (j >= 0 && pick[j] === n - k + j) j--;
    if (j < 0) return;
    pick[j]!++;
    for (let q = j + 1; q < k; q++) pick[q] = pick[q - 1]! + 1;
  }
}

function enumerateHT(graph: SocialGraph, spec: DesignSpec, m: MappingSpec): Enumerated {
  const design = createDesign({ graph, rng: (p) => stream(3, p) }, spec);
  const g = graph.csr;
  const n = g.n;
  const mapping = exposureMapping(m);
  const pr = exposureProbabilities(g, design, mapping, { joint: true, draws: 2000, batches: 20, seed: 1 });
  const { y1, y0 } = outcomes(n);
  const dose = new Float64Array(n);
  const ex = new Int8Array(n);
  const y = new Float64Array(n);
  const ht: number[] = [];
  const weight: number[] = [];
  let meanAS = 0;
  const scheme = schemeOf(design);
  const all =
    design.units.count > 24 && scheme.kind === 'complete' ? combinations(design.units.count, scheme.treated) : assignments(design);
  for (const [z, prob] of all) {
    doseOf(design.units, z, dose);
    mapping.classify(g, dose, ex);
    let t = 0;
    for (let i = 0; i < n; i++) {
      // the estimator leaves out users with no chance of their world
      if (ex[i] === 1 && pr.p1[i]! > 0) t += y1[i]! / pr.p1[i]!;
      if (ex[i] === 0 && pr.p0[i]! > 0) t -= y0[i]! / pr.p0[i]!;
      y[i] = ex[i] === 1 ? y1[i]! : ex[i] === 0 ? y0[i]! : 100 + i; // users in neither world must not matter
    }
    ht.push(t / n);
    weight.push(prob);
    meanAS += prob * aronowSamii(ex, y, y, pr, 1 / n, 1 / n);
  }
  const mass = weight.reduce((a, b) => a + b, 0);
  const mean = ht.reduce((s, h, k) => s + weight[k]! * h, 0);
  const variance = ht.reduce((s, h, k) => s + weight[k]! * (h - mean) ** 2, 0);
  return { mean, variance, meanAS, mass, design, pr, y1, y0 };
}

function moments(r: Enumerated, graph: SocialGraph, m: MappingSpec) {
  return htMoments(r.pr, r.y1, r.y0, { complete: completeRandomization(graph.csr, r.design, exposureMapping(m)) ?? undefined });
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

const cases: { label: string; graph: SocialGraph; spec: DesignSpec; mappings: MappingSpec[]; method: string }[] = [
  {
    label: 'user Bernoulli, 8 users',
    graph: tiny,
    spec: { type: 'user-bernoulli', p: 0.4 },
    mappings: [{ kind: 'full' }, { kind: 'fractional', q: 0.5 }],
    method: 'enumeration',
  },
  {
    label: 'cluster Bernoulli, 5 clusters',
    graph: tiny,
    spec: { type: 'cluster', p: 0.6, clustering: { method: 'blocks' } },
    mappings: [{ kind: 'full' }, { kind: 'thread-full' }],
    method: 'enumeration',
  },
  {
    label: 'user complete, 4 of 8',
    graph: tiny,
    spec: { type: 'user-complete', p: 0.5 },
    mappings: [{ kind: 'full' }],
    method: 'enumeration',
  },
  {
    label: 'paired clusters, 6 clusters',
    graph: twelve,
    spec: { type: 'cluster', p: 0.5, clustering: { method: 'blocks' }, assignment: 'paired' },
    mappings: [{ kind: 'full' }],
    method: 'enumeration',
  },
  {
    label: 'overlapping threads, 6 threads',
    graph: tiny,
    spec: { type: 'thread', p: 0.5 },
    mappings: [{ kind: 'thread-full' }, { kind: 'full' }],
    method: 'enumeration',
  },
  {
    label: 'cluster Bernoulli, 72 users in 8 clusters',
    graph: ring72,
    spec: { type: 'cluster', p: 0.3, clustering: { method: 'blocks' } },
    mappings: [{ kind: 'full' }],
    method: 'closed form',
  },
  {
    label: 'cluster complete, 4 of 8 clusters, 72 users',
    graph: ring72,
    spec: { type: 'cluster', p: 0.5, clustering: { method: 'blocks' }, assignment: 'complete' },
    mappings: [{ kind: 'full' }, { kind: 'thread-full' }],
    method: 'closed form',
  },
  {
    label: 'paired clusters, 72 users in 8 clusters',
    graph: ring72,
    spec: { type: 'cluster', p: 0.5, clustering: { method: 'blocks' }, assignment: 'paired' },
    mappings: [{ kind: 'full' }],
    method: 'closed form',
  },
];

describe('exact Var(HT) equals the variance over every assignment', () => {
  for (const c of cases) {
    for (const m of c.mappings) {
      it(`${c.label}, ${exposureMapping(m).key}`, () => {
        const r = enumerateHT(c.graph, c.spec, m);
        expect(r.pr.method).toBe(c.method);
        expect(r.mass).toBeCloseTo(1, 12);
        const x = moments(r, c.graph, m);
        expect(r.variance).toBeGreaterThan(0);
        expect(rel(x.variance, r.variance)).toBeLessThan(1e-9);
        expect(Math.abs(x.mean - r.mean)).toBeLessThan(1e-9 * (1 + Math.abs(r.mean)));
        expect(rel(x.asExpectation, r.meanAS)).toBeLessThan(1e-9);
        // Aronow–Samii is conservative in expectation, here strictly
        expect(x.asExpectation).toBeGreaterThan(x.variance);
        expect(x.youngBounds).toBeGreaterThan(0);
      });
    }
  }
});

describe('what the exact variance is made of', () => {
  it('complete randomization: the pairs sharing no unit matter, and are added', () => {
    const m: MappingSpec = { kind: 'full' };
    const r = enumerateHT(ring72, cases[6]!.spec, m);
    const x = moments(r, ring72, m);
    // the listed pairs alone miss the negative covariances of pairs in different clusters
    expect(rel(x.listedVariance, r.variance)).toBeGreaterThan(0.05);
    expect(x.completeCovariance).toBeLessThan(0);
    expect(rel(x.variance, r.variance)).toBeLessThan(1e-9);
  });

  for (const treated of [3, 62]) {
    it(`user complete with more than 64 users, ${treated} of 65 treated: closed form, every unlisted pair corrected`, () => {
      // 65 users: 20 isolated, 15 edges, 5 triangles; C(65, 3) = 43,680 assignments
      const edges: [number, number][] = [];
      for (let e = 0; e < 15; e++) edges.push([20 + 2 * e, 21 + 2 * e]);
      for (let t = 0; t < 5; t++) edges.push([50 + 3 * t, 51 + 3 * t], [51 + 3 * t, 52 + 3 * t], [52 + 3 * t, 50 + 3 * t]);
      const graph = fromEdgeList(65, edges);
      const m: MappingSpec = { kind: 'full' };
      const r = enumerateHT(graph, { type: 'user-complete', p: treated / 65 }, m);
      expect(r.pr.method).toBe('closed form');
      const x = moments(r, graph, m);
      expect(x.excluded1 + x.excluded0).toBe(0); // triangles: 3 users, 3 in each world
      expect(rel(x.listedVariance, r.variance)).toBeGreaterThan(1e-4); // small, but 10⁵ times the tolerance
      expect(rel(x.variance, r.variance)).toBeLessThan(1e-9);
      expect(rel(x.asExpectation, r.meanAS)).toBeLessThan(1e-9);
    });
  }

  it('paired clusters: users with no chance of a world are left out, and E[HT] misses their share', () => {
    const m: MappingSpec = { kind: 'full' };
    const r = enumerateHT(twelve, cases[3]!.spec, m);
    const x = moments(r, twelve, m);
    // count them independently: a user whose closed neighbourhood meets both clusters of a pair
    const partner = (schemeOf(r.design) as { partner: Int32Array }).partner;
    const labels = twelve.blocks!;
    let stuck = 0;
    for (let i = 0; i < 12; i++) {
      const mine = new Set([
        labels[i]!,
        ...Array.from(twelve.csr.nbrs.subarray(twelve.csr.offsets[i]!, twelve.csr.offsets[i + 1]!), (j) => labels[j]!),
      ]);
      if ([...mine].some((c) => mine.has(partner[c]!))) stuck++;
    }
    expect(stuck).toBeGreaterThan(0);
    expect(x.excluded1).toBe(stuck);
    expect(x.excluded0).toBe(stuck);
    expect(Math.abs(x.mean - x.globalEffect)).toBeGreaterThan(0.01);
    expect(Math.abs(x.mean - r.mean)).toBeLessThan(1e-12);
  });

  it('E[HT] is the global effect when everyone can reach both worlds', () => {
    const m: MappingSpec = { kind: 'full' };
    const r = enumerateHT(tiny, cases[0]!.spec, m);
    const x = moments(r, tiny, m);
    expect(x.excluded1 + x.excluded0).toBe(0);
    expect(x.mean).toBeCloseTo(x.globalEffect, 12);
  });

  it('a wrong joint probability is caught by the enumeration (the check can fail)', () => {
    const m: MappingSpec = { kind: 'full' };
    const r = enumerateHT(tiny, cases[1]!.spec, m);
    const pairs = r.pr.pairs!;
    // perturb one pair of users that can be treated together
    const k = pairs.p11.findIndex((v) => v > 0);
    const p11 = Float64Array.from(pairs.p11);
    p11[k] = p11[k]! * 1.01;
    const x = htMoments({ ...r.pr, pairs: { ...pairs, p11 } }, r.y1, r.y0);
    expect(rel(x.variance, r.variance)).toBeGreaterThan(1e-6);
  });
});
