// spillover draw: one replication's microdata, written as CSV, read back with
// a standard parser, and re-estimated with formulas written here from the
// textbook definitions, must give that replication's rows of runSerial:
// dm (Neyman SE; under thread designs the unit-count-weighted slope with
// HC2), cluster-dm (cluster-robust SE with the G/(G-1) correction per arm,
// C - 2 df), HT and Hajek (estimates; their SEs need joint probabilities
// the file does not hold).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { drawData } from '../../src/sim/draw.js';
import { drawCsv } from '../../src/report/csv.js';
import type { Row } from '../../src/sim/replicate.js';

const scenario = parseScenario({
  name: 'draw-test',
  seed: 11,
  replications: 3,
  graph: { generator: 'sbm', blocks: 12, blockSize: 15, pIn: 0.3, pOut: 0.01 },
  threads: { meanThreadsPerUser: 2, smallSizes: [3, 6], largeSizes: [10, 20], largeShare: 0.05 },
  model: { type: 'linear-in-means', beta: 0.2, gamma: 0.5, sigma: 1 },
  designs: [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'thread', name: 'thread', p: 0.5 },
    { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
  ],
  estimators: ['dm', 'cluster-dm', 'ht', 'hajek', { estimator: 'hajek', exposure: { kind: 'thread-full' }, name: 'hajek-own' }],
});
const REP = 1;

type Table = Record<string, number[] | string[]>;

/** The CSV as columns of numbers (strings where a column is not numeric, e.g. unit_ids). */
function readCsv(text: string): Table {
  const recs = parse(text, { columns: true }) as Record<string, string>[];
  const out: Table = {};
  for (const name of Object.keys(recs[0]!)) {
    const raw = recs.map((r) => r[name]!);
    out[name] = raw.every((v) => v !== '' && !Number.isNaN(Number(v))) ? raw.map(Number) : raw;
  }
  return out;
}

const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

/** Difference in means with Neyman's SE. */
function neyman(z: number[], y: number[]) {
  const y1 = y.filter((_, i) => z[i] === 1);
  const y0 = y.filter((_, i) => z[i] === 0);
  const m1 = sum(y1) / y1.length;
  const m0 = sum(y0) / y0.length;
  const v = (a: number[], m: number) => sum(a.map((x) => (x - m) ** 2)) / (a.length - 1) / a.length;
  return { estimate: m1 - m0, se: Math.sqrt(v(y1, m1) + v(y0, m0)) };
}

/** Weighted least squares of y on x (weights w) with the HC2 sandwich SE. */
function wlsHC2(x: number[], y: number[], w: number[]) {
  const W = sum(w);
  const xb = sum(x.map((v, i) => w[i]! * v)) / W;
  const yb = sum(y.map((v, i) => w[i]! * v)) / W;
  const sxx = sum(x.map((v, i) => w[i]! * (v - xb) ** 2));
  const b = sum(x.map((v, i) => w[i]! * (v - xb) * (y[i]! - yb))) / sxx;
  const a = yb - b * xb;
  let meat = 0;
  x.forEach((v, i) => {
    const e = y[i]! - a - b * v;
    const h = w[i]! * (1 / W + (v - xb) ** 2 / sxx);
    meat += (w[i]! ** 2 * (v - xb) ** 2 * e * e) / (1 - h);
  });
  return { estimate: b, se: Math.sqrt(meat) / sxx };
}

/** Cluster difference in means: user-weighted arm means, cluster-robust (CR1 per arm) SE, C - 2 df. */
function clusterDM(unit: number[], z: number[], y: number[]) {
  const tot = new Map<number, { y: number; n: number; z: number }>();
  unit.forEach((u, i) => {
    const c = tot.get(u) ?? { y: 0, n: 0, z: z[i]! };
    c.y += y[i]!;
    c.n += 1;
    tot.set(u, c);
  });
  const arm = (t: number) => [...tot.values()].filter((c) => c.z === t);
  const [a1, a0] = [arm(1), arm(0)];
  const m = (a: typeof a1) => sum(a.map((c) => c.y)) / sum(a.map((c) => c.n));
  const v = (a: typeof a1) => {
    const mu = m(a);
    const N = sum(a.map((c) => c.n));
    return ((a.length / (a.length - 1)) * sum(a.map((c) => (c.y - mu * c.n) ** 2))) / (N * N);
  };
  return { estimate: m(a1) - m(a0), se: Math.sqrt(v(a1) + v(a0)), df: a1.length + a0.length - 2 };
}

/** HT and Hajek under an exposure mapping, from the class and probability columns. */
function ipw(ex: number[], p1: number[], p0: number[], y: number[]) {
  let t1 = 0,
    t0 = 0,
    w1 = 0,
    w0 = 0;
  ex.forEach((e, i) => {
    if (e === 1 && p1[i]! > 0) ((t1 += y[i]! / p1[i]!), (w1 += 1 / p1[i]!));
    if (e === 0 && p0[i]! > 0) ((t0 += y[i]! / p0[i]!), (w0 += 1 / p0[i]!));
  });
  return { ht: (t1 - t0) / ex.length, hajek: t1 / w1 - t0 / w0 };
}

const close = (a: number, b: number | null) => {
  expect(b).not.toBeNull();
  expect(Math.abs(a - b!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b!)));
};

describe('draw: the CSV of one replication re-estimates to its results rows', () => {
  const { rows } = runSerial(scenario);
  const rowOf = (design: string, estimator: string): Row =>
    rows.find((r) => r.rep === REP && r.design === design && r.estimator === estimator && r.metric === 'y')!;

  it.each(scenario.designs.map((d, k) => [d.name!, k] as const))('%s', (name, k) => {
    const data = drawData(scenario, REP, k);
    const t = readCsv(drawCsv(data));
    const y = t['y'] as number[];
    expect(t['id']).toHaveLength(180);
    // the rows draw reports are runSerial's
    expect(data.rows).toEqual(rows.filter((r) => r.rep === REP && r.design === name));
    // potential outcomes: the truth is the mean difference of the two worlds (linear-in-means: the same in every draw)
    const truth = (sum(t['y_y1'] as number[]) - sum(t['y_y0'] as number[])) / y.length;
    expect(truth).toBeCloseTo(rowOf(name, 'dm').truth, 10);

    const dm = rowOf(name, 'dm');
    if (t['treated']) {
      const z = t['treated'] as number[];
      expect(z).toEqual(t['dose']);
      const r = neyman(z, y);
      close(r.estimate, dm.estimate);
      close(r.se, dm.se);
      const cdm = rows.find((x) => x.rep === REP && x.design === name && x.estimator === 'cluster-dm');
      if (cdm && name !== 'user') {
        const c = clusterDM(t['unit'] as number[], z, y);
        close(c.estimate, cdm.estimate);
        close(c.se, cdm.se);
        expect(cdm.df).toBe(c.df);
      }
    } else {
      // overlapping units: the slope on dose weighted by each user's unit count
      const w = (t['units'] as number[]).map((c) => Math.max(1, c));
      const r = wlsHC2(t['dose'] as number[], y, w);
      close(r.estimate, dm.estimate);
      close(r.se, dm.se);
      close(r.estimate, rowOf(name, 'cluster-dm').estimate); // same slope, overlap-robust SE
      expect(String((t['unit_ids'] as unknown[])[1]).split(';')).toHaveLength((t['units'] as number[])[1]!);
    }

    for (const m of data.mappings) {
      const e = ipw(t[`exposure_${m.column}`] as number[], t[`p1_${m.column}`] as number[], t[`p0_${m.column}`] as number[], y);
      for (const id of m.estimators) {
        const row = rowOf(name, id);
        if (row.estimate === null) continue; // undefined (too few users in a world): nothing to compare
        close(id.startsWith('ht') ? e.ht : e.hajek, row.estimate);
      }
    }
  });

  it('every column is documented in docs/data.md', () => {
    const doc = readFileSync(new URL('../../docs/data.md', import.meta.url), 'utf8');
    scenario.designs.forEach((_, k) => {
      const data = drawData(scenario, REP, k);
      for (const { name } of data.columns) {
        const generic = name.replace(/^(exposure|p1|p0)_.*$/, '$1_<mapping>').replace(/^y(?=$|_)/, '<metric>');
        expect(doc, name).toContain(`\`${generic}\``);
      }
    });
  });

  it('compares every estimator somewhere: dm, cluster-dm, ht, hajek defined in the replication', () => {
    const defined = new Set(rows.filter((r) => r.rep === REP && r.estimate !== null).map((r) => r.estimator));
    for (const id of ['dm', 'cluster-dm', 'ht', 'hajek', 'hajek-own']) expect(defined).toContain(id);
  });
});

describe('draw: ratio metrics of a product model and a clustering drawn per replication', () => {
  const product = parseScenario({
    name: 'draw-product',
    seed: 5,
    replications: 2,
    graph: { generator: 'sbm', blocks: 12, blockSize: 20, pIn: 0.2, pOut: 0.005 },
    threads: { meanThreadsPerUser: 2, smallSizes: [3, 6], largeSizes: [10, 20], largeShare: 0.05 },
    model: { type: 'group-stories', horizon: 7, spillover: true },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm', 'cluster-dm', { estimator: 'hajek', exposure: { kind: 'thread-full' } }],
  });
  const rgcr = parseScenario({
    name: 'draw-rgcr',
    seed: 3,
    replications: 2,
    graph: { generator: 'torus', side: 14, radius: 1, longRangeMean: 1 },
    model: { type: 'ugander-yin', a: 1, b: 0.5, sigma: 0.1, tau: 2 },
    designs: [{ type: 'rgcr', name: 'rgcr', p: 0.5, clustering: { method: 'net', radius: 2 } }],
    estimators: ['dm', 'cluster-dm', 'ht', 'hajek'],
  });

  it('ratio metrics: dm and cluster-dm from numerators and denominators; Hajek from the own-unit classes', () => {
    const { rows } = runSerial(product);
    let compared = 0;
    product.designs.forEach((d, k) => {
      const data = drawData(product, 0, k);
      const t = readCsv(drawCsv(data));
      const z = t['treated'] as number[];
      for (const m of data.metrics) {
        const row = (e: string) => rows.find((r) => r.rep === 0 && r.design === d.name && r.estimator === e && r.metric === m.name)!;
        const num = t[m.name] as number[];
        const den = m.ratio ? (t[`${m.name}_den`] as number[]) : num.map(() => 1);
        const dm = row('dm');
        if (dm.estimate !== null) {
          // weighted least squares of num/den on treatment, weights den (users with den > 0): the ratio of arm totals
          const keep = den.map((w) => w > 0);
          const pick = (a: number[]) => a.filter((_, i) => keep[i]);
          const r = wlsHC2(pick(z), pick(num.map((v, i) => v / den[i]!)), pick(den));
          close(m.scale * r.estimate, dm.estimate);
          close(m.scale * r.se, dm.se);
          compared++;
        }
        const cdm = rows.find((r) => r.rep === 0 && r.design === d.name && r.estimator === 'cluster-dm' && r.metric === m.name);
        if (cdm && cdm.estimate !== null) {
          const unit = t['unit'] as number[];
          const tot = new Map<number, { y: number; n: number; z: number }>();
          unit.forEach((u, i) => {
            const c = tot.get(u) ?? { y: 0, n: 0, z: z[i]! };
            ((c.y += num[i]!), (c.n += den[i]!), tot.set(u, c));
          });
          const arm = (a: number) => [...tot.values()].filter((c) => c.z === a);
          const mean = (a: number) => sum(arm(a).map((c) => c.y)) / sum(arm(a).map((c) => c.n));
          close(m.scale * (mean(1) - mean(0)), cdm.estimate);
          compared++;
        }
        const hj = row('hajek:thread-full');
        if (hj.estimate !== null) {
          const ex = t['exposure_thread_full'] as number[];
          const p1 = t['p1_thread_full'] as number[];
          const p0 = t['p0_thread_full'] as number[];
          const part = (e: number, p: number[]) => {
            let a = 0,
              b = 0;
            ex.forEach((x, i) => {
              if (x === e && p[i]! > 0) ((a += num[i]! / p[i]!), (b += den[i]! / p[i]!));
            });
            return a / b;
          };
          close(m.scale * (part(1, p1) - part(0, p0)), hj.estimate);
          compared++;
        }
      }
    });
    expect(compared).toBeGreaterThan(20);
  });

  it("RGCR: cluster-dm over the replication's own clustering, HT and Hajek from its exposure probabilities", () => {
    const { rows } = runSerial(rgcr);
    const data = drawData(rgcr, 1, 0);
    const t = readCsv(drawCsv(data));
    const y = t['y'] as number[];
    expect(t['covariate_y']).toHaveLength(y.length); // the torus's coordinate, renamed away from the metric
    const row = (e: string) => rows.find((r) => r.rep === 1 && r.estimator === e)!;
    close(neyman(t['dose'] as number[], y).estimate, row('dm').estimate);
    const z = t['dose'] as number[];
    const c = clusterDM(t['cluster'] as number[], z, y);
    close(c.estimate, row('cluster-dm').estimate);
    close(c.se, row('cluster-dm').se);
    const e = ipw(t['exposure_full'] as number[], t['p1_full'] as number[], t['p0_full'] as number[], y);
    close(e.ht, row('ht').estimate);
    close(e.hajek, row('hajek').estimate);
  });
});

describe('draw: a staggered rollout', () => {
  // linear-in-means: Y_i(z) = alpha + beta z_i + gamma (share of i's friends treated) + sigma eps_i, so each stage's
  // outcomes follow from the all-control outcome y_y0 and the stages the CSV gives; the polynomial estimate of the
  // replication's row (which simulated every stage) must equal Lagrange's extrapolation of those stage means, written here
  const P = [0, 0.2, 0.35, 0.5];
  const rollout = parseScenario({
    name: 'draw-rollout',
    seed: 13,
    replications: 2,
    graph: { generator: 'sbm', blocks: 12, blockSize: 15, pIn: 0.3, pOut: 0.01 },
    model: { type: 'linear-in-means', alpha: 1, beta: 0.2, gamma: 0.5, sigma: 1 },
    designs: [
      { type: 'staggered', name: 'rollout', p: 0.5, shares: P },
      { type: 'staggered', name: 'rollout blocks', p: 0.5, shares: P, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm', 'polynomial', { estimator: 'polynomial', degree: 1 }],
  });
  const { plan } = runSerial(rollout);
  const { n, offsets, nbrs } = plan.graph.csr;

  it.each([0, 1])('design %i: stage columns as drawn, and the polynomial row re-estimated from the CSV', (k) => {
    const data = drawData(rollout, 1, k);
    const t = readCsv(drawCsv(data));
    const stage = t['rollout_stage'] as number[];
    const share = (t['rollout_share'] as (number | string)[]).map(Number); // 'NA' (never treated) reads as NaN
    const treated = t['treated'] as number[];
    const y0 = t['y_y0'] as number[];
    const T = P.length - 1;
    for (let i = 0; i < n; i++) {
      expect(treated[i]).toBe(stage[i]! <= T ? 1 : 0);
      if (stage[i]! <= T) expect(share[i]).toBe(P[stage[i]!]);
      else expect(share[i]).toBeNaN();
    }
    // stage means from the model's formula
    const F = P.map((_, s) => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const z = stage[i]! <= s ? 1 : 0;
        const d = offsets[i + 1]! - offsets[i]!;
        let on = 0;
        for (let q = offsets[i]!; q < offsets[i + 1]!; q++) on += stage[nbrs[q]!]! <= s ? 1 : 0;
        total += y0[i]! + 0.2 * z + (d > 0 ? (0.5 * on) / d : 0);
      }
      return total / n;
    });
    // Lagrange: h_s = l_s(1) - l_s(0)
    let lagrange = 0;
    P.forEach((ps, s) => {
      const others = P.filter((_, r) => r !== s);
      const l = (x: number) => others.reduce((a, pr) => (a * (x - pr)) / (ps - pr), 1);
      lagrange += (l(1) - l(0)) * F[s]!;
    });
    close(lagrange, data.rows.find((r) => r.estimator === 'polynomial')!.estimate);
    // least-squares line through the stage means: its slope
    const pm = P.reduce((a, b) => a + b, 0) / P.length;
    const fm = F.reduce((a, b) => a + b, 0) / F.length;
    const slope = P.reduce((a, p, s) => a + (p - pm) * (F[s]! - fm), 0) / P.reduce((a, p) => a + (p - pm) ** 2, 0);
    const row = data.rows.find((r) => r.estimator === 'polynomial:1')!.estimate!;
    expect(Math.abs(slope - row)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(row)));
  });

  it('every column is documented in docs/data.md', () => {
    const doc = readFileSync(new URL('../../docs/data.md', import.meta.url), 'utf8');
    for (const { name } of drawData(rollout, 1, 0).columns) expect(doc, name).toContain(`\`${name.replace(/^y(?=$|_)/, '<metric>')}\``);
  });
});
