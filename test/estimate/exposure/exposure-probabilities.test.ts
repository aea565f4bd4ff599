// Exposure probabilities: closed forms equal exact enumeration on a tiny
// graph; Monte Carlo estimates (plain and RGCR's stratified, Rao–Blackwellised
// draws) agree with exact values within their own standard errors.
import { describe, expect, it } from 'vitest';
import { createDesign, type Design, type DesignSpec } from '../../../src/design/index.js';
import { closedJoints, closedMarginals } from '../../../src/estimate/exposure/closed-form.js';
import { enumerate } from '../../../src/estimate/exposure/enumerate.js';
import { exposureMapping, exposureProbabilities, type MappingSpec } from '../../../src/estimate/exposure/index.js';
import { monteCarlo } from '../../../src/estimate/exposure/monte-carlo.js';
import { unitSets } from '../../../src/estimate/exposure/sets.js';
import { oneHopMax } from '../../../src/design/nets.js';
import { distances, netBySeed, permutations, seedsInVisitOrder } from '../../helpers/rnet.js';
import type { CSR, SocialGraph } from '../../../src/graph/csr.js';
import { torus } from '../../../src/graph/generators/torus.js';
import { stream } from '../../../src/random/streams.js';
import { fromEdgeList, nineNodes } from '../../helpers/graphs.js';
import { schemeOf } from '../../helpers/designs.js';

const tiny: SocialGraph = nineNodes();
const make = (graph: SocialGraph, spec: DesignSpec): Design => createDesign({ graph, rng: (p) => stream(1, p) }, spec);

const designs: DesignSpec[] = [
  { type: 'user-bernoulli', p: 0.3 },
  { type: 'user-complete', p: 0.45 },
  { type: 'cluster', p: 0.6, clustering: { method: 'blocks' } },
  { type: 'cluster', p: 0.5, clustering: { method: 'blocks' }, assignment: 'complete' },
  { type: 'cluster', p: 0.5, clustering: { method: 'blocks' }, assignment: 'paired' },
  { type: 'thread', p: 0.5 },
];
const mappings: MappingSpec[] = [{ kind: 'full' }, { kind: 'thread-full' }, { kind: 'fractional', q: 0.5 }, { kind: 'fractional', q: 0.7 }];

describe('closed forms equal exact enumeration', () => {
  for (const spec of designs) {
    for (const m of mappings) {
      const design = make(tiny, spec);
      const mapping = exposureMapping(m);
      const closed = m.kind !== 'fractional' || (design.units.partition && schemeOf(design).kind === 'bernoulli');
      if (!closed) continue;
      it(`${spec.type}${'assignment' in spec ? `/${spec.assignment}` : ''} under ${mapping.key}`, () => {
        const ex = enumerate(tiny.csr, design, mapping);
        const cf = closedMarginals(tiny.csr, design.units, schemeOf(design), mapping);
        for (let i = 0; i < 9; i++) {
          expect(cf.p1[i]).toBeCloseTo(ex.p1[i]!, 12);
          expect(cf.p0[i]).toBeCloseTo(ex.p0[i]!, 12);
        }
        const joint = closedJoints(tiny.csr, design.units, schemeOf(design), mapping, ex.pairs);
        if (m.kind === 'fractional') return expect(joint).toBeNull();
        for (const key of ['p11', 'p00', 'p10', 'p01'] as const) {
          for (let k = 0; k < ex.pairs.other.length; k++) expect(joint![key][k]).toBeCloseTo(ex.joint[key][k]!, 12);
        }
      });
    }
  }
});

describe('joint probabilities from shared-unit counts equal those from set unions', () => {
  const g = torus({ side: 9, radius: 1, longRangeMean: 1, exponent: 2, tail: 2.5 }, stream(2, 'g'));
  for (const assignment of ['bernoulli', 'complete'] as const) {
    for (const m of [{ kind: 'full' }, { kind: 'thread-full' }] as MappingSpec[]) {
      it(`${assignment}, ${exposureMapping(m).key}`, () => {
        const design = make(g, { type: 'cluster', p: 0.4, clustering: { method: 'one-hop-max' }, assignment });
        const mapping = exposureMapping(m);
        const fast = exposureProbabilities(g.csr, design, mapping, { joint: true, draws: 0, batches: 2, seed: 1 }).pairs!;
        expect(fast.shared).toBeDefined();
        const slow = closedJoints(
          g.csr,
          design.units,
          schemeOf(design),
          mapping,
          { offsets: fast.offsets, other: fast.other },
          unitSets(g.csr, design.units, mapping.scope),
        )!;
        for (const key of ['p11', 'p00', 'p10', 'p01'] as const)
          for (let k = 0; k < fast.other.length; k++) expect(fast[key][k]).toBeCloseTo(slow[key][k]!, 14);
      });
    }
  }
});

/** z-scores of estimates against exact values; a zero standard error must come with an exact estimate. */
function zScores(est: Float64Array, se: Float64Array, exact: Float64Array): number[] {
  const z: number[] = [];
  for (let i = 0; i < est.length; i++) {
    if (se[i]! > 0) z.push((est[i]! - exact[i]!) / se[i]!);
    else expect(est[i]).toBeCloseTo(exact[i]!, 12);
  }
  return z;
}
const meanSq = (z: number[]) => z.reduce((s, x) => s + x * x, 0) / z.length;

describe('Monte Carlo agrees with exact probabilities within sampling error', () => {
  const g = torus({ side: 10, radius: 1, longRangeMean: 0.5, exponent: 2, tail: 2.5 }, stream(3, 'g'));
  it('fixed 3-net clusters: marginals and joints', () => {
    const design = make(g, { type: 'cluster', p: 0.5, clustering: { method: 'net', radius: 3 } });
    const mapping = exposureMapping({ kind: 'full' });
    const exact = exposureProbabilities(g.csr, design, mapping, { joint: true, draws: 0, batches: 2, seed: 1 });
    expect(exact.method).toBe('closed form');
    const mc = monteCarlo(g.csr, design, mapping, { draws: 4000, batches: 20, seed: 9, marginals: true, pairs: exact.pairs });
    const z = [...zScores(mc.p1!, mc.se1!, exact.p1), ...zScores(mc.p0!, mc.se0!, exact.p0)];
    expect(z.length).toBeGreaterThan(180);
    // batch-means z has about t(19) tails: E z² = 19/17; 200 values give SE ~0.12
    expect(meanSq(z)).toBeGreaterThan(0.7);
    expect(meanSq(z)).toBeLessThan(1.6);
    expect(Math.max(...z.map(Math.abs))).toBeLessThan(5);
    // joints: binomial standard errors
    const p = exact.pairs!;
    const zj: number[] = [];
    for (let k = 0; k < p.other.length; k++) {
      const q = p.p11[k]!;
      if (q > 0.01) zj.push((mc.joint!.p11[k]! - q) / Math.sqrt((q * (1 - q)) / 4000));
    }
    expect(zj.length).toBeGreaterThan(100);
    // pairs overlap, so their z's are correlated: bound the worst one and the average drift
    expect(Math.max(...zj.map(Math.abs))).toBeLessThan(5);
    expect(Math.abs(zj.reduce((s, x) => s + x, 0) / zj.length)).toBeLessThan(1);
  });

  it('RGCR: stratified Monte Carlo matches probabilities averaged over every priority order', () => {
    // 7 nodes: every one of the 7! orders is enumerable
    const small = fromEdgeList(7, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
      [6, 0],
      [1, 4],
      [2, 5],
    ]);
    for (const clustering of [{ method: 'one-hop-max' as const }, { method: 'net' as const, radius: 3 }]) {
      const design = make(small, { type: 'rgcr', p: 0.5, clustering });
      const exact = byPermutation(small.csr, clustering.method === 'net' ? 'net' : '1hm', 0.5);
      const mc = monteCarlo(small.csr, design, exposureMapping({ kind: 'full' }), {
        draws: 2000,
        batches: 20,
        seed: 4,
        marginals: true,
        pairs: null,
      });
      const z = [...zScores(mc.p1!, mc.se1!, exact), ...zScores(mc.p0!, mc.se0!, exact)];
      expect(z.length).toBeGreaterThan(8);
      expect(Math.max(...z.map(Math.abs))).toBeLessThan(4);
    }
  });
});

/**
 * Exact RGCR P(fully treated) at p: average of p^(clusters touching N[i]) over
 * all priority orders (and, for the 3-net, all orderings of its seeds, which
 * break ties), with the clusterings built from their definition.
 */
function byPermutation(g: CSR, method: 'net' | '1hm', p: number): Float64Array {
  const n = g.n;
  const out = new Float64Array(n);
  const dist = distances(g);
  const visits = permutations([...Array(n).keys()]);
  for (const visit of visits) {
    const pr = Float64Array.from({ length: n }, (_, v) => 1 - visit.indexOf(v) / n);
    const seeds = method === 'net' ? seedsInVisitOrder(dist, 3, visit) : [];
    const clusterings =
      method === 'net' ? permutations(seeds).map((o) => Int32Array.from(netBySeed(dist, seeds, o))) : [oneHopMax(g, pr).labels];
    for (const labels of clusterings) {
      for (let i = 0; i < n; i++) {
        const s = new Set([labels[i]]);
        for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) s.add(labels[g.nbrs[e]!]);
        out[i]! += p ** s.size / visits.length / clusterings.length;
      }
    }
  }
  return out;
}
