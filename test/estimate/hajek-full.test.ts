// Hajek under full-neighbourhood exposure on designs with fixed units keeps
// Aronow–Samii: the sandwich over users whose neighbourhood unit sets
// intersect is not conservative when those sets overlap (the pair matrix
// is not positive semi-definite; test/estimate/hajek-overlap.test.ts shows
// 88% coverage), so the valid, wider interval stays. Own-unit exposure on
// clusters (a partition) uses the sandwich, each user centred at the mean of
// its world's users independent of it: 95% coverage up to Monte Carlo error.
// Also: a world decided by one unit, a world no one can reach, and a
// negative variance each make the replication undefined, with their reason.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { buildPlan } from '../../src/sim/plan.js';
import { replicator, type Row } from '../../src/sim/replicate.js';
import { diagnose, type Diagnosis } from '../../src/sim/summary.js';
import { createDesign, doseOf, type Design } from '../../src/design/index.js';
import { ipwEstimator } from '../../src/estimate/horvitz-thompson.js';
import { EXPOSURE_FLOOR, withVariance } from '../../src/estimate/estimator.js';
import { overlapRobustDM } from '../../src/estimate/overlap-robust.js';
import { unitRobustVariance } from '../../src/estimate/unit-robust.js';
import { unitCounts, weightedSlope } from '../../src/estimate/dm.js';
import { fromEdgeList } from '../helpers/graphs.js';

function rowsOf(input: Record<string, unknown>): Row[] {
  const scenario = parseScenario(input);
  const rep = replicator(buildPlan(scenario));
  const rows: Row[] = [];
  for (let r = 0; r < scenario.replications; r++) rows.push(...rep(r));
  return rows;
}
const band = (d: Diagnosis) => 4 * Math.sqrt((0.95 * 0.05) / (d.replications * (1 - d.undefinedShare)));

describe('Hajek, full-neighbourhood exposure on clusters: Aronow–Samii, conservative', () => {
  const R = 1000;
  // 60 blocks of 40 with about 1.2 friends outside one's block: most users'
  // neighbourhoods touch one or two clusters
  const graph = { generator: 'sbm', blocks: 60, blockSize: 40, pIn: 0.2, pOut: 0.0005 };
  // fractional exposure with q = 1 gives the same worlds and probabilities, and always used Aronow–Samii
  const estimators = ['hajek', { estimator: 'hajek', name: 'aronow-samii', exposure: { kind: 'fractional', q: 1 } }];
  const cases = [
    [
      'linear-in-means without interference, correlated friends',
      { type: 'linear-in-means', beta: 0.3, gamma: 0, sigma: 1, homophily: 0.5 },
    ],
    ['Ugander–Yin (interference, the mapping exactly right)', { type: 'ugander-yin', a: 1, b: 0.5, sigma: 0.1, tau: 0.5 }],
  ] as const;
  for (const [label, model] of cases) {
    it(`${label}: the Aronow–Samii interval, covering at least 95% within 4 MC SE`, () => {
      const rows = rowsOf({
        seed: 5,
        replications: R,
        graph,
        model,
        designs: [{ type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } }],
        estimators,
      });
      const hajek = rows.filter((r) => r.estimator === 'hajek');
      const as = rows.filter((r) => r.estimator === 'aronow-samii');
      hajek.forEach((h, k) => {
        expect(h.estimate).toBeCloseTo(as[k]!.estimate!, 12);
      });
      // the same variance formula (fractional joints are Monte Carlo, full ones exact): mean SEs within 2%
      const d = diagnose(rows);
      const h = d.find((x) => x.estimator === 'hajek')!;
      expect(Math.abs(h.meanSE! / d.find((x) => x.estimator === 'aronow-samii')!.meanSE! - 1)).toBeLessThan(0.02);
      expect(Math.abs(h.bias!)).toBeLessThan(4 * h.biasSE!);
      expect(h.coverage!).toBeGreaterThan(0.95 - band(h));
    }, 120_000);
  }
});

describe('Hajek, own-unit exposure, 12 clusters at p = 0.15', () => {
  // About 30% of draws treat a single cluster: all the treated world is one
  // unit, its contributions sum to 0 and the old variance claimed that
  // world's mean was known (72% coverage over 4,000 replications).
  const R = 4000;
  const rows = rowsOf({
    seed: 12,
    replications: R,
    graph: { generator: 'sbm', blocks: 12, blockSize: 50, pIn: 0.2, pOut: 0.0005 },
    model: { type: 'linear-in-means', beta: 0.3, gamma: 0, sigma: 1, homophily: 0.5 },
    designs: [{ type: 'cluster', name: 'blocks', p: 0.15, clustering: { method: 'blocks' } }],
    estimators: ['cluster-dm', { estimator: 'hajek', exposure: { kind: 'thread-full' } }],
  });
  const hajek = rows.filter((r) => r.estimator === 'hajek:thread-full');
  const cdm = rows.filter((r) => r.estimator === 'cluster-dm');

  it('is undefined exactly when an arm has fewer than two clusters (as cluster-dm), saying why', () => {
    hajek.forEach((h, k) => expect(h.estimate === null).toBe(cdm[k]!.estimate === null));
    const one = hajek.filter((h) => h.reason === 'treated-units').length;
    const none = hajek.filter((h) => h.reason === 'treated-users').length;
    expect(one + none).toBe(cdm.filter((r) => r.estimate === null).length);
    // P(exactly one of 12 treated) = 12 * 0.15 * 0.85^11 = 0.301
    const p1 = 12 * 0.15 * 0.85 ** 11;
    expect(Math.abs(one / R - p1)).toBeLessThan(4 * Math.sqrt((p1 * (1 - p1)) / R));
  });

  it('covers 95% within 4 MC SE where defined (94.7%), with per-world degrees of freedom', () => {
    const d = diagnose(rows).find((x) => x.estimator === 'hajek:thread-full')!;
    expect(Math.abs(d.coverage! - 0.95)).toBeLessThan(band(d));
    // with two treated clusters the treated world's variance has about one degree of freedom
    expect(Math.min(...hajek.filter((h) => h.df !== null).map((h) => h.df!))).toBeLessThan(3);
  });
});

describe('a world no one can reach', () => {
  // a complete graph of 40 users, user-level design: a user's whole
  // neighbourhood is everyone, P(all treated) = p^40
  const n = 40;
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) edges.push([i, j]);
  const graph = fromEdgeList(n, edges);
  const y = Float64Array.from({ length: n }, (_, i) => i % 3);
  for (const [p, reason] of [
    [0.5, 'treated-unreachable'],
    [0.9, 'control-unreachable'],
  ] as const) {
    it(`p = ${p}: HT and Hajek undefined in every replication, ${reason}`, () => {
      const design = createDesign({ graph, rng: () => () => 0.5 }, { type: 'user-bernoulli', name: 'user', p });
      expect(Math.min(p, 1 - p) ** n).toBeLessThan(EXPOSURE_FLOOR);
      for (const kind of ['ht', 'hajek'] as const) {
        const run = ipwEstimator(kind).prepare({ graph, design, seed: 1, cache: new Map() });
        // even the assignment where everyone is treated (or no one is)
        for (const all of [0, 1]) {
          const z = new Uint8Array(n).fill(all);
          const e = run({ dose: doseOf(design.units, z, new Float64Array(n)), unitZ: z, y, den: null, memo: new Map() });
          expect(e.estimate).toBeNaN();
          expect(e.reason).toBe(reason);
        }
      }
    });
  }
});

describe('a negative variance is undefined, never an interval of width 0', () => {
  it('withVariance', () => {
    expect(withVariance(1, 4, 3)).toEqual({ estimate: 1, se: 2, df: 3 });
    expect(withVariance(1, -1e-12, 3).reason).toBe('negative-variance');
    expect(withVariance(1, NaN, 3).reason).toBe('variance-not-finite');
    expect(withVariance(1, Infinity, 3).reason).toBe('variance-not-finite');
    expect(withVariance(1, 0, 3).se).toBe(0);
  });

  it('the thread-level difference in means: a draw whose overlap-robust variance is negative is undefined', () => {
    // threads overlapping in a chain, each user in two consecutive threads, plus users in one
    const G = 8;
    const sets: number[][] = [];
    for (let t = 0; t + 1 < G; t++) sets.push([t, t + 1], [t, t + 1], [t]);
    const n = sets.length;
    const offsets = new Uint32Array(n + 1);
    sets.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
    const units = { count: G, offsets, list: Uint32Array.from(sets.flat()), partition: false };
    const design = {
      name: 't',
      type: 'thread',
      p: 0.5,
      scheme: { kind: 'bernoulli', p: 0.5 },
      units,
      drawUnits: () => null,
    } as unknown as Design;
    const run = overlapRobustDM(design);
    const variance = unitRobustVariance(units)!;
    const k = unitCounts(design);
    let seed = 3;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let negative = 0;
    for (let draw = 0; draw < 400; draw++) {
      const z = Uint8Array.from({ length: G }, () => (rnd() < 0.5 ? 1 : 0));
      const dose = doseOf(units, z, new Float64Array(n));
      const y = Float64Array.from({ length: n }, () => 3 * (rnd() - 0.5));
      const psi = new Float64Array(n);
      const slope = weightedSlope(dose, y, null, k, psi);
      const e = run({ dose, unitZ: z, y, den: null, memo: new Map() });
      if (!Number.isFinite(slope.estimate) || z.reduce((s, v) => s + v, 0) < 2 || z.reduce((s, v) => s + v, 0) > G - 2) continue;
      const v = variance(psi);
      if (v < 0) {
        negative++;
        expect(e.estimate).toBeNaN();
        expect(e.reason).toBe('negative-variance');
      } else {
        expect(e.estimate).toBeCloseTo(slope.estimate, 12);
        expect(e.se).toBeCloseTo(Math.sqrt(v), 12);
      }
    }
    expect(negative).toBeGreaterThan(0); // such draws exist, and were checked
  });
});
