// Dependent pairs under a user-level design with full-neighbourhood
// exposure: users share a block exactly when they are at most two hops
// apart. On a ring lattice with k friends each side that is 4k partners per
// user, so n*4k/2 pairs: the listing must be exact, and the ceiling must
// never drop a list that fits (the sampled estimate only skips clear excess).
import { describe, expect, it } from 'vitest';
import { csrFromEdges } from '../../../src/graph/csr.js';
import { identityUnits } from '../../../src/design/design.js';
import { unitSets } from '../../../src/estimate/exposure/sets.js';
import { balls, dependentPairs } from '../../../src/estimate/exposure/pairs.js';

function lattice(n: number, k: number) {
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) for (let d = 1; d <= k; d++) (src.push(i), dst.push((i + d) % n));
  return csrFromEdges(n, src, dst).csr;
}
const ring = (n: number, k: number) => unitSets(lattice(n, k), identityUnits(n), 'neighbourhood');

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

  it('balls (randomized clusterings): radius r holds 2kr + 1 nodes; a radius that implies too many pairs stops early', () => {
    const n = 30_000;
    const g = lattice(n, 3);
    const b = balls(g, 2, 1_000_000)!;
    expect(b.list.length).toBe(n * 13);
    // every entry other than the centre is a dependent pair: 12n entries > 2 * 100,000 pairs
    expect(balls(g, 2, 100_000)).toBeNull();
    // radius 2,000: 12,001 nodes a ball, 360M entries; the default ceiling stops it at 20M
    expect(balls(g, 2000)).toBeNull();
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
