// Analytic power: the ANOVA ICC recovers a known random-effects ICC, the
// unequal-size design effect reduces to the equal one for equal clusters,
// and without interference the analytic SE and power match simulation.
import { describe, expect, it } from 'vitest';
import { analyticPower, clusterSummary, designEffect, icc, minimumDetectableEffect } from '../../src/design/power.js';
import { normal, stream } from '../../src/random/streams.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { powerTable } from '../../src/cli/power.js';

describe('intra-cluster correlation and design effect', () => {
  it('recovers rho = 0.25 from random cluster effects (unequal sizes)', () => {
    const z = normal(stream(1, 'icc'));
    const labels: number[] = [];
    const y: number[] = [];
    for (let c = 0; c < 2000; c++) {
      const u = 0.5 * z(); // variance 0.25
      const m = 5 + (c % 11);
      for (let k = 0; k < m; k++) labels.push(c), y.push(u + Math.sqrt(0.75) * z());
    }
    const r = icc(Float64Array.from(y), Int32Array.from(labels), 2000);
    // SE of the ANOVA ICC here is about 0.01
    expect(r.icc).toBeGreaterThan(0.22);
    expect(r.icc).toBeLessThan(0.28);
    expect(r.variance).toBeCloseTo(1, 1);
  });
  it('unequal form equals the equal form when sizes are equal, and exceeds it otherwise', () => {
    const equal = clusterSummary(Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)), 10);
    expect(equal.cv).toBe(0);
    const d = designEffect(0.1, equal);
    expect(d.unequal).toBeCloseTo(d.equal, 12);
    expect(d.equal).toBeCloseTo(1 + 9 * 0.1, 12);
    const uneven = clusterSummary(Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1]), 2);
    expect(designEffect(0.1, uneven).unequal).toBeGreaterThan(designEffect(0.1, uneven).equal);
  });
  it('MDE at 80% power, 5% level is 2.80 standard errors, and power there is 80%', () => {
    const arm = { variance: 1, deff: 1 };
    const { se, mde } = minimumDetectableEffect({ users: 400, p: 0.5, treated: arm, control: arm, power: 0.8, alpha: 0.05 });
    expect(se).toBeCloseTo(0.1, 12);
    expect(mde / se).toBeCloseTo(1.95996 + 0.84162, 4);
    expect(analyticPower(mde, se, 0.05)).toBeCloseTo(0.8, 4);
  });
});

describe('spillover power against simulation, without interference', () => {
  it('analytic SE within 15% of the simulated SD and power within 4 MC SEs', () => {
    const scenario = parseScenario({
      seed: 3,
      replications: 400,
      graph: { generator: 'sbm', blocks: 60, blockSize: 20, pIn: 0.3, pOut: 0.001 },
      model: { type: 'linear-in-means', alpha: 0, beta: 0.1, gamma: 0, sigma: 1, homophily: 0.3 },
      designs: [
        { type: 'user-bernoulli', name: 'user', p: 0.5 },
        { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
      ],
    });
    const t = powerTable(scenario, { power: 0.8, draws: 5 });
    for (const r of t.rows) {
      expect(Math.abs(r.se / r.simulatedSD! - 1)).toBeLessThan(0.15);
      const mcSE = Math.sqrt((r.analyticPower * (1 - r.analyticPower)) / 400);
      expect(Math.abs(r.simulatedPower! - r.analyticPower)).toBeLessThan(4 * mcSE + 0.02);
    }
    const blocks = t.rows.find((r) => r.design === 'blocks')!;
    expect(blocks.icc).toBeGreaterThan(0.05); // homophily makes friends alike
    expect(blocks.deffUnequal).toBeGreaterThan(1.5);
  });
});
