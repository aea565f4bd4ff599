// Monte Carlo checks against closed forms. Fixed seeds; tolerances are
// 4 Monte Carlo standard errors, so a pass is deterministic and a real bias
// of that size would fail.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { buildPlan } from '../../src/sim/plan.js';
import { replicator, type Row } from '../../src/sim/replicate.js';
import { diagnose } from '../../src/sim/summary.js';
import { ringLattice } from '../helpers/graphs.js';
import type { SocialGraph } from '../../src/graph/csr.js';

function run(graph: SocialGraph, spec: Record<string, unknown>): Row[] {
  const scenario = parseScenario({ graph: { generator: 'barabasi-albert', n: 10, m: 1 }, ...spec });
  const plan = buildPlan(scenario, graph);
  const rep = replicator(plan);
  const rows: Row[] = [];
  for (let r = 0; r < scenario.replications; r++) rows.push(...rep(r));
  return rows;
}

function meanAndSE(xs: number[]) {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  return { m, se: Math.sqrt(v / xs.length) };
}

const est = (rows: Row[], design: string, estimator: string) =>
  rows.filter((r) => r.design === design && r.estimator === estimator).map((r) => r.estimate!);

describe('difference in means under linear-in-means', () => {
  const beta = 0.5;
  const gamma = 2;
  // ring lattice, k = 4, blocks of s = 10 consecutive nodes: each block has
  // 2(s-1) + 2(s-2) = 4s - 6 inside half-edges out of 4s, so w = 1 - 3/(2s).
  const n = 1000;
  const s = 10;
  const C = n / s;
  const w = 1 - 3 / (2 * s);
  const graph = ringLattice(n, 4, s);
  const rows = run(graph, {
    seed: 11,
    replications: 600,
    model: { type: 'linear-in-means', alpha: 1, beta, gamma, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm'],
  });

  it('truth is beta + gamma (no isolated users)', () => {
    for (const r of rows) expect(r.truth).toBeCloseTo(beta + gamma, 12);
  });

  it('user-level Bernoulli: mean estimate is beta, bias -gamma', () => {
    // exact: given the arm sizes it is complete randomization, so a friend of
    // a treated user is treated with prob (n1-1)/(n-1) vs n1/(n-1) for a control
    const expected = beta - gamma / (n - 1);
    const { m, se } = meanAndSE(est(rows, 'user', 'dm'));
    expect(Math.abs(m - expected)).toBeLessThan(4 * se);
    expect(Math.abs(m - (beta + gamma))).toBeGreaterThan(40 * se); // the bias is real and large
  });

  it('cluster randomization: mean estimate is beta + gamma * w', () => {
    // exact for equal, identically shaped clusters: a neighbouring cluster is
    // treated with prob (c1-1)/(C-1) given own treated, c1/(C-1) given control
    const expected = beta + gamma * w - (gamma * (1 - w)) / (C - 1);
    const { m, se } = meanAndSE(est(rows, 'blocks', 'dm'));
    expect(Math.abs(m - expected)).toBeLessThan(4 * se);
    const d = diagnose(rows).find((x) => x.design === 'blocks')!;
    // the diagnosed bias is that expectation minus the truth beta + gamma, both ways
    expect(Math.abs(d.bias! - (expected - (beta + gamma)))).toBeLessThan(4 * d.biasSE!);
  });
});

describe('interval coverage without interference', () => {
  const graph = ringLattice(800, 6, 20); // 40 clusters of 20
  const rows = run(graph, {
    seed: 5,
    replications: 2000,
    model: { type: 'linear-in-means', alpha: 0, beta: 0.3, gamma: 0, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.4 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm', 'cluster-dm'],
  });
  const d = diagnose(rows);
  // 2000 replications: MC SE of a 95% coverage is 0.49 points, so 93-97% is about 4 SE
  it('difference in means under user-level randomization covers 93-97%', () => {
    const x = d.find((r) => r.design === 'user' && r.estimator === 'dm')!;
    expect(x.coverage!).toBeGreaterThan(0.93);
    expect(x.coverage!).toBeLessThan(0.97);
    expect(x.undefinedShare).toBe(0);
  });
  it('cluster difference in means under cluster randomization covers 93-97%', () => {
    const x = d.find((r) => r.design === 'blocks' && r.estimator === 'cluster-dm')!;
    expect(x.coverage!).toBeGreaterThan(0.93);
    expect(x.coverage!).toBeLessThan(0.97);
  });
});
