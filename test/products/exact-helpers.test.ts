// The speed-ups of the product models must not change a single draw:
// PoissonTable returns poisson()'s value, belowSigmoid returns
// `u < sigmoid(z)`, for every input tried, boundaries included.
import { describe, expect, it } from 'vitest';
import { poisson, sigmoid, u01 } from '../../src/random/hash.js';
import { PoissonTable } from '../../src/model/products/poisson-table.js';
import { belowSigmoid } from '../../src/model/products/sigmoid-bracket.js';

describe('PoissonTable', () => {
  const means = [0, -1, NaN, 1e-9, 0.05, 0.25, 1, 2.5, 6, 6 * 3.7, 29.999, 30, 55, 600];
  it('draws what poisson(mean, u, exp(-mean)) draws', () => {
    const table = new PoissonTable();
    for (const mean of means) {
      const e = Math.exp(-mean);
      table.set(mean, e);
      const us = [0, 1e-300, 2 ** -32, 0.5, 1 - 2 ** -32, 1 - 2 ** -53];
      for (let i = 0; i < 20_000; i++) us.push(u01(977, i));
      const wrong = us.filter((u) => table.draw(u) !== poisson(mean, u, e));
      expect(wrong, `mean ${mean}`).toEqual([]);
    }
  });
  it('agrees at each cumulative sum, where a comparison flips', () => {
    const table = new PoissonTable();
    const wrong: [number, number][] = [];
    for (const mean of [0.25, 3, 17]) {
      const e = Math.exp(-mean);
      table.set(mean, e);
      let p = e;
      let c = p;
      for (let k = 0; k < 60; k++) {
        for (const u of [c, c - 2 ** -53, c + 2 ** -53])
          if (u >= 0 && u < 1 && table.draw(u) !== poisson(mean, u, e)) wrong.push([mean, u]);
        p *= mean / (k + 1);
        c += p;
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('belowSigmoid', () => {
  it('is u < sigmoid(z) for random and boundary inputs', () => {
    const wrong: [number, number][] = [];
    const check = (u: number, z: number) => {
      if (belowSigmoid(u, z) !== u < sigmoid(z)) wrong.push([u, z]);
    };
    for (let i = 0; i < 200_000; i++) check(u01(77, i), (u01(31, i) - 0.5) * 50);
    for (let k = -1300; k <= 1300; k++) {
      // grid points (multiples of 1/64) and their neighbours, with u on sigmoid(z) itself
      for (const z of [k / 64, k / 64 + 1e-15, k / 64 - 1e-15, k / 64 + 1 / 128]) {
        const s = sigmoid(z);
        for (const u of [s, s - 2 ** -53, s + 2 ** -53, s * (1 - 1e-13), s * (1 + 1e-13)]) check(u, z);
      }
    }
    for (const z of [-Infinity, -40, -20, 20, 40, Infinity, NaN])
      for (const u of [0, 1e-12, 0.5, 1 - 2 ** -32]) expect(belowSigmoid(u, z)).toBe(u < sigmoid(z));
  });
});
