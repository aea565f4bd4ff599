// Invariants of the graph decompositions: r-net seeds are pairwise >= r
// apart, every node joins a nearest seed; 1-hop-max follows its closed
// neighbourhood's top priority; stratified priorities cover every slice.
import { describe, expect, it } from 'vitest';
import { netClustering, oneHopMax, priorities } from '../../src/design/nets.js';
import { torus } from '../../src/graph/generators/torus.js';
import { stream } from '../../src/random/streams.js';
import type { CSR } from '../../src/graph/csr.js';

function bfs(g: CSR, s: number): Int32Array {
  const d = new Int32Array(g.n).fill(-1);
  const q = [s];
  d[s] = 0;
  for (let h = 0; h < q.length; h++) {
    const u = q[h]!;
    for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
      const v = g.nbrs[e]!;
      if (d[v] === -1) ((d[v] = d[u]! + 1), q.push(v));
    }
  }
  return d;
}

const g = torus({ side: 15, radius: 1, longRangeMean: 0.5, exponent: 2, tail: 2.5 }, stream(1, 'g')).csr;

describe('r-net clustering', () => {
  for (const r of [2, 3, 4]) {
    it(`radius ${r}: seeds >= ${r} apart, every node within ${r - 1} of a nearest seed`, () => {
      const pr = priorities(stream(2, 'p', r), g.n);
      const { labels, count, seeds } = netClustering(g, r, pr, priorities(stream(7, 't', r), g.n));
      const dist = seeds.map((s) => bfs(g, s));
      expect(seeds.every((s, c) => labels[s] === c)).toBe(true);
      for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) expect(dist[a]![seeds[b]!]).toBeGreaterThanOrEqual(r);
      for (let i = 0; i < g.n; i++) {
        const own = dist[labels[i]!]![i]!;
        expect(own).toBeLessThanOrEqual(r - 1);
        for (const d of dist) expect(d[i]!).toBeGreaterThanOrEqual(own);
      }
    });
  }
  it('3-net clusters contain the whole closed neighbourhood of their seed', () => {
    const { labels, seeds } = netClustering(g, 3, priorities(stream(3, 'p'), g.n), priorities(stream(3, 't'), g.n));
    for (const s of seeds) for (let e = g.offsets[s]!; e < g.offsets[s + 1]!; e++) expect(labels[g.nbrs[e]!]).toBe(labels[s]);
  });
});

describe('1-hop-max', () => {
  it('puts two nodes together exactly when their closed neighbourhoods share the top-priority node', () => {
    const pr = priorities(stream(4, 'p'), g.n);
    const { labels } = oneHopMax(g, pr);
    const centre = (v: number) => {
      let b = v;
      for (let e = g.offsets[v]!; e < g.offsets[v + 1]!; e++) if (pr[g.nbrs[e]!]! > pr[b]!) b = g.nbrs[e]!;
      return b;
    };
    const byCentre = new Map<number, number>();
    const byLabel = new Map<number, number>();
    for (let j = 0; j < g.n; j++) {
      const c = centre(j);
      expect(byCentre.get(c) ?? labels[j]).toBe(labels[j]);
      expect(byLabel.get(labels[j]!) ?? c).toBe(c);
      byCentre.set(c, labels[j]!);
      byLabel.set(labels[j]!, c);
    }
  });
});

describe('stratified priorities', () => {
  it('over L draws each node visits each slice [s/L, (s+1)/L) exactly once', () => {
    const L = 8;
    const n = 50;
    const offset = Uint32Array.from({ length: n }, (_, i) => (i * 5) % L);
    const seen = Array.from({ length: n }, () => new Set<number>());
    const rng = stream(5, 'strat');
    for (let s = 0; s < L; s++) {
      const pr = priorities(rng, n, undefined, { index: s, of: L, offset });
      for (let i = 0; i < n; i++) seen[i]!.add(Math.floor(pr[i]! * L));
    }
    for (const s of seen) expect(s.size).toBe(L);
  });
});
