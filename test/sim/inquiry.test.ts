// The truth of a randomized saturation design's direct and spillover
// inquiries (src/sim/inquiry.ts) against the closed forms of
// test/estimate/saturation.test.ts: under linear-in-means on disjoint cliques
// of m users with s·m whole, an untreated user at saturation s has s·m/(m-1)
// treated friends and a treated one (s·m-1)/(m-1), so every replication's
// truth is exactly
//   spillover(s) = gamma·s·m/(m-1),   direct(s) = beta - gamma/(m-1),
// and each estimator's bias against it is within 4 Monte Carlo SEs.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { buildPlan } from '../../src/sim/plan.js';
import { replicator } from '../../src/sim/replicate.js';

const m = 5;
const beta = 2;
const gamma = 1.5;

const scenario = (replications: number) =>
  parseScenario({
    name: 'saturation-inquiries',
    seed: 8,
    replications,
    graph: { generator: 'sbm', blocks: 40, blockSize: m, pIn: 1, pOut: 0 },
    model: { type: 'linear-in-means', alpha: 1, beta, gamma, sigma: 1 },
    designs: [{ type: 'saturation', name: 'sat', p: 0.55, saturations: [0, 0.4, 0.8, 1], clustering: { method: 'blocks' } }],
    estimators: [
      'saturation',
      { estimator: 'saturation', effect: 'spillover', saturation: 0.4 },
      { estimator: 'saturation', effect: 'spillover', saturation: 0.8 },
      { estimator: 'saturation', effect: 'direct', saturation: 0.4 },
      { estimator: 'saturation', effect: 'direct', saturation: 0.8, name: 'direct-0.8' },
    ],
  });

const want: Record<string, number> = {
  saturation: beta + gamma,
  'saturation:spillover@0.4': (gamma * 0.4 * m) / (m - 1),
  'saturation:spillover@0.8': (gamma * 0.8 * m) / (m - 1),
  'saturation:direct@0.4': beta - gamma / (m - 1),
  'direct-0.8': beta - gamma / (m - 1),
};

describe('saturation inquiries', () => {
  it('rows carry their inquiry truth (the closed form) and the estimators are unbiased within 4 MC SE', () => {
    const R = 300;
    const { results } = runSerial(scenario(R));
    expect(results.diagnosis.map((d) => d.estimator).sort()).toEqual(Object.keys(want).sort());
    for (const d of results.diagnosis) {
      const w = want[d.estimator]!;
      expect(d.truth).toBeCloseTo(w, 10);
      expect(d.truthSE).toBeLessThan(1e-10);
      expect(d.bias).not.toBeNull();
      expect(Math.abs(d.bias!)).toBeLessThan(4 * d.biasSE!);
      expect(Math.abs(d.coverage! - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / R));
    }
  });

  it('one replication: every row of an inquiry has the closed-form truth', () => {
    const rows = replicator(buildPlan(scenario(2)))(0);
    for (const row of rows) expect(row.truth).toBeCloseTo(want[row.estimator]!, 10);
  });

  it('is not applicable at a saturation outside the set, or where a group is empty', () => {
    const base = scenario(2);
    const plan = buildPlan({
      ...base,
      estimators: [
        { estimator: 'saturation', effect: 'spillover', saturation: 0.5 },
        { estimator: 'saturation', effect: 'spillover', saturation: 1 },
        { estimator: 'saturation', effect: 'direct', saturation: 0 },
      ],
    });
    const reasons = plan.designs[0]!.skipped.map((s) => s.reason);
    expect(reasons[0]).toMatch(/not in the design's set/);
    expect(reasons[1]).toMatch(/strictly between 0 and 1/);
    expect(reasons[2]).toMatch(/strictly between 0 and 1/);
  });

  it('a direct or spillover entry needs its saturation', () => {
    expect(() => buildPlan({ ...scenario(2), estimators: [{ estimator: 'saturation', effect: 'direct' }] })).toThrow(
      /needs a "saturation"/,
    );
  });
});
