// Algebraic identities of the difference-in-means estimator.
import { describe, expect, it } from 'vitest';
import { differenceInMeans } from '../../src/estimate/dm.js';
import { stream, normal } from '../../src/random/streams.js';
import type { RepData } from '../../src/estimate/estimator.js';

const run = differenceInMeans.prepare({} as never);
const data = (dose: number[], y: number[], den: number[] | null = null): RepData => ({
  dose: Float64Array.from(dose),
  unitZ: new Uint8Array(0),
  y: Float64Array.from(y),
  den: den ? Float64Array.from(den) : null,
  memo: new Map(),
});

function sample(n: number, seed: number) {
  const rng = stream(seed, 'test');
  const z = normal(rng);
  const dose = Array.from({ length: n }, () => (rng() < 0.4 ? 1 : 0));
  const y = dose.map((d) => 1 + 2 * d + z());
  const den = dose.map(() => 1 + Math.floor(rng() * 5));
  return { dose, y, den };
}

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const variance = (a: number[]) => a.reduce((s, x) => s + (x - mean(a)) ** 2, 0) / (a.length - 1);

describe('difference in means', () => {
  it.each([200, 201])('0/1 dose: estimate is the difference of arm means and SE is Neyman (%i users)', (users) => {
    const { dose, y } = sample(users, 1);
    const y1 = y.filter((_, i) => dose[i] === 1);
    const y0 = y.filter((_, i) => dose[i] === 0);
    const e = run(data(dose, y));
    expect(e.estimate).toBeCloseTo(mean(y1) - mean(y0), 12);
    expect(e.se).toBeCloseTo(Math.sqrt(variance(y1) / y1.length + variance(y0) / y0.length), 12);
  });

  it('ratio metric, 0/1 dose: sum num / sum den in each arm', () => {
    const { dose, y, den } = sample(300, 2);
    const arm = (a: number) => {
      let s = 0,
        w = 0;
      dose.forEach((d, i) => d === a && ((s += y[i]!), (w += den[i]!)));
      return s / w;
    };
    expect(run(data(dose, y, den)).estimate).toBeCloseTo(arm(1) - arm(0), 12);
  });

  it('fractional dose: the least-squares slope', () => {
    const rng = stream(3, 'dose');
    const dose = Array.from({ length: 100 }, () => Math.floor(rng() * 4) / 3);
    const y = dose.map((d, i) => 0.5 + 1.5 * d + Math.sin(i));
    const cov = mean(dose.map((d, i) => d * y[i]!)) - mean(dose) * mean(y);
    const vx = mean(dose.map((d) => d * d)) - mean(dose) ** 2;
    expect(run(data(dose, y)).estimate).toBeCloseTo(cov / vx, 10);
  });

  it('is undefined with fewer than two users in an arm', () => {
    expect(run(data([1, 0, 0, 0], [1, 2, 3, 4])).estimate).toBeNaN();
  });
});
