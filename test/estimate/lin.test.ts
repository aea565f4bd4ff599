// Lin's interacted adjustment and CUPED through the simulator: under
// linear-in-means without interference (gamma = 0) and a baseline outcome
// correlated with the outcome (rho = 0.8), both are unbiased for the effect,
// their SD is below the difference in means' (variance reduction ~ 1 − rho²),
// and Lin's HC2 interval covers about 95%. Covariates constant over users
// are dropped, so Lin is then the difference in means. The baseline comes
// from its own stream: the outcomes are those of the model without it.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { rows, stats } from '../helpers/rows.js';
import { buildPlan } from '../../src/sim/plan.js';
import { adjustedEstimator } from '../../src/estimate/lin.js';
import { differenceInMeans } from '../../src/estimate/dm.js';
import type { RepData } from '../../src/estimate/index.js';

const scenario = (model: object, estimators: unknown[], design: object = { type: 'user-complete', name: 'user', p: 0.5 }) =>
  parseScenario({
    seed: 16,
    graph: { generator: 'sbm', blocks: 4, blockSize: 100, pIn: 0.05, pOut: 0.005 },
    model: { type: 'linear-in-means', alpha: 1, beta: 0.3, gamma: 0, sigma: 1, ...model },
    designs: [design],
    estimators,
  });

describe('regression adjustment without interference', () => {
  const R = 600;
  const all = rows(
    scenario({ baselineCorrelation: 0.8 }, [
      'dm',
      { estimator: 'lin', covariates: ['baseline', 'degree'] },
      { estimator: 'cuped', covariates: ['baseline'] },
    ]),
    R,
  );
  const by = (id: string) => all.filter((r) => r.estimator === id);
  const dm = stats(by('dm'));
  const lin = stats(by('lin:baseline+degree'));
  const cuped = stats(by('cuped:baseline'));

  it('every replication defined; the truth is beta', () => {
    expect(all.every((r) => r.estimate !== null && r.se !== null)).toBe(true);
    expect(dm.truth).toBeCloseTo(0.3, 12);
  });

  it('lin and cuped are unbiased within 4 Monte Carlo SEs', () => {
    for (const s of [dm, lin, cuped]) expect(Math.abs(s.mean - s.truth)).toBeLessThan((4 * s.sd) / Math.sqrt(s.R));
  });

  it("their SD is below dm's by more than 4 Monte Carlo SEs of the SDs (about sqrt(1 − 0.8²) = 0.6 of it)", () => {
    // SE of a normal sample SD: sd / sqrt(2(R − 1))
    const se = (s: { sd: number }) => s.sd / Math.sqrt(2 * (R - 1));
    for (const s of [lin, cuped]) {
      expect(dm.sd - s.sd).toBeGreaterThan(4 * Math.hypot(se(dm), se(s)));
      expect(s.sd / dm.sd).toBeGreaterThan(0.5);
      expect(s.sd / dm.sd).toBeLessThan(0.7);
    }
  });

  it("lin's HC2 interval covers about 95% (within 4 Monte Carlo SEs)", () => {
    const mcse = Math.sqrt((0.95 * 0.05) / R);
    expect(Math.abs(lin.cover - 0.95)).toBeLessThan(4 * mcse);
    expect(Math.abs(cuped.cover - 0.95)).toBeLessThan(4 * mcse);
  });

  it('the baseline changes no outcome: dm is the same with and without it', () => {
    const without = rows(scenario({}, ['dm']), 20);
    expect(without.map((r) => r.estimate)).toEqual(
      by('dm')
        .slice(0, 20)
        .map((r) => r.estimate),
    );
  });

  it('a covariate constant over the users is dropped: lin is then the difference in means (HC2 = Neyman)', () => {
    const s = scenario({}, ['dm']);
    const plan = buildPlan(s);
    const n = plan.graph.csr.n;
    const graph = { ...plan.graph, attributes: { flat: new Float64Array(n).fill(3) } };
    const design = plan.designs[0]!.design;
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + (i % 2) * 0.5);
    const dose = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const rep: RepData = { dose, unitZ: Uint8Array.from(dose), y, den: null, memo: new Map() };
    const a = adjustedEstimator('lin', ['flat']).prepare({ graph, design })(rep);
    const b = differenceInMeans.prepare({ graph, design })(rep);
    expect(a.estimate).toBeCloseTo(b.estimate, 12);
    expect(a.se).toBeCloseTo(b.se, 12);
  });

  it('a baseline asked of a model without one is a user error naming the fix', () => {
    expect(() => rows(scenario({}, [{ estimator: 'lin', covariates: ['baseline'] }]), 1)).toThrow(/baselineCorrelation/);
  });
});
