// The Fisher randomization test against its definition and against theory:
// its p-value and interval equal a direct computation written here (every
// re-draw's difference in means of the adjusted outcomes y − θ0·z); with no
// effect at all its 5% test rejects 5% of the time (the sharp null holds,
// so the test is exact); with a constant additive effect and no
// interference its interval covers the effect 95% of the time.
import { describe, expect, it } from 'vitest';
import { randomizationTest } from '../../src/estimate/fisher.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';

/** All C(n, k) 0/1 vectors with k ones, as rows. */
function allAssignments(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (i: number, left: number, z: number[]) => {
    if (i === n) return void (left === 0 && out.push([...z]));
    if (left > 0) rec(i + 1, left - 1, [...z, 1]);
    if (n - i > left) rec(i + 1, left, [...z, 0]);
  };
  rec(0, k, []);
  return out;
}

const diff = (z: number[], v: number[]) => {
  const t = v.filter((_, i) => z[i] === 1);
  const c = v.filter((_, i) => z[i] === 0);
  return t.reduce((a, b) => a + b, 0) / t.length - c.reduce((a, b) => a + b, 0) / c.length;
};

describe('randomization test: the definition', () => {
  const y = [3.1, 0.4, 2.2, -1.0, 1.7, 0.3, 2.9, -0.2];
  const z = [1, 0, 1, 0, 1, 0, 1, 0];
  const draws = allAssignments(8, 4); // the exact randomization distribution of complete randomization
  const K = draws.length;
  const r = randomizationTest(z, Float64Array.from(y), (k, out) => out.set(draws[k]!), K);
  // p(θ0) by the definition: adjust outcomes, recompute each re-draw's statistic
  const p = (theta: number) => {
    const adj = y.map((v, i) => v - theta * z[i]!);
    const obs = Math.abs(diff(z, adj));
    return (1 + draws.filter((d) => Math.abs(diff(d, adj)) >= obs - 1e-12).length) / (K + 1);
  };

  it('the estimate is the difference in means, the p-value the share of re-draws at least as extreme', () => {
    expect(r.estimate).toBeCloseTo(diff(z, y), 12);
    expect(r.p).toBeCloseTo(p(0), 12);
    expect(r.p!).toBeLessThan(0.05); // the observed split is among the most extreme of the 70
  });

  it('the interval ends where the directly computed p-value crosses 5%', () => {
    const eps = 1e-6 * (Math.abs(r.estimate) + 1);
    for (const end of [r.lower!, r.upper!]) {
      expect(Number.isFinite(end)).toBe(true);
      const outward = end < r.estimate ? -1 : 1;
      expect(p(end + outward * eps)).toBeLessThanOrEqual(0.05);
      expect(p(end - outward * eps)).toBeGreaterThan(0.05);
    }
    expect(r.lower!).toBeLessThan(r.estimate);
    expect(r.upper!).toBeGreaterThan(r.estimate);
  });
});

describe('randomization test: size and coverage over replications', { timeout: 180_000 }, () => {
  const R = 400;
  const scenario = (beta: number, gamma: number) =>
    parseScenario({
      name: 'fisher',
      seed: 77,
      replications: R,
      graph: { generator: 'sbm', blocks: 10, blockSize: 20, pIn: 0.3, pOut: 0.01 },
      model: { type: 'linear-in-means', beta, gamma, sigma: 1 },
      designs: [
        { type: 'user-complete', name: 'user', p: 0.5 },
        { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
      ],
      estimators: ['fisher'],
    });
  const se = Math.sqrt((0.05 * 0.95) / R);

  it('no effect at all (the sharp null): the 5% test rejects 5% of the time, within 4 Monte Carlo SE', () => {
    const { results } = runSerial(scenario(0, 0));
    for (const d of results.diagnosis) {
      expect(d.undefinedShare).toBe(0);
      expect(Math.abs(d.power! - 0.05), `${d.design}: ${d.power}`).toBeLessThan(4 * se);
    }
  });

  it('a constant effect without interference: the interval covers it 95% of the time, within 4 SE', () => {
    const { results } = runSerial(scenario(0.3, 0));
    for (const d of results.diagnosis) {
      expect(d.truth).toBeCloseTo(0.3, 10);
      expect(Math.abs(d.coverage! - 0.95), `${d.design}: ${d.coverage}`).toBeLessThan(4 * se);
    }
  });
});
