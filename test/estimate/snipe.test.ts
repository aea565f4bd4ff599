// SNIPE (Cortez-Rodriguez, Eichhorn & Yu 2023) against theory: exactly
// unbiased, by enumerating every Bernoulli(p) assignment of a tiny graph,
// when the potential outcomes (written in _low-order.ts) have interactions
// of order ≤ β in the closed neighbourhood; biased (and the bias is
// nonzero) when the order exceeds β; at β = 1 equal to the linear form
// (1/n) Σ_i Y_i Σ_{j ∈ N_i} (z_j/p − (1 − z_j)/(1 − p)); applies to users
// under independent coins only; through the simulator on the last stage of
// a user-level staggered rollout under linear-in-means, unbiased within 4
// Monte Carlo SEs.
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/streams.js';
import { createDesign, type Design } from '../../src/design/index.js';
import { snipeEstimator } from '../../src/estimate/snipe.js';
import { estimatorFromSpec } from '../../src/estimate/index.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { closed, graph, n, outcomeFunction } from './_low-order.js';

const design = (spec: Record<string, unknown>): Design => createDesign({ graph, rng: (p) => stream(1, 'design', p) }, spec as never);

/** E[estimate] over all 2^n Bernoulli(p) assignments of the users. */
function expectation(beta: number, p: number, Y: (z: ArrayLike<number>) => number[]): number {
  const est = snipeEstimator(beta).prepare({ graph, design: design({ type: 'user-bernoulli', p }) });
  let mean = 0;
  for (let code = 0; code < 2 ** n; code++) {
    const z = Uint8Array.from({ length: n }, (_, i) => (code >> i) & 1);
    let w = 1;
    for (let i = 0; i < n; i++) w *= z[i] ? p : 1 - p;
    const e = est({ dose: Float64Array.from(z), unitZ: z, y: Float64Array.from(Y(z)), den: null, memo: new Map() });
    mean += w * e.estimate;
  }
  return mean;
}

const tte = (Y: (z: ArrayLike<number>) => number[]) =>
  (Y(new Array(n).fill(1)).reduce((a, b) => a + b, 0) - Y(new Array(n).fill(0)).reduce((a, b) => a + b, 0)) / n;

describe('SNIPE', () => {
  it('exactly unbiased under order ≤ β, by enumeration', () => {
    for (const [order, beta, p] of [
      [1, 1, 0.3],
      [1, 2, 0.5],
      [2, 2, 0.3],
      [2, 3, 0.2],
      [3, 3, 0.4],
    ] as const) {
      const { Y } = outcomeFunction(order, 10 + order);
      expect(expectation(beta, p, Y)).toBeCloseTo(tte(Y), 9);
    }
  });

  it('biased when the order exceeds β', () => {
    const { Y } = outcomeFunction(2, 12);
    expect(Math.abs(expectation(1, 0.3, Y) - tte(Y))).toBeGreaterThan(0.05);
  });

  it('at β = 1 is the linear form Σ_i Y_i Σ_{j ∈ N_i} (z_j/p − (1 − z_j)/(1 − p)) / n', () => {
    const p = 0.3;
    const est = snipeEstimator(1).prepare({ graph, design: design({ type: 'user-bernoulli', p }) });
    const rng = stream(3, 'z');
    for (let r = 0; r < 20; r++) {
      const z = Uint8Array.from({ length: n }, () => (rng() < p ? 1 : 0));
      const y = Float64Array.from({ length: n }, () => rng() * 5);
      let want = 0;
      for (let i = 0; i < n; i++) want += (y[i]! * closed[i]!.reduce((s, j) => s + (z[j] ? 1 / p : -1 / (1 - p)), 0)) / n;
      expect(est({ dose: Float64Array.from(z), unitZ: z, y, den: null, memo: new Map() }).estimate).toBeCloseTo(want, 12);
    }
  });

  it('applies to users under independent coins only; no form for ratio metrics', () => {
    const est = snipeEstimator();
    expect(est.notApplicable(design({ type: 'user-bernoulli', p: 0.3 }))).toBeNull();
    expect(est.notApplicable(design({ type: 'staggered', p: 0.5, shares: [0, 0.2, 0.5] }))).toBeNull();
    expect(est.notApplicable(design({ type: 'user-complete', p: 0.5 }))).toMatch(/independent coins/);
    expect(est.notApplicable(design({ type: 'cluster', p: 0.5, clustering: { method: 'blocks' } }))).toMatch(/independent coins/);
    expect(est.notApplicable(design({ type: 'staggered', p: 0.5, shares: [0, 0.2, 0.5], clustering: { method: 'blocks' } }))).toMatch(
      /independent coins/,
    );
    const run = est.prepare({ graph, design: design({ type: 'user-bernoulli', p: 0.3 }) });
    const z = new Uint8Array(n);
    expect(
      run({ dose: new Float64Array(n), unitZ: z, y: new Float64Array(n), den: new Float64Array(n).fill(1), memo: new Map() }).reason,
    ).toBe('no-ratio-form');
    expect(estimatorFromSpec({ estimator: 'snipe', degree: 2 }).id).toBe('snipe:2');
    expect(estimatorFromSpec('snipe').id).toBe('snipe');
  });

  it('through the simulator, on the last stage of a user-level rollout under linear-in-means: unbiased within 4 MC SE', () => {
    const scenario = parseScenario({
      seed: 23,
      replications: 300,
      graph: { generator: 'sbm', blocks: 10, blockSize: 40, pIn: 0.1, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.5, gamma: 1, sigma: 1 },
      designs: [{ type: 'staggered', name: 'rollout', p: 0.5, shares: [0, 0.25, 0.5] }],
      estimators: ['snipe', 'polynomial', 'dm'],
    });
    const { results, rows } = runSerial(scenario);
    for (const r of rows.filter((x) => x.estimator === 'snipe')) expect([r.se, r.reason]).toEqual([null, 'no-variance-estimator']);
    const snipe = results.diagnosis.find((r) => r.estimator === 'snipe')!;
    const dm = results.diagnosis.find((r) => r.estimator === 'dm')!;
    expect(Math.abs(snipe.bias!)).toBeLessThan(4 * snipe.biasSE!);
    expect(Math.abs(dm.bias!)).toBeGreaterThan(10 * dm.biasSE!);
  });
});
