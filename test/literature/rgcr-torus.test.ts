// Ugander & Yin (2023) on a small-world torus with their section 6.2
// response model: randomizing the clustering (RGCR) cuts the Hajek bias of
// a single fixed 3-net clustering, and mixing more fixed clusterings lowers
// the variance of Horvitz–Thompson. Also: the Aronow–Samii variance is
// conservative on average. Fixed seeds; margins in Monte Carlo SEs.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';
import type { Row } from '../../src/sim/replicate.js';

const R = 2000;
const scenario = parseScenario({
  seed: 7,
  replications: R,
  graph: { generator: 'torus', side: 20, radius: 1, longRangeMean: 1 },
  model: { type: 'ugander-yin', tau: 2 },
  designs: [
    { type: 'cluster', name: '3net', p: 0.5, clustering: { method: 'net', radius: 3 } },
    { type: 'rgcr', name: 'rgcr-3net', p: 0.5, clustering: { method: 'net', radius: 3 } },
    { type: 'rgcr', name: 'rgcr-1hm', p: 0.5, clustering: { method: 'one-hop-max' } },
    ...[1, 4, 16].map((k) => ({ type: 'mixture', name: `k${k}`, p: 0.5, clustering: { method: 'net', radius: 3 }, k })),
  ],
  estimators: ['ht', 'hajek'],
});
const { rows } = runSerial(scenario);

/** Bias, variance and their Monte Carlo SEs (variance SE from the fourth moment). */
function stats(design: string, estimator: string) {
  const all = rows.filter((x: Row) => x.design === design && x.estimator === estimator);
  // a replication whose variance estimate is negative is undefined (the fixed
  // 3-net's Hajek: 1 of 2,000); the rest are judged
  const r = all.filter((x) => x.estimate !== null);
  expect(all.length - r.length).toBeLessThanOrEqual(0.001 * all.length);
  expect(all.filter((x) => x.estimate === null).every((x) => x.reason === 'negative-variance')).toBe(true);
  const err = r.map((x) => x.estimate! - x.truth);
  const k = err.length;
  const bias = err.reduce((s, e) => s + e, 0) / k;
  const c = err.map((e) => e - bias);
  const v = c.reduce((s, e) => s + e * e, 0) / (k - 1);
  const m4 = c.reduce((s, e) => s + e ** 4, 0) / k;
  const meanV = r.reduce((s, x) => s + x.se! ** 2, 0) / k;
  const vv = r.map((x) => x.se! ** 2 - meanV);
  return {
    bias,
    biasSE: Math.sqrt(v / k),
    v,
    vSE: Math.sqrt((m4 - v * v) / k),
    meanV,
    meanVSE: Math.sqrt(vv.reduce((s, e) => s + e * e, 0) / (k - 1) / k),
  };
}

describe('RGCR against a fixed 3-net (Ugander & Yin 2023)', () => {
  const fixed = stats('3net', 'hajek');
  /** per-replication errors of a design, in replication order */
  const errors = (design: string) =>
    rows
      .filter((x: Row) => x.design === design && x.estimator === 'hajek')
      .sort((a, b) => a.rep - b.rep)
      .map((x) => (x.estimate === null ? NaN : x.estimate - x.truth));
  // How far a fixed 3-net's bias sits from RGCR's depends on which clustering
  // was drawn (seeds 7 and 8: gaps of 0.038 and 0.018 for the randomized
  // 3-net, 0.05 and 0.04 for 1-hop-max), so the randomized 3-net is held to
  // 2 SE and 1-hop-max, whose gap is large for every clustering tried, to 3.
  for (const [d, z] of [
    ['rgcr-3net', 2],
    ['rgcr-1hm', 3],
  ] as const) {
    it(`${d}: Hajek bias well below the fixed 3-net's`, () => {
      // designs share each replication's response draw (common random numbers),
      // so the gap in bias is judged on paired differences, oriented so that
      // a positive gap means RGCR is closer to the truth
      const sign = Math.sign(fixed.bias);
      const ef = errors('3net');
      const diffs = errors(d)
        .map((e, r) => sign * (ef[r]! - e))
        .filter(Number.isFinite); // pairs where both are defined
      const gap = diffs.reduce((s, x) => s + x, 0) / diffs.length;
      const gapSE = Math.sqrt(diffs.reduce((s, x) => s + (x - gap) ** 2, 0) / (diffs.length - 1) / diffs.length);
      // measured (seed 7): fixed -0.052 ± 0.011, rgcr-3net -0.014 ± 0.008, rgcr-1hm -0.001 ± 0.009
      expect(Math.abs(fixed.bias)).toBeGreaterThan(4 * fixed.biasSE); // the fixed design's bias is real
      expect(gap).toBeGreaterThan(z * gapSE);
    });
  }
});

describe('mixing K fixed clusterings', () => {
  it('HT variance falls as K grows: K = 1 > 4 > 16', () => {
    const [v1, v4, v16] = ['k1', 'k4', 'k16'].map((d) => stats(d, 'ht'));
    // measured: 8.8, 6.3, 4.3
    expect(v1!.v - v4!.v).toBeGreaterThan(2 * Math.hypot(v1!.vSE, v4!.vSE));
    expect(v4!.v - v16!.v).toBeGreaterThan(2 * Math.hypot(v4!.vSE, v16!.vSE));
  });
});

describe('Aronow–Samii variance', () => {
  for (const d of ['3net', 'k1']) {
    it(`${d}: on average at least the true variance of HT`, () => {
      const s = stats(d, 'ht');
      // conservative: E[V̂] >= Var, judged within 4 Monte Carlo SEs (measured ratio about 1.2)
      expect(s.meanV).toBeGreaterThan(s.v - 4 * Math.hypot(s.vSE, s.meanVSE));
    });
  }
});
