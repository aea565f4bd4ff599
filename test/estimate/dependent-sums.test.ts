// Sums over dependent users (sharing any unit), from unit totals less the
// extra copies of pairs sharing several units: checked against the direct
// sum over every pair, with the pairs listed once per plan and found per
// listing; and the sandwich they give can be negative when units overlap.
import { describe, expect, it } from 'vitest';
import { dependentSums, unitRobustVariance } from '../../src/estimate/unit-robust.js';
import type { Units } from '../../src/design/index.js';

function randomSets(n: number, G: number, seed: number) {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const sets: number[][] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rnd() * 5); // 0 to 4 units, repeats merged
    sets.push([...new Set(Array.from({ length: k }, () => Math.floor(rnd() * G)))].sort((a, b) => a - b));
  }
  const offsets = new Uint32Array(n + 1);
  sets.forEach((x, i) => (offsets[i + 1] = offsets[i]! + x.length));
  const units: Units = { count: G, offsets, list: Uint32Array.from(sets.flat()), partition: false };
  return { sets, units, rnd };
}

describe('dependent sums', () => {
  const n = 80;
  const G = 12;
  for (const [label, maxPairs] of [
    ['pairs listed once', Infinity],
    ['pairs found per listing', 0],
  ] as const) {
    it(`${label}: equal the direct sum over every listed pair sharing a unit, over several listings`, () => {
      const { sets, units, rnd } = randomSets(n, G, 11);
      const D = dependentSums(units, maxPairs);
      const dependent = (i: number, j: number) => i === j || sets[i]!.some((u) => sets[j]!.includes(u));
      let multi = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (sets[i]!.filter((u) => sets[j]!.includes(u)).length >= 2) multi++;
      expect(multi).toBeGreaterThan(10); // the correction for pairs sharing several units is exercised
      for (let listing = 0; listing < 4; listing++) {
        const users = Uint32Array.from(Array.from({ length: n }, (_, i) => i).filter(() => rnd() < 0.6));
        const listed = new Set(users);
        // entries of users not listed must not count
        const x = Float64Array.from({ length: n }, () => rnd() - 0.5);
        const x2 = Float64Array.from({ length: n }, () => rnd() * 3);
        const out = new Float64Array(n);
        const out2 = new Float64Array(n);
        const sums = D(users);
        sums([x, x2], [out, out2]);
        sums([x2], [out2]); // a second call on the same listing
        const zeroed = new Float64Array(n);
        for (const i of users) zeroed[i] = x[i]!;
        let v = 0;
        for (const i of users) {
          let s = 0,
            s2 = 0;
          for (const j of users) if (dependent(i, j)) ((s += x[j]!), (s2 += x2[j]!));
          expect(out[i]).toBeCloseTo(s, 12);
          expect(out2[i]).toBeCloseTo(s2, 12);
          v += x[i]! * s;
        }
        expect(listed.size).toBe(users.length);
        // the sandwich from the sums is unitRobustVariance's, without its G/(G-1)
        expect(unitRobustVariance(units)!(zeroed)).toBeCloseTo((v * G) / (G - 1), 12);
      }
    });
  }

  it('the overlap sandwich can be negative: units {A,B}, {B,C}, {C,D} with contributions 1, -2, 1', () => {
    const units: Units = {
      count: 4,
      offsets: Uint32Array.from([0, 2, 4, 6]),
      list: Uint32Array.from([0, 1, 1, 2, 2, 3]),
      partition: false,
    };
    // pairs (1,2) and (2,3) share a unit, (1,3) none: 1 + 4 + 1 - 2*2 - 2*2 = -2
    expect(unitRobustVariance(units)!(Float64Array.from([1, -2, 1]))).toBeCloseTo((-2 * 4) / 3, 12);
  });
});
