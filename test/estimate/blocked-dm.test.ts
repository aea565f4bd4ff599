// The blocked difference in means (estimatr's difference_in_means with
// blocks, and with blocks of clusters): its estimate and variance against
// hand-written formulas on fixed numbers, unbiasedness by exact enumeration
// of every assignment (no interference, effects that differ by block), and
// coverage in simulated scenarios.
import { describe, expect, it } from 'vitest';
import { createDesign, type Design, type DesignSpec } from '../../src/design/index.js';
import { assignments } from '../../src/estimate/exposure/enumerate.js';
import { getEstimator } from '../../src/estimate/index.js';
import { differenceInMeans } from '../../src/estimate/dm.js';
import type { Estimate, RepData } from '../../src/estimate/estimator.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { stream } from '../../src/random/streams.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import { fromEdgeList } from '../helpers/graphs.js';

const blockedDm = getEstimator('blocked-dm');

/** A path over n users (edges do not matter here), with generator blocks and attributes. */
function graph(blocks: number[], attributes?: Record<string, number[]>): SocialGraph {
  const n = blocks.length;
  const g = fromEdgeList(
    n,
    Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]),
    blocks,
  );
  return attributes ? { ...g, attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, Float64Array.from(v)])) } : g;
}
const make = (g: SocialGraph, spec: DesignSpec): Design => createDesign({ graph: g, rng: (p) => stream(1, p) }, spec);

function run(
  design: Design,
  g: SocialGraph,
  unitZ: ArrayLike<number>,
  y: ArrayLike<number>,
  den: ArrayLike<number> | null = null,
): Estimate {
  const z = Uint8Array.from(unitZ);
  const dose = new Float64Array(g.csr.n);
  for (let i = 0; i < dose.length; i++) dose[i] = z[design.units.list[i]!]!;
  const rep: RepData = { dose, unitZ: z, y: Float64Array.from(y), den: den ? Float64Array.from(den) : null, memo: new Map() };
  return blockedDm.prepare({ graph: g, design })(rep);
}

describe('blocked difference in means: fixed numbers', () => {
  it('users in two blocks: Σ w_b (ȳ1b − ȳ0b) and Σ w_b² (s1b²/n1b + s0b²/n0b), df = n − 2B', () => {
    const g = graph([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const d = make(g, { type: 'block', p: 0.5, blocks: { labels: true } });
    const y = [1, 2, 4, 3, 7, 2, 5, 1, 8, 6, 4];
    const z = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0];
    // block A: treated 1, 2 (mean 3/2, s² 1/2); control 4, 3, 7 (mean 14/3, s² 13/3)
    // block B: treated 2, 5, 1 (mean 8/3, s² 13/3); control 8, 6, 4 (mean 6, s² 4)
    const wA = 5 / 11,
      wB = 6 / 11;
    const e = run(d, g, z, y);
    expect(e.estimate).toBeCloseTo(wA * (3 / 2 - 14 / 3) + wB * (8 / 3 - 6), 12);
    expect(e.se ** 2).toBeCloseTo(wA ** 2 * (1 / 2 / 2 + 13 / 3 / 3) + wB ** 2 * (13 / 3 / 3 + 4 / 3), 12);
    expect(e.df).toBe(7);
  });

  it('clusters in two blocks: cluster totals within blocks, c/(c−1) Σ (Y_k − m U_k)² / U², df = clusters − 2B', () => {
    // clusters c0 = {0}, c1 = {1, 2}, c2 = {3}, c3 = {4, 5} in block 0; c4 = {6, 7}, c5 = {8}, c6 = {9}, c7 = {10, 11} in block 1
    const g = graph([0, 1, 1, 2, 3, 3, 4, 4, 5, 6, 7, 7], { b: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] });
    const d = make(g, { type: 'block', p: 0.5, blocks: { attribute: 'b' }, clustering: { method: 'blocks' } });
    expect(d.units.count).toBe(8);
    const y = [3, 1, 2, 4, 0, 5, 2, 2, 7, 1, 3, 6];
    const z = [1, 1, 0, 0, 1, 0, 1, 0];
    // block 0 treated: Y 3, 3 over U 1, 2: m = 2, residuals 1, −1: V = 2 · 2 / 3²; control: Y 4, 5 over 1, 2: m = 3, V = 4/9
    // block 1 treated: Y 4, 1 over 2, 1: m = 5/3, residuals ±2/3: V = 2 · (8/9) / 9; control: Y 7, 9 over 1, 2: m = 16/3, residuals ±5/3: V = 2 · (50/9) / 9
    const e = run(d, g, z, y);
    expect(e.estimate).toBeCloseTo(0.5 * (2 - 3) + 0.5 * (5 / 3 - 16 / 3), 12);
    expect(e.se ** 2).toBeCloseTo(0.25 * (4 / 9 + 4 / 9) + 0.25 * (16 / 81 + 100 / 81), 12);
    expect(e.df).toBe(4);
  });

  it('clusters of one user give the user formula; a ratio metric in one block is Σ num / Σ den per arm', () => {
    const g = graph([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], { id: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], b: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] });
    const users = make(g, { type: 'block', p: 0.5, blocks: { labels: true } });
    const ones = make(g, { type: 'block', p: 0.5, blocks: { attribute: 'b' }, clustering: { method: 'attribute', attribute: 'id' } });
    const y = [1, 2, 4, 3, 7, 2, 5, 1, 8, 6, 4];
    const z = [1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0];
    const a = run(users, g, z, y);
    const b = run(ones, g, z, y);
    expect(b.estimate).toBeCloseTo(a.estimate, 12);
    expect(b.se).toBeCloseTo(a.se, 12);
    // den ≡ 2 halves the estimate and the SE
    const half = run(
      users,
      g,
      z,
      y,
      y.map(() => 2),
    );
    expect(half.estimate).toBeCloseTo(a.estimate / 2, 12);
    expect(half.se).toBeCloseTo(a.se / 2, 12);
    // one block: the ratio of sums in each arm, as dm computes it
    const one = graph(new Array(8).fill(0));
    const d1 = make(one, { type: 'block', p: 0.5, blocks: { labels: true } });
    const zz = [1, 0, 1, 0, 1, 1, 0, 0];
    const yy = [3, 1, 4, 1, 5, 9, 2, 6];
    const den = [1, 2, 2, 1, 3, 2, 1, 2];
    const dm = differenceInMeans.prepare({ graph: one, design: d1 })({
      dose: Float64Array.from(zz),
      unitZ: Uint8Array.from(zz),
      y: Float64Array.from(yy),
      den: Float64Array.from(den),
      memo: new Map(),
    });
    expect(run(d1, one, zz, yy, den).estimate).toBeCloseTo(dm.estimate, 12);
    expect(run(d1, one, zz, yy, den).estimate).toBeCloseTo((3 + 4 + 5 + 9) / (1 + 2 + 3 + 2) - (1 + 1 + 2 + 6) / (2 + 1 + 1 + 2), 12);
  });

  it('undefined when a block has fewer than two units in an arm; applies only to blocked designs', () => {
    const g = graph([0, 0, 0, 1, 1, 1, 1]);
    const d = make(g, { type: 'block', p: 0.5, blocks: { labels: true } });
    const e = run(d, g, [1, 0, 0, 1, 1, 0, 0], [1, 2, 3, 4, 5, 6, 7]);
    expect(e.estimate).toBeNaN();
    expect(e.reason).toBe('block-arm-units');
    expect(blockedDm.notApplicable(d)).toBeNull();
    expect(blockedDm.notApplicable(make(g, { type: 'user-complete', p: 0.5 }))).toBe('the design is not blocked');
    expect(blockedDm.notApplicable(make(g, { type: 'cluster', p: 0.5, clustering: { method: 'blocks' }, assignment: 'paired' }))).toBe(
      'the design is not blocked',
    );
  });
});

describe('blocked difference in means: unbiased over every assignment (no interference, effects differing by block)', () => {
  /** E[estimate] and E[SE²] over the design, Var(estimate), and the truth mean(y1 − y0). */
  function exact(d: Design, g: SocialGraph, y0: number[], tau: number[], blockOf: (i: number) => number) {
    const y1 = y0.map((v, i) => v + tau[blockOf(i)]!);
    const truth = y1.reduce((s, v, i) => s + v - y0[i]!, 0) / y0.length;
    let mean = 0,
      meanV = 0,
      second = 0,
      total = 0;
    for (const [z, pr] of assignments(d)) {
      const y = y0.map((v, i) => (z[d.units.list[i]!] ? y1[i]! : v));
      const e = run(d, g, z, y);
      expect(e.estimate).not.toBeNaN();
      ((mean += pr * e.estimate), (second += pr * e.estimate ** 2), (meanV += pr * e.se ** 2), (total += pr));
    }
    return { total, mean, truth, variance: second - mean * mean, meanV };
  }

  it("users in blocks of 4, 5 and 4 (the middle one treats 2 or 3 by randomizr's rule)", () => {
    const blocks = [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2];
    const g = graph(blocks);
    const d = make(g, { type: 'block', p: 0.5, blocks: { labels: true } });
    const y0 = [0.3, 1.2, -0.7, 2.5, 4.1, 3.3, 5.0, 2.2, 4.4, -1.0, 0.1, -2.3, 0.8];
    const r = exact(d, g, y0, [1, -2, 3.5], (i) => blocks[i]!);
    expect(r.total).toBeCloseTo(1, 12);
    expect(r.mean).toBeCloseTo(r.truth, 12);
    // Neyman's variance is conservative, and exact in expectation when effects are constant within blocks, as here
    expect(r.meanV).toBeCloseTo(r.variance, 12);
  });

  it('clusters of two users in size blocks of 4 clusters', () => {
    const n = 24;
    const g = graph(Array.from({ length: n }, (_, i) => Math.floor(i / 2)));
    const d = make(g, { type: 'block', p: 0.5, blocks: { clusterSize: 4 }, clustering: { method: 'blocks' } });
    expect(d.units.count).toBe(12);
    const y0 = Array.from({ length: n }, (_, i) => Math.sin(3 * i) + (i % 5));
    // equal sizes, ties by index: clusters 0-3, 4-7, 8-11 are the blocks
    const r = exact(d, g, y0, [2, -1, 0.5], (i) => Math.floor(i / 8));
    expect(r.total).toBeCloseTo(1, 12);
    expect(r.mean).toBeCloseTo(r.truth, 12);
    expect(r.meanV).toBeCloseTo(r.variance, 12);
  });
});

describe('blocked difference in means: coverage in simulated scenarios (no interference)', { timeout: 60_000 }, () => {
  const R = 1500;
  const scenario = (design: object) =>
    parseScenario({
      seed: 11,
      replications: R,
      graph: { generator: 'sbm', blocks: 20, blockSize: 10, pIn: 0.3, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.5, gamma: 0, sigma: 1, homophily: 0.5 },
      designs: [design],
      estimators: ['blocked-dm'],
    });
  it.each([
    ['users in the generator blocks', { type: 'block', name: 'b', p: 0.5, blocks: { labels: true } }],
    [
      'generator blocks as clusters, 4 to a block',
      { type: 'block', name: 'b', p: 0.5, blocks: { clusterSize: 4 }, clustering: { method: 'blocks' } },
    ],
  ])('%s: 95% intervals cover within 4 MC SE', (_, design) => {
    const d = runSerial(scenario(design)).results.diagnosis.find((x) => x.estimator === 'blocked-dm')!;
    expect(d.undefinedShare ?? 0).toBe(0);
    expect(Math.abs(d.coverage! - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / R));
  });
});
