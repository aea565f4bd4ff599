// The exact HT variance the `variance` command reports against the real
// simulator: R replications of the scenario (runSerial, the replicator every
// run uses) give HT estimates whose sample variance must agree with the
// exact Var(HT) within 4 Monte Carlo SEs (the SE of a sample variance from
// the fourth moment), and whose mean must agree with E[HT]. Designs with
// moderate tails (3-net clusters, π ≥ 1/32) on a small-world torus under the
// Ugander–Yin model (fixed potential outcomes, so the design is the only
// randomness). Fixed seeds.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario.js';
import { runSerial } from '../../../src/sim/run.js';
import { varianceTable } from '../../../src/sim/variance.js';

const R = 4000;
const scenario = parseScenario({
  seed: 11,
  replications: R,
  graph: { generator: 'torus', side: 12, radius: 1, longRangeMean: 0.5 },
  model: { type: 'ugander-yin', tau: 1 },
  designs: [
    { type: 'cluster', name: '3-net', p: 0.5, clustering: { method: 'net', radius: 3 } },
    { type: 'cluster', name: '3-net complete', p: 0.5, clustering: { method: 'net', radius: 3 }, assignment: 'complete' },
    { type: 'cluster', name: '3-net paired', p: 0.5, clustering: { method: 'net', radius: 3 }, assignment: 'paired' },
    { type: 'mixture', name: 'mix 4', p: 0.5, clustering: { method: 'net', radius: 3 }, k: 4 },
  ],
  estimators: ['ht'],
});

const exact = varianceTable(scenario, { draws: 2 });
const { rows } = runSerial(scenario);

function simulated(design: string) {
  const x = rows.filter((r) => r.design === design && r.estimator === 'ht').map((r) => r.estimate!);
  expect(x.length).toBe(R);
  expect(x.every((v) => Number.isFinite(v))).toBe(true);
  const mean = x.reduce((s, v) => s + v, 0) / R;
  const c = x.map((v) => v - mean);
  const v = c.reduce((s, e) => s + e * e, 0) / (R - 1);
  const m4 = c.reduce((s, e) => s + e ** 4, 0) / R;
  return { mean, meanSE: Math.sqrt(v / R), v, vSE: Math.sqrt((m4 - v * v) / R) };
}

describe('exact Var(HT) against simulated replications', () => {
  it('the outcomes are fixed, so nothing but the design varies', () => {
    expect(exact.fixedOutcomes).toBe(true);
    expect(exact.notes.join(' ')).not.toMatch(/conditional/);
  });
  for (const name of ['3-net', '3-net complete', '3-net paired', 'mix 4']) {
    it(`${name}: sample variance within 4 SE of the exact one, mean within 4 SE of E[HT]`, () => {
      const row = exact.rows.find((r) => r.design === name)!;
      expect(row.variance).not.toBeNull();
      expect(row.mean).not.toBeNull();
      const s = simulated(name);
      expect(Math.abs(s.v - row.variance!)).toBeLessThan(4 * s.vSE);
      expect(Math.abs(s.mean - row.mean!)).toBeLessThan(4 * s.meanSE);
      // the simulation is precise enough for the check to bite: SE under 10% of the variance
      expect(s.vSE / s.v).toBeLessThan(0.1);
    });
  }
  it('complete randomization: the unlisted pairs change the variance by more than the simulation can miss', () => {
    const row = exact.rows.find((r) => r.design === '3-net complete')!;
    expect(row.completeCovariance).toBeLessThan(0);
    const listedOnly = row.variance! - row.completeCovariance!;
    const s = simulated('3-net complete');
    expect(Math.abs(s.v - listedOnly)).toBeGreaterThan(4 * s.vSE);
  });
  it('paired clusters: users with no chance of a world make E[HT] miss the truth, and the simulation sees it', () => {
    const row = exact.rows.find((r) => r.design === '3-net paired')!;
    expect(row.noChance.treated).toBeGreaterThan(0);
    const s = simulated('3-net paired');
    expect(Math.abs(s.mean - row.truth)).toBeGreaterThan(4 * s.meanSE);
  });
});
