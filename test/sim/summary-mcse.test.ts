// The Monte Carlo SE of every diagnosand (summary.ts, bootstrap.ts): the
// closed forms against a hand computation, and the bootstrap SE of the SD
// against the normal-theory SE of an SD, sigma / sqrt(2 (k - 1)).
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/sim/summary.js';
import { bootstrapSE } from '../../src/sim/bootstrap.js';
import type { Row } from '../../src/sim/replicate.js';
import { normal, stream } from '../../src/random/streams.js';

const row = (rep: number, truth: number, estimate: number | null, se: number | null, df: number | null = null): Row => ({
  rep,
  design: 'user',
  estimator: 'dm',
  metric: 'y',
  truth,
  estimate,
  se,
  df,
  ...(estimate === null ? { reason: 'arm-users' } : {}),
});

// truth 1; estimates 1.2, 0.8, 1.5, 2.0 with SEs 0.5, 0.5, 0.2, 0.5 (normal
// intervals); one undefined replication.
const rows = [row(0, 1, 1.2, 0.5), row(1, 1, 0.8, 0.5), row(2, 1, 1.5, 0.2), row(3, 1, 2.0, 0.5), row(4, 1, null, null)];
const [d] = diagnose(rows, 0.05, 7);

describe('Monte Carlo SEs of the diagnosands', () => {
  it('closed forms: mean and bias SD/sqrt(k), coverage and power sqrt(p(1-p)/k), mean SE sd(SE)/sqrt(k)', () => {
    // estimates: mean 5.5 / 4 = 1.375; deviations -0.175, -0.575, 0.125, 0.625; squares 0.030625 + 0.330625 + 0.015625 + 0.390625 = 0.7675
    const sd = Math.sqrt(0.7675 / 3);
    expect(d!.sd).toBeCloseTo(sd, 12);
    expect(d!.meanEstimateSE).toBeCloseTo(sd / 2, 12);
    expect(d!.biasSE).toBeCloseTo(sd / 2, 12); // fixed truth: errors and estimates have the same SD
    // errors 0.2, 0.2, 0.5, 1.0: covered when |err| <= 1.959964 SE: 0.98, 0.98, 0.392, 0.98 -> reps 0, 1
    expect(d!.coverage).toBe(0.5);
    expect(d!.coverageSE).toBeCloseTo(Math.sqrt(0.25 / 4), 12);
    // rejects when |est| > 1.959964 SE: 1.2 > 0.98, 0.8 no, 1.5 > 0.392, 2.0 > 0.98 -> 3 of 4
    expect(d!.power).toBe(0.75);
    expect(d!.powerSE).toBeCloseTo(Math.sqrt((0.75 * 0.25) / 4), 12);
    // SEs 0.5, 0.5, 0.2, 0.5: mean 0.425, deviations 0.075 x3 and -0.225; squares 0.0675; sd sqrt(0.0675/3)
    expect(d!.meanSE).toBeCloseTo(0.425, 12);
    expect(d!.meanSESE).toBeCloseTo(Math.sqrt(0.0675 / 3) / 2, 12);
    expect(d!.sdSE).toBeGreaterThan(0);
    expect(d!.rmseSE).toBeGreaterThan(0);
  });

  it('no SE where a diagnosand rests on fewer than two values', () => {
    const [one] = diagnose([row(0, 1, 1.2, 0.5), row(1, 1, null, null)]);
    expect([one!.meanEstimateSE, one!.biasSE, one!.sdSE, one!.rmseSE, one!.meanSESE]).toEqual([null, null, null, null, null]);
    expect(one!.powerSE).toBe(0); // a share of one: p(1-p) = 0
  });

  it('the bootstrap is deterministic and keyed by the row, not by the other rows', () => {
    const other = rows.map((r) => ({ ...r, estimator: 'ht' }));
    const [a] = diagnose(rows, 0.05, 7);
    const both = diagnose([...other, ...rows], 0.05, 7).find((x) => x.estimator === 'dm');
    expect(both!.sdSE).toBe(a!.sdSE);
    expect(both!.rmseSE).toBe(a!.rmseSE);
    expect(diagnose(rows, 0.05, 8)[0]!.sdSE).not.toBe(a!.sdSE);
  });

  it('bootstrap SE of the SD matches sigma / sqrt(2 (k - 1)) on normal data, and of the RMSE its delta-method value', () => {
    const k = 2000;
    const sigma = 2;
    const z = normal(stream(1, 'test', 'mcse'), 0, sigma);
    const est = Array.from({ length: k }, () => z());
    const truth = new Array<number>(k).fill(0);
    const se = bootstrapSE(est, truth, [3, 'd', 'e', 'm'], 400);
    const expected = sigma / Math.sqrt(2 * (k - 1));
    // 400 resamples: the bootstrap SE is itself uncertain by about 1/sqrt(2·400) = 3.5%
    expect(Math.abs(se.sd / expected - 1)).toBeLessThan(0.15);
    // truth 0 and mean 0: RMSE ≈ SD, with the same SE
    expect(Math.abs(se.rmse / expected - 1)).toBeLessThan(0.15);
  });
});
