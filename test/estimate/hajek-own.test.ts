// Hajek under an exposure mapping that looks only at a user's own units
// (thread-full) with fixed units: users sharing no unit have independent
// exposures, so its linearised variance is the unit-robust sandwich
// (estimate/unit-robust.ts) rather than Aronow–Samii's Young's bounds.
// Theory: under cluster-level Bernoulli every user is in a world with the
// same probability, so Hajek is the difference in arm means, and its
// linearised contributions are (y_i - m1)/n1 and -(y_i - m0)/n0: the
// cluster-robust variance G/(G-1) * sum_a R_a/n_a^2, where cluster-dm uses
// per-arm factors c_a/(c_a-1) (c_a clusters in arm a). Without interference,
// and with outcome dependence only within units, the interval covers 95%
// within Monte Carlo error, on clusters and on overlapping threads.
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../../src/sim/scenario.js';
import { buildPlan } from '../../src/sim/plan.js';
import { replicator, type Row } from '../../src/sim/replicate.js';
import { diagnose } from '../../src/sim/summary.js';
import { meanMetric, type OutcomeModel } from '../../src/model/model.js';
import { normals } from '../../src/random/streams.js';
import { createDesign } from '../../src/design/index.js';
import { ipwEstimator } from '../../src/estimate/horvitz-thompson.js';
import { fromEdgeList } from '../helpers/graphs.js';

const R = 2000;
const band = 4 * Math.sqrt((0.95 * 0.05) / R); // 4 MC SE of a 95% coverage
const estimators = ['dm', 'cluster-dm', { estimator: 'hajek', exposure: { kind: 'thread-full' } }];

function rowsOf(scenario: Scenario, model?: OutcomeModel<any>): Row[] {
  const plan = buildPlan(scenario);
  const rep = replicator(model ? { ...plan, model } : plan);
  const rows: Row[] = [];
  for (let r = 0; r < R; r++) rows.push(...rep(r));
  return rows;
}

describe('Hajek, thread-full exposure, unit-robust variance', () => {
  it('on a cluster design: cluster-dm\'s estimate, its SE up to the small-sample factors, and 95% coverage', () => {
    const G = 60;
    const scenario = parseScenario({
      seed: 3,
      replications: R,
      // homophily correlates friends' noise, and friends are (nearly all) in one block
      graph: { generator: 'sbm', blocks: G, blockSize: 40, pIn: 0.2, pOut: 0.001 },
      model: { type: 'linear-in-means', beta: 0.3, gamma: 0, sigma: 1, homophily: 0.5 },
      designs: [{ type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } }],
      estimators,
    });
    const rows = rowsOf(scenario);
    const cdm = rows.filter((r) => r.estimator === 'cluster-dm');
    const hajek = rows.filter((r) => r.estimator === 'hajek:thread-full');
    expect(hajek.length).toBe(R);
    // (SE ratio)^2 = (G/(G-1)) / (a mix of c1/(c1-1) and c0/(c0-1)); with
    // 15 <= c_a <= 45 (all but a 1e-5 chance per replication) it lies in:
    const lo = G / (G - 1) / (15 / 14);
    const hi = G / (G - 1) / (45 / 44);
    hajek.forEach((h, k) => {
      expect(h.estimate!).toBeCloseTo(cdm[k]!.estimate!, 12);
      const ratio2 = (h.se! / cdm[k]!.se!) ** 2;
      expect(ratio2).toBeGreaterThanOrEqual(lo);
      expect(ratio2).toBeLessThanOrEqual(hi);
    });
    const d = diagnose(rows).find((x) => x.estimator === 'hajek:thread-full')!;
    expect(Math.abs(d.coverage! - 0.95)).toBeLessThan(band);
  });

  it('on a thread design (users in several threads, mixed users in neither world), thread random effects: 95% coverage', () => {
    const scenario = parseScenario({
      seed: 4,
      replications: R,
      graph: { generator: 'sbm', blocks: 40, blockSize: 60, pIn: 0.15, pOut: 0.0005 },
      threads: { meanThreadsPerUser: 2 },
      model: { type: 'linear-in-means', beta: 0.3, gamma: 0, sigma: 1 },
      designs: [{ type: 'thread', name: 'thread', p: 0.5 }],
      estimators,
    });
    // y_i = beta * dose_i + (sum of i's thread effects) + noise: dependence only through shared threads
    const { threads, csr } = buildPlan(scenario).graph;
    const th = threads!;
    const n = csr.n;
    const model: OutcomeModel<{ u: Float64Array; e: Float64Array }> = {
      type: 'thread-effects',
      metrics: [meanMetric('y')],
      draw: (rng) => ({ u: normals(rng('threads'), new Float64Array(th.count)), e: normals(rng('noise'), new Float64Array(n)) }),
      outcomes({ u, e }, { dose }, num) {
        const y = num[0]!;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let q = th.userOffsets[i]!; q < th.userOffsets[i + 1]!; q++) s += u[th.userThreads[q]!]!;
          y[i] = 0.3 * dose[i]! + s + e[i]!;
        }
      },
    };
    const d = diagnose(rowsOf(scenario, model)).find((x) => x.estimator === 'hajek:thread-full')!;
    expect(Math.abs(d.bias!)).toBeLessThan(4 * d.biasSE!);
    expect(Math.abs(d.coverage! - 0.95)).toBeLessThan(band);
  });
});

describe('marginal probabilities only', () => {
  it('Hajek gives the same rows whether or not HT (which needs joint probabilities) shares its plan', () => {
    const base = {
      seed: 6,
      replications: 30,
      graph: { generator: 'sbm', blocks: 10, blockSize: 30, pIn: 0.2, pOut: 0.005 },
      threads: { meanThreadsPerUser: 2 },
      model: { type: 'linear-in-means', beta: 0.3, gamma: 0.2, sigma: 1 },
      designs: [
        { type: 'thread', name: 'thread', p: 0.5 },
        { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
      ],
    };
    const hajek = { estimator: 'hajek', exposure: { kind: 'thread-full' } };
    const ht = { estimator: 'ht', exposure: { kind: 'thread-full' } };
    const run = (estimators: unknown[]) => {
      const s = parseScenario({ ...base, estimators });
      const rep = replicator(buildPlan(s));
      return Array.from({ length: s.replications }, (_, r) => rep(r).filter((x) => x.estimator === 'hajek:thread-full')).flat();
    };
    const a = run([hajek]);
    expect(a.length).toBe(60);
    expect(run([ht, hajek])).toEqual(a);
    expect(run([hajek, ht])).toEqual(a);
  });
});

describe('Hajek needs two users in each world', () => {
  it('is undefined with one user in a world, as the difference in means is, and defined with two', () => {
    const graph = fromEdgeList(6, [[0, 1], [1, 2], [3, 4]]);
    const design = createDesign({ graph, rng: () => () => 0.5 }, { type: 'user-bernoulli', name: 'user', p: 0.5 });
    const run = ipwEstimator('hajek', { mapping: { kind: 'thread-full' } }).prepare({ graph, design, seed: 1, cache: new Map() });
    const y = Float64Array.from([5, 1, 2, 3, 4, 6]);
    const rep = (z: number[]) => run({ dose: Float64Array.from(z), unitZ: Uint8Array.from(z), y, den: null, memo: new Map() });
    expect(rep([1, 0, 0, 0, 0, 0]).estimate).toBeNaN();
    const two = rep([1, 0, 0, 0, 0, 1]);
    // own-unit exposure on a user-level design: the difference in arm means
    expect(two.estimate).toBeCloseTo((5 + 6) / 2 - (1 + 2 + 3 + 4) / 4, 12);
    expect(Number.isFinite(two.se)).toBe(true);
  });
});
