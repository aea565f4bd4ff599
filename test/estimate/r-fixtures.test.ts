// CR2 (Bell–McCaffrey df), HC2, Lin's adjustment and CUPED against estimatr
// and clubSandwich on simulated replications (test/fixtures/r: data written
// by `spillover draw`, expected numbers from scripts/r/fixtures.R; both by
// scripts/r/make-fixtures.sh).
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
  const rows = lines.map((l) => l.split(',').map(Number)); // NA reads as NaN: a missing attribute
  const col = (c: string) => Float64Array.from(rows, (r) => r[cols.indexOf(c)]!);
  return { n: rows.length, col };
}

/** The estimator run on the CSV: clusters from its `unit` column (user-level when `users`). */
function run(e: Estimator, name: string, users = false): Estimate {
  const { n, col } = load(name);
  const graph = { csr: { n, offsets: new Uint32Array(n + 1), nbrs: new Uint32Array(0) }, attributes: { year: col('year') } };
  const cl = Int32Array.from(col('unit'));
  const count = users ? n : Math.max(...cl) + 1;
  const design = {
    name: 'fixture',
    structure: { kind: 'fixed' },
    units: { partition: true, identity: users, count, list: users ? Int32Array.from({ length: n }, (_, i) => i) : cl },
  } as unknown as Design;
  expect(e.notApplicable(design)).toBeNull();
  const baseline = col('baseline');
  const z = col('dose');
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
  it('user-level: the regression engine without covariates is the difference in means with HC2 = lm_robust(HC2)', () => {
    same(run(adjustedEstimator('lin', []), 'caltech-user-rep0', true), 'caltech-user-rep0/hc2');
  });

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
    same(run(adjustedEstimator('lin', ['baseline']), f), `${f}/lin-baseline`);
    same(run(adjustedEstimator('lin', ['baseline', 'year']), f), `${f}/lin-baseline-year`);
  });

  it.each(clustered)('%s: cuped with clusters = lm_robust(CR2) of the adjusted outcome', (f) => {
    same(run(adjustedEstimator('cuped', ['baseline', 'year']), f), `${f}/cuped-baseline-year`);
  });

  it('user-level: lin = lm_lin (HC2, N − k df); cuped = lm_robust(HC2) of the adjusted outcome', () => {
    const f = 'caltech-user-rep0';
    same(run(adjustedEstimator('lin', ['baseline']), f, true), `${f}/lin-baseline`);
    same(run(adjustedEstimator('lin', ['baseline', 'year']), f, true), `${f}/lin-baseline-year`);
    same(run(adjustedEstimator('cuped', ['baseline']), f, true), `${f}/cuped-baseline`);
  });
});
