// Var(HT) over clusterings against brute force: every clustering of a mixture
// (or every priority order of RGCR 1-hop-max) times every cluster assignment,
// with HT and full-neighbourhood exposure written here from their definitions.
import { describe, expect, it } from 'vitest';
import { htVarianceOverClusterings, marginalsOverClusterings, type ClusteringSource } from '../../../src/estimate/variance/clusterings.js';
import { fromEdgeList } from '../../helpers/graphs.js';
import { permutations } from '../../helpers/rnet.js';
import type { CSR } from '../../../src/graph/csr.js';

const g = fromEdgeList(8, [
  [0, 1],
  [1, 2],
  [2, 0],
  [2, 3],
  [3, 4],
  [4, 5],
  [5, 3],
  [5, 6],
  [6, 7],
  [7, 0],
]).csr;
const y1 = Float64Array.from([3, 1.5, 2, 4, 0.5, 2.5, 1, 3.5]);
const y0 = Float64Array.from([1, 0.5, 1.5, 2, 0.25, 1, 0.75, 2]);

/** E[HT], Var(HT) by enumerating every (clustering, coins) outcome; weights p1, p0 given. */
function brute(
  g: CSR,
  clusterings: Int32Array[],
  p: number,
  p1: Float64Array,
  p0: Float64Array,
  scope: 'neighbourhood' | 'own',
  weights?: number[],
) {
  let e1 = 0,
    e2 = 0;
  for (const [m, labels] of clusterings.entries()) {
    const C = Math.max(...labels) + 1;
    for (let mask = 0; mask < 1 << C; mask++) {
      let ones = 0;
      for (let c = 0; c < C; c++) if (mask & (1 << c)) ones++;
      const prob = p ** ones * (1 - p) ** (C - ones) * (weights ? weights[m]! : 1 / clusterings.length);
      const z = (i: number) => (mask >> labels[i]!) & 1;
      let ht = 0;
      for (let i = 0; i < g.n; i++) {
        const who = scope === 'own' ? [i] : [i, ...Array.from(g.nbrs.subarray(g.offsets[i]!, g.offsets[i + 1]!))];
        if (who.every((j) => z(j) === 1) && p1[i]! > 0) ht += y1[i]! / p1[i]!;
        if (who.every((j) => z(j) === 0) && p0[i]! > 0) ht -= y0[i]! / p0[i]!;
      }
      ht /= g.n;
      e1 += prob * ht;
      e2 += prob * ht * ht;
    }
  }
  return { mean: e1, variance: e2 - e1 * e1 };
}

const source = (cs: Int32Array[]): ClusteringSource => ({
  count: cs.length,
  exact: true,
  clustering: (m) => ({ labels: cs[m]!, count: Math.max(...cs[m]!) + 1 }),
});

describe('HT variance over clusterings equals brute-force enumeration', () => {
  const mixture = [
    Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2]),
    Int32Array.from([0, 1, 1, 2, 2, 3, 3, 0]),
    Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
  ];
  for (const scope of ['neighbourhood', 'own'] as const) {
    for (const p of [0.5, 0.3]) {
      it(`mixture of 3 clusterings, ${scope}, p = ${p}: exact marginals make E[HT] the effect`, () => {
        const { p1, p0 } = marginalsOverClusterings(g, scope, p, source(mixture));
        const want = brute(g, mixture, p, p1, p0, scope);
        const got = htVarianceOverClusterings(g, scope, p, y1, y0, p1, p0, source(mixture));
        expect(got.variance).toBeCloseTo(want.variance, 10);
        expect(got.mean).toBeCloseTo(want.mean, 12);
        const effect = (y1.reduce((s, v) => s + v, 0) - y0.reduce((s, v) => s + v, 0)) / g.n;
        expect(got.mean).toBeCloseTo(effect, 12);
        expect(got.se).toBe(0);
      });
    }
  }
  it('weights that are not the marginals (as Monte Carlo ones are): still the variance of that HT', () => {
    const p1 = Float64Array.from({ length: 8 }, (_, i) => 0.05 + 0.03 * i);
    const p0 = Float64Array.from({ length: 8 }, (_, i) => 0.3 - 0.02 * i);
    p1[3] = 0; // a user the estimator leaves out
    const want = brute(g, mixture, 0.5, p1, p0, 'neighbourhood');
    const got = htVarianceOverClusterings(g, 'neighbourhood', 0.5, y1, y0, p1, p0, source(mixture));
    expect(got.variance).toBeCloseTo(want.variance, 9);
    expect(got.mean).toBeCloseTo(want.mean, 12);
  });
  it('RGCR 1-hop-max: every priority order is a clustering; Monte Carlo over draws within 4 SE', () => {
    // all 8! orders: the clustering distribution of 1-hop-max, exactly
    const all: Int32Array[] = [];
    const seen = new Map<string, { labels: Int32Array; times: number }>();
    for (const order of permutations([...Array(8).keys()])) {
      const pr = order.map((v) => v);
      const labels = new Int32Array(8);
      for (let i = 0; i < 8; i++) {
        let best = i;
        for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) if (pr[g.nbrs[e]!]! > pr[best]!) best = g.nbrs[e]!;
        labels[i] = best;
      }
      // relabel 0..C-1
      const map = new Map<number, number>();
      const rel = labels.map((l) => (map.has(l) ? map.get(l)! : (map.set(l, map.size), map.size - 1)));
      const key = rel.join();
      const known = seen.get(key) ?? { labels: rel, times: 0 };
      known.times++;
      seen.set(key, known);
      all.push(known.labels);
    }
    const { p1, p0 } = marginalsOverClusterings(g, 'neighbourhood', 0.5, source(all));
    const exact = htVarianceOverClusterings(g, 'neighbourhood', 0.5, y1, y0, p1, p0, source(all));
    const distinct = [...seen.values()];
    const want = brute(
      g,
      distinct.map((d) => d.labels),
      0.5,
      p1,
      p0,
      'neighbourhood',
      distinct.map((d) => d.times / all.length),
    );
    expect(exact.variance).toBeCloseTo(want.variance, 9);
    // Monte Carlo: random draws from the same distribution
    let s = 12345;
    const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const mc = htVarianceOverClusterings(g, 'neighbourhood', 0.5, y1, y0, p1, p0, {
      count: 4000,
      exact: false,
      clustering: () => {
        const c = all[Math.floor(rand() * all.length)]!;
        return { labels: c, count: Math.max(...c) + 1 };
      },
    });
    expect(mc.se).toBeGreaterThan(0);
    expect(Math.abs(mc.variance - exact.variance)).toBeLessThan(4 * mc.se);
  });
});
