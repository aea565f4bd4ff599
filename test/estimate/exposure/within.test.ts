// Pairs within h hops against distances computed here (Floyd–Warshall on the
// adjacency matrix): exactly the pairs at most h apart, and exactly the pairs
// whose balls of radius h/2 share a node (a randomized clustering's
// dependence); a limit far below the count stops the count early.
import { describe, expect, it } from 'vitest';
import { pairsWithin } from '../../../src/estimate/exposure/within.js';
import { buildGraph } from '../../../src/sim/build-graph.js';
import { parseScenario } from '../../../src/sim/scenario.js';
import type { CSR } from '../../../src/graph/csr.js';
import { ringLattice } from '../../helpers/graphs.js';

function distances(g: CSR): number[][] {
  const n = g.n;
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (let i = 0; i < n; i++) for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) d[i]![g.nbrs[e]!] = 1;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
  return d;
}

const listed = (p: { offsets: Uint32Array; other: Uint32Array }) => {
  const out: string[] = [];
  for (let i = 0; i + 1 < p.offsets.length; i++) for (let k = p.offsets[i]!; k < p.offsets[i + 1]!; k++) out.push(`${i},${p.other[k]}`);
  return out;
};

const graph = (seed: number) =>
  buildGraph(
    parseScenario({
      seed,
      replications: 2,
      graph: { generator: 'torus', side: 7, radius: 1, longRangeMean: 0.7 },
      model: { type: 'ugander-yin' },
      designs: [{ type: 'user-bernoulli', p: 0.5 }],
    }),
  ).csr;

describe('pairsWithin', () => {
  for (const seed of [1, 2]) {
    const g = graph(seed);
    const d = distances(g);
    for (const hops of [1, 2, 3, 4, 6]) {
      it(`seed ${seed}, ${hops} hops: exactly the pairs i < j at distance <= ${hops}, rows sorted`, () => {
        const want: string[] = [];
        for (let i = 0; i < g.n; i++) for (let j = i + 1; j < g.n; j++) if (d[i]![j]! <= hops) want.push(`${i},${j}`);
        expect(listed(pairsWithin(g, hops)!)).toEqual(want);
      });
    }
    it(`seed ${seed}: the same pairs as those whose balls of radius hops / 2 share a node`, () => {
      for (const r of [1, 2]) {
        const want: string[] = [];
        for (let i = 0; i < g.n; i++)
          for (let j = i + 1; j < g.n; j++) if (d[i]!.some((di, u) => di <= r && d[j]![u]! <= r)) want.push(`${i},${j}`);
        expect(listed(pairsWithin(g, 2 * r)!)).toEqual(want);
      }
    });
  }
  it('a limit far below the count stops counting early, asking with a lower bound', () => {
    const g = ringLattice(30_000, 6).csr; // three friends each side
    let asked: [number, boolean] | null = null;
    const t = performance.now();
    // 2,000 hops: 12,000 partners a user, 180M pairs; a limit of 1M stops after about 170 users
    const out = pairsWithin(
      g,
      2000,
      (c, atLeast) => {
        asked = [c, atLeast];
        return false;
      },
      1_000_000,
    );
    expect(out).toBeNull();
    expect(asked![0]).toBeGreaterThan(1_000_000);
    expect(asked![0]).toBeLessThan(1_100_000);
    expect(asked![1]).toBe(true);
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('asks before allocating: a count that does not fit gives null, with the exact count', () => {
    const g = graph(3);
    const want = listed(pairsWithin(g, 2)!).length;
    let asked = -1;
    expect(
      pairsWithin(g, 2, (c) => {
        asked = c;
        return false;
      }),
    ).toBeNull();
    expect(asked).toBe(want);
  });
});
