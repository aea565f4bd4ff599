// The homophily covariate as an adjustment covariate (issue 16): 'homophily'
// names the model's homophily covariate, Ugander–Yin's h (the column the
// model names, or the field it generates). Against theory:
// - On a regular graph (a plain torus: d_i/d̄ = 1) with σ = 0 and no
//   interference (direct = 1), Y_i = (a + b·h_i)(1 + τ/μ0·z_i) is exactly
//   linear in h_i within each arm, so Lin's interacted regression on h fits
//   both arms exactly and its estimate is (a + b·h̄)·τ/μ0 = τ in every
//   replication, while the difference in means varies. Only h itself gives
//   this, so it checks that the covariate is the model's h.
// - When the model names a column for h, 'homophily' is that column: lin on
//   'homophily' equals lin on the column's own name.
// - With noise (σ > 0) and no interference, adjusting for h removes the part
//   of the outcome's variance it explains: SD below dm's by more than 4
//   Monte Carlo SEs, unbiased and HC2 coverage near 95% (4 MC SEs).
// - A model without a homophily covariate (linear-in-means) is refused.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { rows, stats } from '../helpers/rows.js';

const uy = (model: object, estimators: unknown[], side = 20) =>
  parseScenario({
    seed: 1616,
    graph: { generator: 'torus', side, radius: 1, longRangeMean: 0 },
    model: { type: 'ugander-yin', a: 1, b: 1, tau: 0.5, direct: 1, seed: 3, ...model },
    designs: [{ type: 'user-complete', name: 'user', p: 0.5 }],
    estimators,
  });

describe('the homophily covariate', { timeout: 120_000 }, () => {
  it('regular graph, sigma = 0, no interference: lin on homophily is exactly tau in every replication; dm is not', () => {
    const all = rows(uy({ sigma: 0 }, ['dm', { estimator: 'lin', covariates: ['homophily'] }]), 30);
    const lin = all.filter((r) => r.estimator === 'lin:homophily');
    const dm = all.filter((r) => r.estimator === 'dm');
    expect(lin.length).toBe(30);
    for (const r of lin) {
      expect(r.truth).toBeCloseTo(0.5, 12);
      expect(r.estimate!).toBeCloseTo(0.5, 10);
    }
    const dmSpread = Math.max(...dm.map((r) => r.estimate!)) - Math.min(...dm.map((r) => r.estimate!));
    expect(dmSpread).toBeGreaterThan(0.05);
  });

  it("a model that names a column for h offers that column: lin on 'homophily' equals lin on the column", () => {
    const all = rows(
      uy({ sigma: 0.3, homophily: 'x' }, [
        { estimator: 'lin', covariates: ['homophily'] },
        { estimator: 'lin', covariates: ['x'] },
      ]),
      10,
    );
    const a = all.filter((r) => r.estimator === 'lin:homophily');
    const b = all.filter((r) => r.estimator === 'lin:x');
    expect(a.length).toBe(10);
    a.forEach((r, k) => {
      expect(r.estimate).toBe(b[k]!.estimate);
      expect(r.se).toBe(b[k]!.se);
    });
  });

  describe('with noise, no interference', () => {
    const R = 500;
    const all = rows(
      uy({ sigma: 0.5 }, ['dm', { estimator: 'lin', covariates: ['homophily'] }, { estimator: 'cuped', covariates: ['homophily'] }]),
      R,
    );
    const dm = stats(all.filter((r) => r.estimator === 'dm'));
    const lin = stats(all.filter((r) => r.estimator === 'lin:homophily'));
    const cuped = stats(all.filter((r) => r.estimator === 'cuped:homophily'));
    const sdSE = (s: { sd: number }) => s.sd / Math.sqrt(2 * (R - 1));

    it('every replication defined; the truth is tau', () => {
      expect(all.every((r) => r.estimate !== null && r.se !== null)).toBe(true);
      expect(dm.truth).toBeCloseTo(0.5, 12);
    });

    it('adjusting for h lowers the SD by more than 4 Monte Carlo SEs of the SDs', () => {
      for (const s of [lin, cuped]) expect(dm.sd - s.sd).toBeGreaterThan(4 * Math.hypot(sdSE(dm), sdSE(s)));
    });

    it('unbiased within 4 Monte Carlo SEs; HC2 coverage within 4 Monte Carlo SEs of 95%', () => {
      const mcse = Math.sqrt((0.95 * 0.05) / R);
      for (const s of [dm, lin, cuped]) {
        expect(Math.abs(s.mean - s.truth)).toBeLessThan((4 * s.sd) / Math.sqrt(s.R));
        expect(Math.abs(s.cover - 0.95)).toBeLessThan(4 * mcse);
      }
    });
  });

  it('a model without a homophily covariate is refused with a message naming one that has it', () => {
    const s = parseScenario({
      seed: 1,
      graph: { generator: 'sbm', blocks: 2, blockSize: 20, pIn: 0.2, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.3, gamma: 0, homophily: 0.5 },
      designs: [{ type: 'user-complete', name: 'user', p: 0.5 }],
      estimators: [{ estimator: 'lin', covariates: ['homophily'] }],
    });
    expect(() => rows(s, 1)).toThrow(/ugander-yin.*baseline/s);
  });
});
