// Exact enumeration on a tiny graph, for any exposure mapping: when each
// user's outcome is fixed within its exposure condition, Horvitz–Thompson
// is exactly unbiased and the Aronow–Samii variance is conservative in
// expectation (E[V̂] >= Var). Outcomes of users in neither condition vary
// freely, which must not matter. In a few assignments V̂ itself is negative
// (its pair terms are not a sum of squares): the estimator then reports the
// replication as undefined rather than an interval of width 0, so HT's
// moments are taken from its formula and checked against the estimator
// wherever it is defined.
import { describe, expect, it } from 'vitest';
import { createDesign, doseOf, type DesignSpec } from '../../src/design/index.js';
import { ipwEstimator, probabilitiesFor, IPW_DEFAULTS } from '../../src/estimate/index.js';
import { aronowSamii } from '../../src/estimate/aronow-samii.js';
import { assignments } from '../../src/estimate/exposure/enumerate.js';
import { exposureMapping, type MappingSpec } from '../../src/estimate/exposure/index.js';
import { stream } from '../../src/random/streams.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import { nineNodes } from '../helpers/graphs.js';

const graph: SocialGraph = nineNodes();
const n = 9;
// outcome in the treated condition, the control condition, and a slope on the treated share otherwise
const A = [3, 1.5, 2, 4, -1, 0.5, 2.5, 3, 1];
const B = [1, 0.5, -2, 1, 0, 2, 1, 0.25, -1];
const C = [5, -3, 2, 1, 4, -2, 0, 7, 1];

function enumerateHT(spec: DesignSpec, m: MappingSpec, kind: 'ht' | 'hajek') {
  const design = createDesign({ graph, rng: (p) => stream(1, p) }, spec);
  const mapping = exposureMapping(m);
  const ctx = { graph, design, cache: new Map() };
  const run = ipwEstimator(kind, { mapping: m }).prepare(ctx);
  const p = probabilitiesFor(ctx, { ...IPW_DEFAULTS, mapping: m }, true);
  const dose = new Float64Array(n);
  const ex = new Int8Array(n);
  const y = new Float64Array(n);
  const seen1 = new Float64Array(n);
  const seen0 = new Float64Array(n);
  let m1 = 0,
    m2 = 0,
    v = 0,
    mass = 0,
    defined = 0,
    negative = 0;
  for (const [z, pr] of assignments(design)) {
    doseOf(design.units, z, dose);
    mapping.classify(graph.csr, dose, ex);
    for (let i = 0; i < n; i++) {
      y[i] = ex[i] === 1 ? A[i]! : ex[i] === 0 ? B[i]! : C[i]! * dose[i]!;
      if (ex[i] === 1) seen1[i]! += pr;
      if (ex[i] === 0) seen0[i]! += pr;
    }
    const e = run({ dose, unitZ: z, y, den: null, memo: new Map() });
    mass += pr;
    let est = e.estimate;
    let vhat = e.se ** 2;
    if (kind === 'ht') {
      // HT and Aronow–Samii from their formulas: the estimator must give
      // exactly these, or undefined when the variance is negative
      est = 0;
      for (let i = 0; i < n; i++)
        est += ex[i] === 1 && p.p1[i]! > 0 ? A[i]! / p.p1[i]! / n : ex[i] === 0 && p.p0[i]! > 0 ? -B[i]! / p.p0[i]! / n : 0;
      vhat = aronowSamii(ex, y, y, p, 1 / n, 1 / n);
      if (vhat < 0) {
        expect(e.estimate).toBeNaN();
        expect(e.reason).toBe('negative-variance');
        negative += pr;
      } else {
        expect(e.estimate).toBeCloseTo(est, 12);
        expect(e.se).toBeCloseTo(Math.sqrt(vhat), 12);
      }
    } else if (!Number.isFinite(e.estimate)) continue; // Hajek with an empty condition
    defined += pr;
    m1 += pr * est;
    m2 += pr * est ** 2;
    v += pr * vhat;
  }
  m1 /= defined;
  m2 /= defined;
  v /= defined;
  // the estimand HT targets: users who can reach each condition
  let target = 0;
  for (let i = 0; i < n; i++) target += ((seen1[i]! > 0 ? A[i]! : 0) - (seen0[i]! > 0 ? B[i]! : 0)) / n;
  return {
    mean: m1,
    variance: m2 - m1 * m1,
    meanV: v,
    mass,
    defined,
    negative,
    target,
    positivity: seen1.every((x) => x > 0) && seen0.every((x) => x > 0),
  };
}

const designs: DesignSpec[] = [
  { type: 'user-bernoulli', p: 0.4 },
  { type: 'user-complete', p: 0.45 },
  { type: 'cluster', p: 0.6, clustering: { method: 'blocks' } },
  { type: 'cluster', p: 0.5, clustering: { method: 'blocks' }, assignment: 'paired' },
  { type: 'thread', p: 0.5 },
];
const mappings: MappingSpec[] = [
  { kind: 'fractional', q: 0.5 },
  { kind: 'fractional', q: 0.75 },
  { kind: 'full' },
  { kind: 'thread-full' },
];

describe('Horvitz–Thompson under any mapping, by enumeration', () => {
  for (const spec of designs) {
    for (const m of mappings) {
      const label = `${spec.type}${'assignment' in spec ? `/${spec.assignment}` : ''}, ${exposureMapping(m).key}`;
      it(`${label}: unbiased, and Aronow–Samii is conservative`, () => {
        const r = enumerateHT(spec, m, 'ht');
        expect(r.mass).toBeCloseTo(1, 12);
        expect(r.defined).toBeCloseTo(1, 12);
        expect(r.mean).toBeCloseTo(r.target, 10);
        expect(r.meanV).toBeGreaterThanOrEqual(r.variance - 1e-9);
      });
    }
  }
  it('a negative Aronow–Samii variance makes the replication undefined, not an interval of width 0', () => {
    // user-level Bernoulli, fractional:0.5 has assignments where V̂ < 0
    const r = enumerateHT({ type: 'user-bernoulli', p: 0.4 }, { kind: 'fractional', q: 0.5 }, 'ht');
    expect(r.negative).toBeGreaterThan(0);
  });
  it('the target is the global effect when every user can reach both conditions', () => {
    const r = enumerateHT({ type: 'user-bernoulli', p: 0.4 }, { kind: 'fractional', q: 0.5 }, 'ht');
    expect(r.positivity).toBe(true);
    const gate = A.reduce((s, a, i) => s + a - B[i]!, 0) / n;
    expect(r.mean).toBeCloseTo(gate, 10);
  });
  it('Hajek is not exactly unbiased (a check that the enumeration can tell)', () => {
    const r = enumerateHT({ type: 'user-bernoulli', p: 0.4 }, { kind: 'fractional', q: 0.5 }, 'hajek');
    expect(Math.abs(r.mean - r.target)).toBeGreaterThan(1e-3);
  });
});

describe('ratio metrics (num / den) under exposure mappings', () => {
  const design = createDesign({ graph, rng: (p) => stream(1, p) }, { type: 'cluster', p: 0.5, clustering: { method: 'blocks' } });
  const z = Uint8Array.from([1, 0, 1]);
  const dose = doseOf(design.units, z, new Float64Array(n));
  const y = Float64Array.from(A);
  for (const kind of ['ht', 'hajek'] as const) {
    it(`${kind}: with every denominator 1 it is the Hajek estimate of the mean metric`, () => {
      const m: MappingSpec = { kind: 'fractional', q: 0.5 };
      const ratio = ipwEstimator(kind, { mapping: m }).prepare({ graph, design })({
        dose,
        unitZ: z,
        y,
        den: new Float64Array(n).fill(1),
        memo: new Map(),
      });
      const mean = ipwEstimator('hajek', { mapping: m }).prepare({ graph, design })({ dose, unitZ: z, y, den: null, memo: new Map() });
      expect(ratio.estimate).toBeCloseTo(mean.estimate, 12);
      expect(ratio.se).toBeCloseTo(mean.se, 12);
    });
    it(`${kind}: numerators proportional to denominators give 0 with SE 0`, () => {
      const den = Float64Array.from(C, (c) => Math.abs(c) + 1);
      const num = den.map((d) => 2.5 * d);
      const e = ipwEstimator(kind, { mapping: { kind: 'fractional', q: 0.5 } }).prepare({ graph, design })({
        dose,
        unitZ: z,
        y: num,
        den,
        memo: new Map(),
      });
      expect(e.estimate).toBeCloseTo(0, 12);
      expect(e.se).toBeCloseTo(0, 12);
    });
  }
});
