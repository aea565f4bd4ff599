// The counter-based uniforms behind common random numbers: uniform, with no
// visible dependence between neighbouring units, days or purposes, and the
// discrete draws built on them have the right means.
import { describe, expect, it } from 'vitest';
import { binomial, dayKey, poisson, stochasticRound, u01 } from '../../src/random/hash.js';

describe('u01(dayKey(key, day), unit)', () => {
  const N = 200_000;
  const k = dayKey(12345, 3);
  it('is uniform: 20-bin chi-square well inside its 99.9% quantile', () => {
    const bins = new Float64Array(20);
    for (let i = 0; i < N; i++) bins[Math.floor(u01(k, i) * 20)]!++;
    const chi = bins.reduce((s, b) => s + (b - N / 20) ** 2 / (N / 20), 0);
    expect(chi).toBeLessThan(43.8); // chi-square(19), 0.999
  });
  it('neighbouring units, days and purposes are uncorrelated (|r| < 4/sqrt(N))', () => {
    const corr = (f: (i: number) => [number, number]) => {
      let sx = 0,
        sy = 0,
        sxy = 0,
        sxx = 0,
        syy = 0;
      for (let i = 0; i < N; i++) {
        const [x, y] = f(i);
        ((sx += x), (sy += y), (sxy += x * y), (sxx += x * x), (syy += y * y));
      }
      return (sxy / N - (sx / N) * (sy / N)) / Math.sqrt((sxx / N - (sx / N) ** 2) * (syy / N - (sy / N) ** 2));
    };
    const k4 = dayKey(12345, 4);
    const other = dayKey(12346, 3);
    const tol = 4 / Math.sqrt(N);
    expect(Math.abs(corr((i) => [u01(k, i), u01(k, i + 1)]))).toBeLessThan(tol);
    expect(Math.abs(corr((i) => [u01(k, i), u01(k4, i)]))).toBeLessThan(tol);
    expect(Math.abs(corr((i) => [u01(k, i), u01(other, i)]))).toBeLessThan(tol);
  });
});

describe('discrete draws from one uniform', () => {
  const N = 100_000;
  const mean = (f: (u: number) => number) => {
    let s = 0;
    for (let i = 0; i < N; i++) s += f((i + 0.5) / N); // stratified: the mean is nearly exact
    return s / N;
  };
  it('Poisson has mean lambda, below and above the normal switch', () => {
    for (const lam of [0.3, 4, 55]) expect(mean((u) => poisson(lam, u))).toBeCloseTo(lam, 1);
  });
  it('binomial has mean n p and stays in 0..n', () => {
    expect(mean((u) => binomial(7, 0.3, u))).toBeCloseTo(2.1, 2);
    for (let i = 0; i < 100; i++) expect(binomial(5, 0.9, i / 100)).toBeLessThanOrEqual(5);
  });
  it('stochastic rounding is unbiased and never below the floor', () => {
    expect(mean((u) => stochasticRound(2.3, u))).toBeCloseTo(2.3, 3);
    expect(Math.min(...Array.from({ length: 50 }, (_, i) => stochasticRound(0.2, i / 50)))).toBe(0);
  });
});
