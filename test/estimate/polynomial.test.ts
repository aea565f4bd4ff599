// The polynomial interpolation estimator of a staggered rollout (Cortez,
// Eichhorn & Yu 2022), against theory:
// - its weights reproduce F(1) − F(0) for every polynomial F of degree ≤ β
//   (Lagrange at β = T; least squares below), and are −1/p, 1/p for [0, p];
// - exact unbiasedness, by enumerating every nested rollout of a tiny graph
//   (each unit's first treated stage t with probability p_t − p_{t−1}, never
//   with 1 − p_T), when the potential outcomes (an outcome function written
//   here) are polynomials of degree β ≤ T in the treatment indicators, for
//   users and for clusters;
// - with a third-order interaction and T = 2 the expected estimate misses
//   by exactly −A₃·Π_t(1 − p_t), the extrapolation error of p³;
// - through the simulator: unbiased within 4 MC SE under Ugander–Yin's
//   model with curvature 2 (second order) at degree 2, and biased at degree 1
//   by the least-squares line's error −A₂/2, reported in the diagnosis.
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/streams.js';
import { createDesign, type Design } from '../../src/design/index.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import { extrapolationWeights, polynomialEstimator } from '../../src/estimate/polynomial.js';
import { estimatorFromSpec } from '../../src/estimate/index.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { createModel } from '../../src/model/index.js';
import { graph, n, outcomeFunction } from './_low-order.js';

describe('extrapolation weights', () => {
  it('two stages [0, p]: (Ȳ_1 − Ȳ_0)/p', () => {
    const h = extrapolationWeights([0, 0.2], 1);
    expect(h[0]).toBeCloseTo(-5, 12);
    expect(h[1]).toBeCloseTo(5, 12);
  });

  it('reproduce F(1) − F(0) for monomials of degree ≤ β, not above', () => {
    const P = [0, 0.01, 0.05, 0.1, 0.25, 0.5];
    for (let beta = 1; beta < P.length; beta++) {
      const h = extrapolationWeights(P, beta);
      for (let k = 0; k <= beta; k++) {
        const got = P.reduce((s, p, t) => s + h[t]! * p ** k, 0);
        expect(got).toBeCloseTo(k === 0 ? 0 : 1, beta === P.length - 1 ? 5 : 8);
      }
      if (beta === P.length - 1) {
        // Lagrange: the error of p^(T+1) at 1 is Π(1 − p_t) (and 0 at 0, as p_0 = 0)
        const k = beta + 1;
        const got = P.reduce((s, p, t) => s + h[t]! * p ** k, 0);
        expect(got).toBeCloseTo(1 - P.reduce((s, p) => s * (1 - p), 1), 5);
      }
    }
  });
});

const stagedDesign = (P: number[], clustering?: boolean): Design =>
  createDesign({ graph: graph as SocialGraph, rng: (p) => stream(1, 'design', p) }, {
    type: 'staggered',
    p: P[P.length - 1]!,
    shares: P,
    ...(clustering ? { clustering: { method: 'blocks' } } : {}),
  } as never);

/**
 * E[estimate] over every nested rollout: each unit's first treated stage t
 * (probability p_t − p_{t−1}) or never (1 − p_T), enumerated as a base-(T+2)
 * number over the units; the estimator sees the last stage's outcomes and
 * the stage sums from the outcome function.
 */
function expectation(d: Design, P: number[], Y: (z: ArrayLike<number>) => number[], degree?: number): number {
  const T = P.length - 1;
  const est = polynomialEstimator(degree).prepare({ graph, design: d });
  const U = d.units.count;
  const userZ = (unitZ: ArrayLike<number>) => Array.from({ length: n }, (_, i) => unitZ[d.units.list[i]!]!);
  const prob = [P[0]!, ...P.slice(1).map((p, t) => p - P[t]!), 1 - P[T]!];
  let mean = 0,
    total = 0;
  const stage = new Uint8Array(U);
  for (let code = 0; code < (T + 2) ** U; code++) {
    let w = 1;
    for (let u = 0, c = code; u < U; u++, c = Math.floor(c / (T + 2))) ((stage[u] = c % (T + 2)), (w *= prob[stage[u]!]!));
    if (w === 0) continue;
    const zT = Uint8Array.from(stage, (s) => (s <= T ? 1 : 0));
    const y = Float64Array.from(Y(userZ(zT)));
    const e = est({
      dose: Float64Array.from(userZ(zT)),
      unitZ: zT,
      y,
      den: null,
      memo: new Map(),
      draw: { kind: 'rollout', stage, shares: Float64Array.from(P) },
      sumsAt: (_key, unitZ) => ({ num: Y(userZ(unitZ)).reduce((a, b) => a + b, 0), den: n }),
    });
    mean += w * e.estimate;
    total += w;
  }
  expect(total).toBeCloseTo(1, 12);
  return mean;
}

const tte = (Y: (z: ArrayLike<number>) => number[]) =>
  (Y(new Array(n).fill(1)).reduce((a, b) => a + b, 0) - Y(new Array(n).fill(0)).reduce((a, b) => a + b, 0)) / n;

describe('polynomial estimator: exact expectation by enumeration', () => {
  it('unbiased when outcomes have order β = T (Lagrange), users', () => {
    const P = [0, 0.2, 0.5];
    const { Y } = outcomeFunction(2, 1);
    expect(tte(Y)).not.toBeCloseTo(0, 2);
    expect(expectation(stagedDesign(P), P, Y)).toBeCloseTo(tte(Y), 10);
  });

  it('unbiased for a linear (β = 1) model at every degree ≤ T, least squares below T', () => {
    const P = [0, 0.1, 0.25, 0.5];
    const { Y } = outcomeFunction(1, 2);
    for (const degree of [1, 2, 3]) expect(expectation(stagedDesign(P), P, Y, degree)).toBeCloseTo(tte(Y), 9);
  });

  it('unbiased on clusters when outcomes have order β = T', () => {
    const P = [0, 0.3, 0.6];
    const { Y } = outcomeFunction(2, 3);
    expect(expectation(stagedDesign(P, true), P, Y)).toBeCloseTo(tte(Y), 10);
  });

  it('with a first stage above 0 (no all-control stage) still unbiased at β = T', () => {
    const P = [0.1, 0.3, 0.6];
    const { Y } = outcomeFunction(2, 4);
    expect(expectation(stagedDesign(P), P, Y)).toBeCloseTo(tte(Y), 10);
  });

  it('order 3 with T = 2: biased by −A₃·Π(1 − p_t), the extrapolation error of p³', () => {
    const P = [0, 0.2, 0.5];
    const { Y, A } = outcomeFunction(3, 5);
    const bias = expectation(stagedDesign(P), P, Y) - tte(Y);
    const theory = -A[3]! * (1 - 0) * (1 - 0.2) * (1 - 0.5);
    expect(Math.abs(theory)).toBeGreaterThan(0.05);
    expect(bias).toBeCloseTo(theory, 10);
  });
});

describe('polynomial estimator: applicability and options', () => {
  it('applies to staggered rollouts only, and needs degree + 1 stages', () => {
    const d = stagedDesign([0, 0.2, 0.5]);
    expect(polynomialEstimator().notApplicable(d)).toBeNull();
    expect(polynomialEstimator(3).notApplicable(d)).toMatch(/4 stages/);
    const user = createDesign({ graph, rng: (p) => stream(1, p) }, { type: 'user-bernoulli', p: 0.5 });
    expect(polynomialEstimator().notApplicable(user)).toMatch(/staggered rollout/);
    expect(estimatorFromSpec({ estimator: 'polynomial', degree: 1 }).id).toBe('polynomial:1');
    expect(estimatorFromSpec('polynomial').id).toBe('polynomial');
  });

  it('undefined (no-stages) where the stages were not simulated', () => {
    const d = stagedDesign([0, 0.2, 0.5]);
    const est = polynomialEstimator().prepare({ graph, design: d });
    const z = new Uint8Array(n);
    const e = est({
      dose: new Float64Array(n),
      unitZ: z,
      y: new Float64Array(n),
      den: null,
      memo: new Map(),
      draw: { kind: 'rollout', stage: new Uint8Array(n), shares: Float64Array.from([0, 0.2, 0.5]) },
    });
    expect(e.reason).toBe('no-stages');
    expect(est({ dose: new Float64Array(n), unitZ: z, y: new Float64Array(n), den: null, memo: new Map(), draw: null }).reason).toBe(
      'no-draw',
    );
  });
});

describe('polynomial estimator: ratio metrics', () => {
  it('each stage is its own ratio Σ num / Σ den, the last stage read from the replication, weighted by h_t', () => {
    const shares = [0, 0.2, 0.5];
    const d = stagedDesign(shares);
    const est = polynomialEstimator().prepare({ graph, design: d });
    // stage sums by key (stage t) with denominators that differ from n
    const sums = new Map([
      ['rollout:stage:0', { num: 3, den: 4 }],
      ['rollout:stage:1', { num: 5, den: 9 }],
    ]);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 3) + 0.5);
    const den = Float64Array.from({ length: n }, (_, i) => (i % 2) + 1);
    const stage = new Uint8Array(n).fill(2); // every unit first treated at the last stage
    const e = est({
      dose: new Float64Array(n),
      unitZ: new Uint8Array(n),
      y,
      den,
      memo: new Map(),
      draw: { kind: 'rollout', stage, shares: Float64Array.from(shares) },
      sumsAt: (key) => sums.get(key)!,
    });
    // Lagrange weights over [0, 0.2, 0.5] written out: h_t = l_t(1) − l_t(0)
    const l = (t: number, x: number) => shares.reduce((a, s, k) => (k === t ? a : (a * (x - s)) / (shares[t]! - s)), 1);
    const h = shares.map((_, t) => l(t, 1) - l(t, 0));
    const last = y.reduce((a, b) => a + b, 0) / den.reduce((a, b) => a + b, 0);
    expect(e.estimate).toBeCloseTo(h[0]! * (3 / 4) + h[1]! * (5 / 9) + h[2]! * last, 12);
  });
});

describe('polynomial estimator through the simulator (Ugander–Yin, curvature 2: a second-order model)', () => {
  // ring of 600 users, 6 friends each; stages 0, 0.25, 0.5
  const scenario = parseScenario({
    seed: 17,
    replications: 300,
    graph: { generator: 'watts-strogatz', n: 600, k: 6, beta: 0 },
    model: { type: 'ugander-yin', a: 1, b: 0.5, sigma: 0.1, tau: 0.5, direct: 0.5, curvature: 2 },
    designs: [{ type: 'staggered', name: 'rollout', p: 0.5, shares: [0, 0.25, 0.5] }],
    estimators: ['polynomial', { estimator: 'polynomial', degree: 1 }, 'dm'],
  });

  it('degree 2 unbiased; degree 1 biased by −A₂/2, as the diagnosis reports', () => {
    const { results, plan, rows } = runSerial(scenario);
    const row = (id: string) => results.diagnosis.find((r) => r.estimator === id)!;
    const two = row('polynomial');
    const one = row('polynomial:1');
    expect(two.undefinedShare).toBe(0);
    expect(Math.abs(two.bias!)).toBeLessThan(4 * two.biasSE!);
    // F(p) = mean_i [Y0_i + Δ_i (direct·p + (1 − direct)(p²(1 − 1/d_i) + p/d_i))], so A₂ = mean_i Δ_i (1 − direct)(1 − 1/d_i);
    // the least-squares line through (0, 0), (1/4, 1/16), (1/2, 1/4) has slope 1/2, so p² extrapolates to 1/2, not 1: bias −A₂/2
    const g = plan.graph.csr;
    const model = createModel({ graph: plan.graph }, scenario.model);
    const y1 = [new Float64Array(g.n)];
    const y0 = [new Float64Array(g.n)];
    model.outcomes(null, { dose: new Float64Array(g.n).fill(1), threadOn: null }, y1, []);
    model.outcomes(null, { dose: new Float64Array(g.n), threadOn: null }, y0, []);
    let A2 = 0;
    for (let i = 0; i < g.n; i++) {
      const d = g.offsets[i + 1]! - g.offsets[i]!;
      A2 += ((y1[0]![i]! - y0[0]![i]!) * 0.5 * (1 - 1 / d)) / g.n;
    }
    expect(Math.abs(one.bias! - -A2 / 2)).toBeLessThan(4 * one.biasSE!);
    expect(Math.abs(one.bias!)).toBeGreaterThan(6 * one.biasSE!);
    // no standard error: the papers give none, and the rows say so
    expect(two.meanSE).toBeNull();
    const poly = rows.filter((r) => r.estimator.startsWith('polynomial'));
    expect(poly.length).toBe(600);
    for (const r of poly) expect([r.se, r.reason]).toEqual([null, 'no-variance-estimator']);
  });
});
