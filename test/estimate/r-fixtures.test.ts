// CR2 (Bell–McCaffrey df), HC2, Lin's adjustment and CUPED against estimatr
// and clubSandwich on simulated replications (test/fixtures/r: data from
// scripts/r/make-fixtures.mjs, expected numbers from scripts/r/fixtures.R).
// The estimators run through their own prepare() on a stand-in graph and
// design carrying the CSV's columns; R is not needed here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Design } from '../../src/design/index.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import type { Estimate, Estimator, RepData } from '../../src/estimate/index.js';
import { clusterDmCr2 } from '../../src/estimate/cr2.js';
import { adjustedEstimator } from '../../src/estimate/lin.js';

const dir = 'test/fixtures/r';
const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8')) as {
  cases: Record<string, { estimate: number; std_error: number; df: number }>;
};

function load(name: string) {
  const [head, ...lines] = readFileSync(`${dir}/${name}.csv`, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const rows = lines.map((l) => l.split(',').map(Number));
  const col = (c: string) => Float64Array.from(rows, (r) => r[cols.indexOf(c)]!);
  return { n: rows.length, col };
}

/** The estimator run on the CSV: clusters from its `cluster` column (user-level when `users`). */
function run(e: Estimator, name: string, users = false): Estimate {
  const { n, col } = load(name);
  const degree = col('degree');
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!;
  const graph = { csr: { n, offsets, nbrs: new Uint32Array(offsets[n]!) }, attributes: { year: col('year'), dorm: col('dorm') } };
  const cl = Int32Array.from(col('cluster'));
  const count = users ? n : Math.max(...cl) + 1;
  const design = {
    name: 'fixture',
    structure: { kind: 'fixed' },
    units: { partition: true, identity: users, count, list: users ? Int32Array.from({ length: n }, (_, i) => i) : cl },
  } as unknown as Design;
  expect(e.notApplicable(design)).toBeNull();
  const baseline = col('baseline');
  const z = col('z');
  const rep: RepData = {
    dose: z,
    unitZ: Uint8Array.from(z),
    y: col('y'),
    den: null,
    memo: new Map(),
    covariate: (c) => (c === 'baseline' ? baseline : null),
  };
  return e.prepare({ graph: graph as unknown as SocialGraph, design })(rep);
}

function same(got: Estimate, key: string, tol = 1e-8) {
  const want = expected.cases[key]!;
  expect(want, key).toBeDefined();
  expect(Math.abs(got.estimate - want.estimate) / Math.abs(want.estimate), `${key} estimate`).toBeLessThan(tol);
  expect(Math.abs(got.se - want.std_error) / want.std_error, `${key} se`).toBeLessThan(tol);
  expect(Math.abs(got.df - want.df) / want.df, `${key} df`).toBeLessThan(tol);
}

const clustered = ['caltech-dorm-rep0', 'caltech-dorm-rep1', 'caltech-dorm-few-rep0', 'caltech-dorm-few-rep1'];

describe('against estimatr and clubSandwich', () => {
  it.each(clustered)('%s: cluster DM with CR2 and Bell–McCaffrey df = lm_robust(CR2) = coef_test(CR2, Satterthwaite)', (f) => {
    const e = run(clusterDmCr2, f);
    same(e, `${f}/cr2`);
    same(e, `${f}/clubSandwich-cr2`);
  });

  it('the few-cluster case (8 dorms of 44–98 students) is one where CR1 and CR2 differ visibly', () => {
    for (const f of ['caltech-dorm-few-rep0', 'caltech-dorm-few-rep1']) {
      const cr2 = expected.cases[`${f}/cr2`]!;
      const cr1 = expected.cases[`${f}/cr1-stata`]!;
      expect(Math.abs(cr2.std_error / cr1.std_error - 1)).toBeGreaterThan(0.05);
      expect(cr2.df).toBeLessThan(cr1.df);
    }
  });

  it.each(clustered)('%s: lin with clusters = lm_lin(clusters) (CR2)', (f) => {
    same(run(adjustedEstimator('lin', ['baseline', 'degree']), f), `${f}/lin-baseline-degree`);
    same(run(adjustedEstimator('lin', ['baseline', 'degree', 'year']), f), `${f}/lin-baseline-degree-year`);
  });

  it.each(clustered)('%s: cuped with clusters = lm_robust(CR2) of the adjusted outcome', (f) => {
    same(run(adjustedEstimator('cuped', ['baseline', 'degree']), f), `${f}/cuped-baseline-degree`);
  });

  it('user-level: lin = lm_lin (HC2, N − k df); cuped = lm_robust(HC2) of the adjusted outcome', () => {
    const f = 'caltech-user-rep0';
    same(run(adjustedEstimator('lin', ['baseline', 'degree']), f, true), `${f}/lin-baseline-degree`);
    same(run(adjustedEstimator('lin', ['baseline', 'degree', 'year']), f, true), `${f}/lin-baseline-degree-year`);
    same(run(adjustedEstimator('cuped', ['baseline']), f, true), `${f}/cuped-baseline`);
  });
});
