// The Saveski et al. (2017) interference test: with no interference the two
// arms estimate the same effect, so the test rejects at about its level;
// with interference the user-randomized arm is pulled towards the direct
// effect and the test detects it.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';

function run(gamma: number) {
  const scenario = parseScenario({
    seed: 21,
    replications: 600,
    graph: { generator: 'sbm', blocks: 40, blockSize: 40, pIn: 0.25, pOut: 0.0005 },
    model: { type: 'linear-in-means', alpha: 0, beta: 0.2, gamma, sigma: 1 },
    designs: [{ type: 'saveski', name: 'two-arm', p: 0.5, clustering: { method: 'blocks' } }],
    estimators: ['saveski'],
  });
  return runSerial(scenario).results.diagnosis.find((d) => d.estimator === 'saveski')!;
}

describe('Saveski et al. interference test', () => {
  it('holds its level without interference', () => {
    const d = run(0);
    expect(d.undefinedShare).toBe(0);
    // 600 replications: MC SE of a 5% rate is 0.9 points; within 4 SE both ways
    expect(Math.abs(d.power! - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / 600));
    expect(Math.abs(d.mean!)).toBeLessThan(4 * d.biasSE!);
  });
  it('detects interference', () => {
    const d = run(0.5);
    // cluster arm ≈ beta + gamma * (within-cluster share ≈ 0.95), user arm ≈ beta
    expect(d.mean!).toBeGreaterThan(0.35);
    expect(d.power!).toBeGreaterThan(0.8);
  });
});
