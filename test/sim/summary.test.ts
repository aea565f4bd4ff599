// diagnose (src/sim/summary.ts) on rows written by hand, every diagnosand
// worked out by hand below: bias, SD, RMSE, mean SE, coverage, power,
// Monte Carlo SEs, undefined share and reasons. Critical values: the normal
// 0.975 quantile 1.959964 where df is null, and t(2) 0.975 = 0.95 / √0.04875
// = 4.302653 (closed form for 2 df).
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../src/sim/summary.js';
import type { Row } from '../../src/sim/replicate.js';

const row = (
  rep: number,
  estimator: string,
  truth: number,
  estimate: number | null,
  se: number | null,
  df: number | null,
  reason?: string,
): Row => ({
  rep,
  design: 'user',
  estimator,
  metric: 'y',
  truth,
  estimate,
  se,
  df,
  ...(reason ? { reason } : {}),
});

// dm: truth 1 throughout; five defined replications, one undefined.
//  rep  estimate  se   df    error  interval half-width  covers |err|?  rejects |est|?
//   0   1.2       0.5  -     0.2    1.959964·0.5 = 0.980   yes            yes (1.2 > 0.98)
//   1   0.8       0.5  -    -0.2    0.980                 yes            no  (0.8 ≤ 0.98)
//   2   1.5       0.2  -     0.5    0.392                 no             yes
//   3   2.0       0.5  2     1.0    4.302653·0.5 = 2.151  yes            no  (2.0 ≤ 2.15)
//   4   0.5       -    -    -0.5    no SE: in bias, SD, RMSE; not in coverage, power, mean SE
//   5   undefined, reason 'arm-users'
const dm = [
  row(3, 'dm', 1, 2.0, 0.5, 2),
  row(5, 'dm', 1, null, null, null, 'arm-users'),
  row(0, 'dm', 1, 1.2, 0.5, null),
  row(4, 'dm', 1, 0.5, null, null),
  row(2, 'dm', 1, 1.5, 0.2, null),
  row(1, 'dm', 1, 0.8, 0.5, null),
];

// ht: the truth varies by replication (as under product models); one defined replication.
//  truths 1, 2, 3, 2 (mean 2); rep 3 estimates 2.5 without an SE; three undefined.
const ht = [
  row(0, 'ht', 1, null, null, null, 'treated-users'),
  row(1, 'ht', 2, null, null, null),
  row(2, 'ht', 3, null, null, null, 'treated-users'),
  row(3, 'ht', 2, 2.5, null, null),
];

// hajek: truths 0, 2, 1 and estimates 1, 3, 2: every error is exactly 1,
// so SD(err) = 0 while the estimates' SD is 1.
const hajek = [row(0, 'hajek', 0, 1, null, null), row(1, 'hajek', 2, 3, null, null), row(2, 'hajek', 1, 2, null, null)];

const all = diagnose([...dm, ...ht, ...hajek]);
const of = (estimator: string): Diagnosis => all.find((d) => d.estimator === estimator)!;

describe('diagnose on hand-written rows', () => {
  it('one diagnosis per design × estimator × metric', () => {
    expect(all.map((d) => [d.design, d.estimator, d.metric, d.replications])).toEqual([
      ['user', 'dm', 'y', 6],
      ['user', 'ht', 'y', 4],
      ['user', 'hajek', 'y', 3],
    ]);
  });

  it('dm: bias, SD, RMSE over the five defined replications', () => {
    const d = of('dm');
    expect(d.truth).toBe(1);
    expect(d.truthSE).toBe(0);
    // estimates 1.2, 0.8, 1.5, 2.0, 0.5: sum 6.0, mean 1.2
    expect(d.mean).toBeCloseTo(1.2, 12);
    // errors 0.2, -0.2, 0.5, 1.0, -0.5: sum 1.0
    expect(d.bias).toBeCloseTo(0.2, 12);
    // deviations from 1.2: 0, -0.4, 0.3, 0.8, -0.7; squares sum to 1.38
    expect(d.sd).toBeCloseTo(Math.sqrt(1.38 / 4), 12);
    expect(d.sdError).toBeCloseTo(Math.sqrt(1.38 / 4), 12); // fixed truth: SD(err) = SD
    expect(d.biasSE).toBeCloseTo(Math.sqrt(1.38 / 4 / 5), 12);
    // squared errors 0.04 + 0.04 + 0.25 + 1 + 0.25 = 1.58 (= 5·0.2² + 4·0.345)
    expect(d.rmse).toBeCloseTo(Math.sqrt(1.58 / 5), 12);
  });

  it('dm: mean SE, coverage and power over the four replications with an SE, t intervals where df is given', () => {
    const d = of('dm');
    expect(d.meanSE).toBeCloseTo((0.5 + 0.5 + 0.2 + 0.5) / 4, 12);
    expect(d.coverage).toBe(3 / 4); // reps 0, 1, 3
    expect(d.coverageSE).toBeCloseTo(Math.sqrt((0.75 * 0.25) / 4), 12);
    expect(d.power).toBe(2 / 4); // reps 0, 2
  });

  it('dm: undefined share and its reason', () => {
    const d = of('dm');
    expect(d.undefinedShare).toBe(1 / 6);
    expect(d.undefinedReasons).toEqual([{ reason: 'arm-users', text: 'fewer than two users in an arm', count: 1 }]);
  });

  it('ht: one defined replication without an SE; reasons most frequent first, a missing one is "unspecified"', () => {
    const d = of('ht');
    expect(d.truth).toBe(2);
    // truths 1, 2, 3, 2 around 2: squares sum to 2; SE = √(2 / 3 / 4)
    expect(d.truthSE).toBeCloseTo(Math.sqrt(2 / 3 / 4), 12);
    expect(d.mean).toBe(2.5);
    expect(d.bias).toBe(0.5); // against rep 3's own truth, 2
    expect(d.rmse).toBe(0.5);
    expect([d.sd, d.sdError, d.biasSE]).toEqual([null, null, null]);
    expect([d.meanSE, d.coverage, d.coverageSE, d.power]).toEqual([null, null, null, null]);
    expect(d.undefinedShare).toBe(3 / 4);
    expect(d.undefinedReasons).toEqual([
      { reason: 'treated-users', text: 'fewer than two users in the treated world', count: 2 },
      { reason: 'unspecified', text: 'no reason recorded', count: 1 },
    ]);
  });

  it('hajek: with a varying truth, SD(err) and the bias SE come from the errors, not the estimates', () => {
    const d = of('hajek');
    expect(d.truth).toBe(1);
    expect(d.truthSE).toBeCloseTo(Math.sqrt(2 / 2 / 3), 12);
    expect(d.mean).toBe(2);
    expect(d.bias).toBe(1);
    expect(d.sd).toBe(1); // estimates 1, 3, 2 around 2: squares 1 + 1 + 0, over 2
    expect(d.sdError).toBe(0);
    expect(d.biasSE).toBe(0);
    expect(d.rmse).toBe(1);
    expect(d.undefinedShare).toBe(0);
    expect(d.undefinedReasons).toEqual([]);
  });

  it('gives the same diagnosis whatever order the rows arrive in', () => {
    expect(diagnose([...dm, ...ht, ...hajek].reverse())).toEqual([...all].reverse());
  });
});
