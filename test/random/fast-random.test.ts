// Fast per-replication streams: bulk coins equal coin-by-coin draws, the
// stream is fixed by its name, and the ziggurat gives standard normals.
import { describe, expect, it } from 'vitest';
import { bernoulliFill, fastStream, FastSource } from '../../src/random/fast.js';
import { normal, normals } from '../../src/random/streams.js';

describe('fast streams', () => {
  it('bulk coins are the coin-by-coin draws, and the stream continues in step', () => {
    for (const len of [1, 100, 2048, 2049, 5000, 70_000]) {
      for (const pre of [0, 1, 700]) {
        const a = new FastSource('k');
        const b = new FastSource('k');
        for (let i = 0; i < pre; i++) (a.int32(), b.int32());
        const bulk = new Uint8Array(len);
        a.fillBelow(0.3 * 2 ** 32, bulk);
        const one = Uint8Array.from({ length: len }, () => (b.uniform() < 0.3 ? 1 : 0));
        expect(bulk).toEqual(one);
        expect(a.int32()).toBe(b.int32());
      }
    }
  });

  it('bernoulliFill on a fast stream equals rng() < p', () => {
    const x = new Uint8Array(10_000);
    bernoulliFill(fastStream(1, 'rep', 3, 'assign'), 0.5, x);
    const r = fastStream(1, 'rep', 3, 'assign');
    expect(x).toEqual(Uint8Array.from({ length: 10_000 }, () => (r() < 0.5 ? 1 : 0)));
  });

  it('bulk normals are the one-by-one draws, slow paths included, and the stream continues in step', () => {
    // 70,000 draws take the ziggurat's slow path (wedges and tail) about 1,000 times
    for (const len of [1, 2047, 2048, 70_000]) {
      const bulk = normals(fastStream(2, 'n', len), new Float64Array(len), 0.5, 2);
      const rng = fastStream(2, 'n', len);
      const one = normal(rng, 0.5, 2);
      expect(bulk).toEqual(Float64Array.from({ length: len }, () => one()));
      const after = normals(fastStream(2, 'n', len), new Float64Array(len + 3), 0.5, 2);
      expect(after.subarray(len)).toEqual(Float64Array.from({ length: 3 }, () => one()));
    }
  });

  it('the same name gives the same numbers, another name others', () => {
    const a = fastStream(7, 'rep', 1, 'noise');
    const b = fastStream(7, 'rep', 1, 'noise');
    const c = fastStream(7, 'rep', 2, 'noise');
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('ziggurat normals: mean 0, variance 1, kurtosis 3, tail P(Z > 3) (400k draws, ~4 SE)', () => {
    const z = normal(fastStream(5, 'moments'));
    const N = 400_000;
    let s1 = 0,
      s2 = 0,
      s4 = 0,
      tail = 0;
    for (let i = 0; i < N; i++) {
      const x = z();
      s1 += x;
      s2 += x * x;
      s4 += x ** 4;
      if (x > 3) tail++;
    }
    expect(Math.abs(s1 / N)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(s2 / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(s4 / N - 3)).toBeLessThan(4 * Math.sqrt(96 / N));
    const p = 0.0013499;
    expect(Math.abs(tail / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });
});
