// The no-spillover test (Athey, Eckles & Imbens 2018) against its
// definition and theory: focal users are the greedy independent set of the
// random order among users with friends (written again here); the statistic
// is the covariance of arm-centred focal outcomes and shares of treated
// friends (computed here with s̄ subtracted); with a direct effect but no
// spillover the 5% test rejects 5% of the time (the test is exact), and with
// spillover it rejects far more often.
import { describe, expect, it } from 'vitest';
import { centredFocal, focalUsers, spilloverStatistic } from '../../src/estimate/aei.js';
import { csrFromEdges } from '../../src/graph/csr.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { runSerial } from '../../src/sim/run.js';

// a 9-node graph: a triangle, a path, a star and an isolated node
const edges = [
  [0, 1],
  [1, 2],
  [0, 2],
  [3, 4],
  [4, 5],
  [6, 7],
  [6, 8],
];
const { csr } = csrFromEdges(10, Uint32Array.from(edges.map((e) => e[0]!)), Uint32Array.from(edges.map((e) => e[1]!)), edges.length);
const friends = (i: number) => edges.flatMap(([a, b]) => (a === i ? [b!] : b === i ? [a!] : []));

describe('no-spillover test: the definition', () => {
  it('focal users: in order, each user with friends none of whom is focal yet', () => {
    for (const order of [
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
      [4, 1, 7, 9, 0, 3, 8, 2, 6, 5],
    ]) {
      const focal: number[] = [];
      for (const i of order) if (friends(i).length > 0 && !friends(i).some((j) => focal.includes(j))) focal.push(i);
      expect([...focalUsers(csr, order)]).toEqual(focal.sort((a, b) => a - b));
    }
  });

  it('the statistic is |Σ (y − ȳ_arm)(s − s̄)| over focal users', () => {
    const focal = focalUsers(csr, [4, 1, 7, 9, 0, 3, 8, 2, 6, 5]);
    const y = [1.5, -0.2, 0.7, 2.1, 0.3, -1.1, 0.9, 0.4, 1.8, 0];
    const z = [1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
    const f = [...focal];
    const share = f.map((i) => friends(i).reduce((s, j) => s + z[j]!, 0) / friends(i).length);
    const arm = (t: number) => f.filter((i) => z[i] === t);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const yc = f.map((i) => y[i]! - mean(arm(z[i]!).map((j) => y[j]!)));
    const sBar = mean(share);
    const want = Math.abs(yc.reduce((s, v, k) => s + v * (share[k]! - sBar), 0));
    expect(spilloverStatistic(csr, focal, centredFocal(focal, y, z), z)).toBeCloseTo(want, 12);
  });
});

describe('no-spillover test: size and power over replications', { timeout: 180_000 }, () => {
  const R = 300;
  const scenario = (gamma: number) =>
    parseScenario({
      name: 'aei',
      seed: 31,
      replications: R,
      graph: { generator: 'sbm', blocks: 10, blockSize: 30, pIn: 0.15, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 0.5, gamma, sigma: 1 },
      designs: [
        { type: 'user-bernoulli', name: 'bernoulli', p: 0.5 },
        { type: 'user-complete', name: 'complete', p: 0.5 },
      ],
      estimators: ['aei'],
    });

  it('a direct effect and no spillover: rejects 5% of the time, within 4 Monte Carlo SE', () => {
    const se = Math.sqrt((0.05 * 0.95) / R);
    for (const d of runSerial(scenario(0)).results.diagnosis) {
      expect(d.undefinedShare).toBe(0);
      expect(Math.abs(d.power! - 0.05), `${d.design}: ${d.power}`).toBeLessThan(4 * se);
    }
  });

  it('with spillover (gamma = 1) it rejects far more often: more than 10 SE above 5%', () => {
    const se = Math.sqrt((0.05 * 0.95) / R);
    for (const d of runSerial(scenario(1)).results.diagnosis) expect(d.power!, d.design).toBeGreaterThan(0.05 + 10 * se);
  });
});
