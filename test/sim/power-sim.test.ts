// spillover power against theory where theory is exact: no interference.
// Every tolerance is 4 Monte Carlo SEs: of an SD from R replications,
// SD/sqrt(2(R-1)); of the analytic SE over its model draws (its seSE); of
// the ANOVA ICC, Fisher's large-sample variance.
import { beforeAll, describe, expect, it } from 'vitest';
import { drawnSE, linearise } from '../../src/sim/power.js';
import { weightedSlope } from '../../src/estimate/dm.js';
import { stream, type Rng } from '../../src/random/streams.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { powerTable, type PowerRow } from '../../src/sim/power-table.js';

/** E[1/X + 1/(K - X)] for X ~ Binomial(K, p), over 2 <= X <= K - 2 (where the estimators are defined). */
function meanInverseArms(K: number, p: number): number {
  const logFact = [0];
  for (let i = 1; i <= K; i++) logFact.push(logFact[i - 1]! + Math.log(i));
  let mass = 0,
    sum = 0;
  for (let x = 2; x <= K - 2; x++) {
    const w = Math.exp(logFact[K]! - logFact[x]! - logFact[K - x]! + x * Math.log(p) + (K - x) * Math.log(1 - p));
    mass += w;
    sum += w * (1 / x + 1 / (K - x));
  }
  return sum / mass;
}

const sdSE = (sd: number, R: number) => sd / Math.sqrt(2 * (R - 1));

describe('linear-in-means without interference on disjoint cliques', () => {
  // K cliques of m users (SBM with pIn = 1, pOut = 0); homophily h gives
  // eps_i = a·eta_i + b·sum_{j != i} eta_j / sqrt(m - 1), a² = 1 - h, b² = h:
  // unit variance and, within a clique, the same covariance for every pair
  // (random effects), rho = 2ab/sqrt(m - 1) + h(m - 2)/(m - 1).
  const K = 300,
    m = 10,
    h = 0.02,
    R = 2000,
    D = 40,
    beta = 0.1;
  const N = K * m;
  const rho = (2 * Math.sqrt(h * (1 - h))) / Math.sqrt(m - 1) + (h * (m - 2)) / (m - 1);
  const scenario = parseScenario({
    seed: 11,
    replications: R,
    graph: { generator: 'sbm', blocks: K, blockSize: m, pIn: 1, pOut: 0 },
    model: { type: 'linear-in-means', alpha: 0, beta, gamma: 0, sigma: 1, homophily: h },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
  });
  let user: PowerRow, blocks: PowerRow;
  beforeAll(() => {
    const t = powerTable(scenario, { power: 0.8, draws: D });
    user = t.rows.find((r) => r.design === 'user')!;
    blocks = t.rows.find((r) => r.design === 'blocks')!;
  });
  // Exact SDs of the difference in means. Given the arm sizes, assignment is
  // a uniform split, so Var = E[1/n1 + 1/n0] · E[s²] over users (user-level)
  // or over clique means (cluster-level); E[s²] = 1 - (m-1)rho/(N-1) for
  // users, and clique means are independent with variance (1 + (m-1)rho)/m.
  const exact = {
    user: Math.sqrt(meanInverseArms(N, 0.5) * (1 - ((m - 1) * rho) / (N - 1))),
    blocks: Math.sqrt((meanInverseArms(K, 0.5) * (1 + (m - 1) * rho)) / m),
  };
  // what the analytic formula estimates: 1/(N p) + 1/(N (1-p)) in place of E[1/n1 + 1/n0]
  const formula = {
    user: Math.sqrt((4 / N) * (1 - ((m - 1) * rho) / (N - 1))),
    blocks: Math.sqrt((4 / N) * (1 + (m - 1) * rho)),
  };

  it('the ANOVA ICC and the design effect match rho and 1 + (m - 1)·rho', () => {
    const fisher = Math.sqrt((2 * (1 - rho) ** 2 * (1 + (m - 1) * rho) ** 2) / (m * (m - 1) * (K - 1)) / D);
    expect(Math.abs(blocks.icc - rho)).toBeLessThan(4 * fisher);
    expect(blocks.cv).toBe(0);
    expect(blocks.deffEqual).toBeCloseTo(1 + (m - 1) * blocks.icc, 12);
    expect(blocks.deffUnequal).toBeCloseTo(blocks.deffEqual, 12);
    expect(Math.abs(blocks.deffEqual - (1 + (m - 1) * rho))).toBeLessThan(4 * (m - 1) * fisher);
    expect(user.icc).toBe(0);
    expect(user.deffUnequal).toBe(1);
  });

  it('the analytic SE matches its closed form within its Monte Carlo error over the draws', () => {
    // relative error of the SE from D draws: 1/sqrt(2·D·(K-1)) for the cluster
    // design (a variance of K clique means per draw), sqrt((1 + (m-1)rho²)/(2·N·D))
    // for users (the variance of a sample variance of correlated normals);
    // seSE estimates it from the draws' spread, within 4/sqrt(2(D-1)) relative
    const rel = { user: Math.sqrt((1 + (m - 1) * rho ** 2) / (2 * N * D)), blocks: 1 / Math.sqrt(2 * D * (K - 1)) };
    for (const r of [user, blocks]) {
      const key = r.design as 'user' | 'blocks';
      expect(Math.abs(r.seSE / (rel[key] * formula[key]) - 1)).toBeLessThan(4 / Math.sqrt(2 * (D - 1)));
      expect(Math.abs(r.se - formula[key])).toBeLessThan(4 * rel[key] * formula[key]);
    }
  });

  it('the simulated SD matches the exact SD, and the analytic SE matches the simulated SD', () => {
    for (const r of [user, blocks]) {
      const sd = r.simulatedSD!;
      const exactSD = exact[r.design as 'user' | 'blocks'];
      expect(Math.abs(sd - exactSD)).toBeLessThan(4 * sdSE(exactSD, R));
      expect(r.simulatedSDSE!).toBeCloseTo(sdSE(sd, R), 12);
      expect(Math.abs(r.se - sd)).toBeLessThan(4 * Math.hypot(sdSE(sd, R), r.seSE));
    }
  });

  it('simulated power matches analytic power within binomial and SE error', () => {
    for (const r of [user, blocks]) {
      // d(power)/d(se) ≈ -phi(tau/se - z)·tau/se², the SE's own error carried over
      const zc = 1.959964;
      const dPower = (Math.exp(-0.5 * (beta / r.se - zc) ** 2) / Math.sqrt(2 * Math.PI)) * (beta / r.se ** 2);
      const tol = 4 * Math.hypot(Math.sqrt((r.analyticPower * (1 - r.analyticPower)) / R), dPower * r.seSE);
      expect(Math.abs(r.simulatedPower! - r.analyticPower)).toBeLessThan(tol);
    }
  });
});

describe('ratio metric: the linearised SE against the ratio difference in means', () => {
  // Users independent: den ~ Poisson(lambda) events, num = their total, each
  // event Exponential with mean mu. Then R = mu and Var(num - R·den) =
  // lambda·mu², so sum(num)/sum(den) has variance mu²/(n_arm·lambda) (delta
  // method, exact as n grows).
  const n = 2000,
    p = 0.5,
    R = 1500,
    D = 40;
  const arms = { 0: { lambda: 2, mu: 1 }, 1: { lambda: 2.5, mu: 1.2 } } as const;
  const world = (rng: Rng, z: 0 | 1) => {
    const { lambda, mu } = arms[z];
    const num = new Float64Array(n),
      den = new Float64Array(n);
    const L = Math.exp(-lambda);
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let q = rng(); q > L; q *= rng()) k++; // Knuth's Poisson
      let s = 0;
      for (let j = 0; j < k; j++) s -= mu * Math.log(1 - rng());
      ((den[i] = k), (num[i] = s));
    }
    return { num, den };
  };
  const exactSD = Math.sqrt(arms[1].mu ** 2 / (n * p * arms[1].lambda) + arms[0].mu ** 2 / (n * (1 - p) * arms[0].lambda));

  it('analytic SE, simulated SD of the dm estimate and the closed form agree', () => {
    const y0: Float64Array[] = [],
      y1: Float64Array[] = [];
    for (let r = 0; r < D; r++) {
      const rng = stream(5, 'ratio-draw', r);
      const w0 = world(rng, 0),
        w1 = world(rng, 1);
      y0.push(linearise(w0.num, w0.den));
      y1.push(linearise(w1.num, w1.den));
    }
    const labels = Int32Array.from({ length: n }, (_, i) => i);
    const a = drawnSE({ y0, y1, labels, count: n, p });
    expect(Math.abs(a.se - exactSD)).toBeLessThan(4 * a.seSE);

    const est: number[] = [];
    const z = new Float64Array(n),
      num = new Float64Array(n),
      den = new Float64Array(n);
    for (let r = 0; r < R; r++) {
      const rng = stream(5, 'ratio-rep', r);
      const w0 = world(rng, 0),
        w1 = world(rng, 1);
      for (let i = 0; i < n; i++) {
        z[i] = rng() < p ? 1 : 0;
        num[i] = z[i] ? w1.num[i]! : w0.num[i]!;
        den[i] = z[i] ? w1.den[i]! : w0.den[i]!;
      }
      est.push(weightedSlope(z, num, den, null).estimate);
    }
    const mean = est.reduce((s, x) => s + x, 0) / R;
    const sd = Math.sqrt(est.reduce((s, x) => s + (x - mean) ** 2, 0) / (R - 1));
    expect(Math.abs(mean - (arms[1].mu - arms[0].mu))).toBeLessThan((4 * sd) / Math.sqrt(R));
    expect(Math.abs(sd - exactSD)).toBeLessThan(4 * sdSE(exactSD, R));
    expect(Math.abs(a.se - sd)).toBeLessThan(4 * Math.hypot(sdSE(sd, R), a.seSE));
  });
});

describe('matched pairs', () => {
  it('are flagged: the analytic SE is that of unmatched randomization', () => {
    const scenario = parseScenario({
      seed: 2,
      replications: 20,
      graph: { generator: 'sbm', blocks: 40, blockSize: 10, pIn: 1, pOut: 0 },
      model: { type: 'linear-in-means', alpha: 0, beta: 0.1, gamma: 0, sigma: 1 },
      designs: [
        { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
        { type: 'cluster', name: 'pairs', p: 0.5, clustering: { method: 'blocks' }, assignment: 'paired' },
      ],
    });
    const t = powerTable(scenario, { power: 0.8, draws: 2 });
    expect(t.notes).toHaveLength(1);
    expect(t.notes[0]).toMatch(/^pairs: clusters are matched in pairs/);
  });
});
