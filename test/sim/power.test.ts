// Analytic power: the ANOVA ICC recovers a known random-effects ICC, the
// design effect is the variance ratio it claims to be, and the SE handles
// arms without variance. Tolerances are 4 sampling SEs from closed forms;
// simulation against powerTable is in power-sim.test.ts.
import { describe, expect, it } from 'vitest';
import { analyticPower, clusterSummary, designEffect, drawnSE, icc, linearise, minimumDetectableEffect } from '../../src/sim/power.js';
import { normal, stream } from '../../src/random/streams.js';

/** Random-effects outcome y = u_c + e, Var u = rho, Var e = 1 - rho, for clusters of the given sizes. */
function randomEffects(sizes: number[], rho: number, seed: number) {
  const z = normal(stream(seed, 'icc'));
  const labels: number[] = [];
  const y: number[] = [];
  sizes.forEach((m, c) => {
    const u = Math.sqrt(rho) * z();
    for (let k = 0; k < m; k++) (labels.push(c), y.push(u + Math.sqrt(1 - rho) * z()));
  });
  return { y: Float64Array.from(y), labels: Int32Array.from(labels) };
}

/**
 * Fisher's large-sample SD of the ANOVA ICC for k clusters of size m,
 * sqrt(2(1-rho)²(1+(m-1)rho)² / (m(m-1)(k-1))); for unequal sizes, at the
 * ANOVA's m0 (an approximation, Donner 1986).
 */
const fisherSD = (rho: number, m: number, k: number) =>
  Math.sqrt((2 * (1 - rho) ** 2 * (1 + (m - 1) * rho) ** 2) / (m * (m - 1) * (k - 1)));

/** SD of the sample variance of normals with unit variance and within-cluster correlation rho: sqrt(2·tr(Σ²))/N. */
const varianceSD = (sizes: number[], rho: number) => {
  const N = sizes.reduce((s, m) => s + m, 0);
  return Math.sqrt(2 * sizes.reduce((s, m) => s + m * (1 + (m - 1) * rho * rho), 0)) / N;
};

describe('intra-cluster correlation', () => {
  const rho = 0.25;
  it('recovers rho from random cluster effects, equal sizes', () => {
    const sizes = Array.from({ length: 2000 }, () => 10);
    const { y, labels } = randomEffects(sizes, rho, 1);
    const r = icc(y, labels, sizes.length);
    expect(Math.abs(r.icc - rho)).toBeLessThan(4 * fisherSD(rho, 10, 2000));
    expect(Math.abs(r.variance - 1)).toBeLessThan(4 * varianceSD(sizes, rho));
  });
  it('recovers rho from random cluster effects, unequal sizes', () => {
    const sizes = Array.from({ length: 2000 }, (_, c) => 5 + (c % 11));
    const { y, labels } = randomEffects(sizes, rho, 2);
    const N = sizes.reduce((s, m) => s + m, 0);
    const m0 = (N - sizes.reduce((s, m) => s + m * m, 0) / N) / (sizes.length - 1);
    const r = icc(y, labels, sizes.length);
    expect(Math.abs(r.icc - rho)).toBeLessThan(4 * fisherSD(rho, m0, sizes.length));
    expect(Math.abs(r.variance - 1)).toBeLessThan(4 * varianceSD(sizes, rho));
  });
  it('is undefined for a constant outcome, whose arm then adds no variance', () => {
    const labels = Int32Array.from({ length: 400 }, (_, i) => i % 40);
    expect(icc(new Float64Array(400), labels, 40).icc).toBeNaN();
    // e.g. group story posts: none without the feature
    const { y } = randomEffects(
      Array.from({ length: 40 }, () => 10),
      rho,
      3,
    );
    const byCluster = Int32Array.from({ length: 400 }, (_, i) => Math.floor(i / 10));
    const a = drawnSE({ y0: [new Float64Array(400), new Float64Array(400)], y1: [y, y], labels: byCluster, count: 40, p: 0.5 });
    expect(a.control.icc).toBeNaN();
    expect(a.control.deff.unequal).toBe(1);
    const s = icc(y, byCluster, 40);
    expect(a.se).toBeCloseTo(Math.sqrt((s.variance * designEffect(s.icc, clusterSummary(byCluster, 40)).unequal) / 200), 12);
  });
});

describe('design effect', () => {
  it('unequal form: (cv² + 1)·mean size is the size-weighted mean size, and equals the equal form for equal sizes', () => {
    const equal = clusterSummary(
      Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)),
      10,
    );
    expect(equal.cv).toBe(0);
    const d = designEffect(0.1, equal);
    expect(d.unequal).toBeCloseTo(d.equal, 12);
    expect(d.equal).toBeCloseTo(1 + 9 * 0.1, 12);
    // sizes 6 and 2: mean 4, population SD 2, sum m² / N = 40 / 8 = 5
    const uneven = clusterSummary(Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1]), 2);
    expect(uneven.cv).toBeCloseTo(0.5, 12);
    expect(designEffect(0.1, uneven).unequal).toBeCloseTo(1 + (5 - 1) * 0.1, 12);
  });

  it('is the variance ratio of the cluster-randomized difference in means under random effects', () => {
    // Cluster totals of a random-effects outcome are N(0, m(1 + (m-1)rho)),
    // independent; clusters treated by Bernoulli(1/2); the difference in
    // means has SD sqrt(4·DE/N) to first order in 1/K.
    const rho = 0.05,
      K = 400,
      R = 10000;
    for (const sizes of [Array.from({ length: K }, () => 20), Array.from({ length: K }, (_, c) => 2 + ((7 * c) % 37))]) {
      const N = sizes.reduce((s, m) => s + m, 0);
      const labels = Int32Array.from(sizes.flatMap((m, c) => Array.from({ length: m }, () => c)));
      const de = designEffect(rho, clusterSummary(labels, K)).unequal;
      const z = normal(stream(4, 'de', sizes[1]!));
      const coin = stream(4, 'coin', sizes[1]!);
      const sd = sizes.map((m) => Math.sqrt(m * (1 + (m - 1) * rho)));
      let s = 0,
        ss = 0;
      for (let r = 0; r < R; r++) {
        let t1 = 0,
          n1 = 0,
          t0 = 0,
          n0 = 0;
        for (let c = 0; c < K; c++) {
          const t = sd[c]! * z();
          if (coin() < 0.5) ((t1 += t), (n1 += sizes[c]!));
          else ((t0 += t), (n0 += sizes[c]!));
        }
        const dm = t1 / n1 - t0 / n0;
        ((s += dm), (ss += dm * dm));
      }
      const simSD = Math.sqrt((ss - (s * s) / R) / (R - 1));
      const analytic = Math.sqrt((4 * de) / N);
      expect(Math.abs(simSD - analytic)).toBeLessThan(4 * (analytic / Math.sqrt(2 * (R - 1))));
    }
  });
});

describe('ratio linearisation', () => {
  it('has mean 0 and is num - R·den over the mean denominator', () => {
    const num = [3, 0, 5, 2],
      den = [2, 1, 4, 1];
    const y = linearise(num, den);
    const R = 10 / 8;
    expect(y.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    y.forEach((v, i) => expect(v).toBeCloseTo((num[i]! - R * den[i]!) / 2, 12));
  });
});

describe('MDE and power', () => {
  it('MDE at 80% power, 5% level is 2.80 standard errors, and power there is 80%', () => {
    const arm = { variance: 1, deff: 1 };
    const { se, mde } = minimumDetectableEffect({ users: 400, p: 0.5, treated: arm, control: arm, power: 0.8, alpha: 0.05 });
    expect(se).toBeCloseTo(0.1, 12);
    expect(mde / se).toBeCloseTo(1.95996 + 0.84162, 4);
    expect(analyticPower(mde, se, 0.05)).toBeCloseTo(0.8, 4);
  });
});
