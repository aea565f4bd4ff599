// The linear-in-means model against its closed forms.
import { describe, expect, it } from 'vitest';
import { linearInMeans } from '../../src/model/linear-in-means.js';
import { globalEffect } from '../../src/model/model.js';
import { stream } from '../../src/random/streams.js';
import { fromEdgeList, ringLattice } from '../helpers/graphs.js';

describe('linear-in-means', () => {
  it('global effect is beta + gamma * (share of users with friends)', () => {
    // 6 users, 2 isolated (4 and 5)
    const graph = fromEdgeList(6, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    const m = linearInMeans({ graph }, { alpha: 3, beta: 0.7, gamma: -1.2, sigma: 2 });
    const truth = globalEffect(
      m,
      m.draw((p) => stream(1, p)),
      6,
    )[0]!;
    expect(truth).toBeCloseTo(0.7 - 1.2 * (4 / 6), 12);
  });

  it('outcomes follow the formula for a given dose', () => {
    const graph = fromEdgeList(4, [
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
    const m = linearInMeans({ graph }, { alpha: 1, beta: 2, gamma: 3, sigma: 0 });
    const y = [new Float64Array(4)];
    m.outcomes(
      m.draw((p) => stream(1, p)),
      { dose: Float64Array.from([1, 0, 1, 1]), threadOn: null },
      y,
      [],
    );
    // user 0: 1 + 2 + 3 * (2/3); users 1-3 see only user 0 (treated)
    expect(Array.from(y[0]!)).toEqual([1 + 2 + 2, 1 + 0 + 3, 1 + 2 + 3, 1 + 2 + 3]);
  });

  it('0/1 treatments as bytes give the formula too, an odd number of users included', () => {
    // user 0 has friends 1-4; users 1-4 each have user 0; users 5 and 6 none
    const graph = fromEdgeList(7, [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
    ]);
    const m = linearInMeans({ graph }, { alpha: 1, beta: 2, gamma: 3, sigma: 0 });
    const treated = Uint8Array.from([1, 0, 1, 1, 0, 1, 0]);
    const y = [new Float64Array(7)];
    m.outcomes(
      m.draw((p) => stream(1, p)),
      { dose: Float64Array.from(treated), treated, threadOn: null },
      y,
      [],
    );
    expect(Array.from(y[0]!)).toEqual([1 + 2 + 3 * (2 / 4), 1 + 0 + 3, 1 + 2 + 3, 1 + 2 + 3, 1 + 0 + 3, 1 + 2, 1]);
  });

  it('homophily keeps unit noise variance and correlates friends', () => {
    const n = 20000;
    const graph = ringLattice(n, 6);
    const h = 0.6;
    const m = linearInMeans({ graph }, { alpha: 0, beta: 0, gamma: 0, sigma: 1, homophily: h });
    const e = m.draw((p) => stream(9, p));
    let v = 0,
      c = 0;
    for (let i = 0; i < n; i++) ((v += e[i]! ** 2), (c += e[i]! * e[(i + 1) % n]!));
    v /= n;
    c /= n;
    // var = (1-h) + h = 1; SE of a mean of squares of unit normals ~ sqrt(2/n)
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / n) * 2);
    // neighbours share eta_i, eta_j and two common friends on a k=6 ring:
    // cov = 2 sqrt((1-h)h)/sqrt(6) + h * 4/6 (friends of both besides themselves)
    const expected = (2 * Math.sqrt((1 - h) * h)) / Math.sqrt(6) + (h * 4) / 6;
    expect(Math.abs(c - expected)).toBeLessThan(0.05);
  });
});
