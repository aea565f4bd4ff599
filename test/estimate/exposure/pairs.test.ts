// Dependent pairs under a user-level design with full-neighbourhood
// exposure: users share a block exactly when they are at most two hops
// apart. On a ring lattice with k friends each side that is 4k partners per
// user, so n*4k/2 pairs: the listing must be exact, and a limit must never
// drop a list that fits (the sampled estimate only skips clear excess). A
// PairLimit (the memory budget) refuses with the exact count, the sampled
// estimate or a lower bound, before the pair arrays are allocated.
import { describe, expect, it } from 'vitest';
import { csrFromEdges } from '../../../src/graph/csr.js';
import { identityUnits } from '../../../src/design/design.js';
import { unitSets } from '../../../src/estimate/exposure/sets.js';
import { dependentPairs, type PairLimit } from '../../../src/estimate/exposure/pairs.js';

function lattice(n: number, k: number) {
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) for (let d = 1; d <= k; d++) (src.push(i), dst.push((i + d) % n));
  return csrFromEdges(n, src, dst).csr;
}
const ring = (n: number, k: number) => unitSets(lattice(n, k), identityUnits(n), 'neighbourhood');
/** byte-identical arrays (vitest's deep equality is slow on millions of entries) */
const same = (a: Uint32Array, b: Uint32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
/** a limit that records how it refused */
function limit(max: number) {
  const seen: { pairs: number; how: string }[] = [];
  const l: PairLimit = {
    max,
    refuse(pairs, how) {
      seen.push({ pairs, how });
      return new Error(`refused ${pairs} (${how})`);
    },
  };
  return { l, seen };
}

describe('dependent pairs', () => {
  it.each([
    [500, 2], // every user sampled: the estimate is exact
    [30_000, 3], // a systematic sample
  ])('ring lattice of %i users, %i friends each side: exactly n*4k/2 pairs, each within two hops', (n, k) => {
    const sets = ring(n, k);
    const exact = (n * 4 * k) / 2;
    const pairs = dependentPairs(n, sets, n, exact)!;
    expect(pairs).not.toBeNull();
    expect(pairs.other.length).toBe(exact);
    for (let i = 0; i < n; i += 97) {
      for (let q = pairs.offsets[i]!; q < pairs.offsets[i + 1]!; q++) {
        const j = pairs.other[q]!;
        const hops = Math.min((j - i + n) % n, (i - j + n) % n);
        expect(hops >= 1 && hops <= 2 * k).toBe(true);
      }
    }
    // one short of the count, or far short: no list
    expect(dependentPairs(n, sets, n, exact - 1)).toBeNull();
    expect(dependentPairs(n, sets, n, Math.floor(exact / 3))).toBeNull();
  });

  it('a PairLimit refuses the exact count, or a clear excess from the sample, before listing', () => {
    const n = 30_000;
    const sets = ring(n, 3);
    const exact = n * 6;
    const near = limit(exact - 1);
    expect(() => dependentPairs(n, sets, n, near.l)).toThrow(`refused ${exact} (exact)`);
    const far = limit(exact / 4);
    expect(() => dependentPairs(n, sets, n, far.l)).toThrow(/\(sampled\)/);
    expect(far.seen[0]!.pairs).toBeGreaterThan(exact / 2);
    // a limit that fits lists the same pairs as none
    const fits = dependentPairs(n, sets, n, limit(exact).l)!;
    const free = dependentPairs(n, sets, n)!;
    expect(same(fits.other, free.other) && same(fits.shared!, free.shared!) && same(fits.offsets, free.offsets)).toBe(true);
  });

  it('counts and shared blocks agree with a direct listing on random overlapping blocks', () => {
    const n = 300;
    const blocks = 40;
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const sets: number[][] = Array.from({ length: n }, () =>
      [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * blocks)))].sort((a, b) => a - b),
    );
    const offsets = new Uint32Array(n + 1);
    sets.forEach((x, i) => (offsets[i + 1] = offsets[i]! + x.length));
    const list = Uint32Array.from(sets.flat());
    const pairs = dependentPairs(n, { offsets, list }, blocks)!;
    let k = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const c = sets[i]!.filter((b) => sets[j]!.includes(b)).length;
        if (!c) continue;
        expect([pairs.other[k], pairs.shared![k]]).toEqual([j, c]);
        k++;
      }
    expect(k).toBe(pairs.other.length);
    expect(pairs.offsets[n]).toBe(k);
  });

  it('a user order with a period does not fool the sampled count: every 10th of 20,480 users in one block', () => {
    const n = 20_480;
    const offsets = Uint32Array.from({ length: n + 1 }, (_, i) => i);
    const list = Uint32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : i));
    const exact = (2048 * 2047) / 2; // the pairs among the 2,048 users of block 0
    const pairs = dependentPairs(n, { offsets, list }, n, 3_000_000)!;
    expect(pairs).not.toBeNull();
    expect(pairs.other.length).toBe(exact);
  });
});
