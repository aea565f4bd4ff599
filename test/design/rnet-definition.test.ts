// The 3-net against its definition (test/helpers/rnet.ts, written from the
// paper, not from the module): for every visit order and every ordering of
// the seeds of small graphs, the module's clustering is the definition's;
// and the clusterings RGCR draws follow the definition's distribution, in
// which ties go by a second, independent random ordering of the seeds.
import { describe, expect, it } from 'vitest';
import { netClustering } from '../../src/design/nets.js';
import { createDesign } from '../../src/design/index.js';
import { stream } from '../../src/random/streams.js';
import { distances, netBySeed, partitionKey, permutations, seedsInVisitOrder } from '../helpers/rnet.js';
import { fromEdgeList } from '../helpers/graphs.js';

// contested nodes: 2 and 5 on the path have two seeds at distance 2 in many orders
const graphs = {
  path7: fromEdgeList(7, [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
  ]),
  cycle7: fromEdgeList(7, [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 0],
  ]),
  spider: fromEdgeList(7, [
    [0, 1],
    [1, 2],
    [0, 3],
    [3, 4],
    [0, 5],
    [5, 6],
    [2, 4],
  ]),
};

/** priorities that make `order` the visit (or seed) order: first = highest */
function rankPriorities(n: number, order: readonly number[]): Float64Array {
  const pr = new Float64Array(n);
  order.forEach((v, k) => (pr[v] = 1 - k / n));
  return pr;
}

describe('3-net: the module equals the definition for every visit order and seed ordering', () => {
  for (const [name, g] of Object.entries(graphs)) {
    it(name, () => {
      const dist = distances(g.csr);
      const n = g.csr.n;
      let contested = 0;
      for (const visit of permutations([...Array(n).keys()])) {
        const seeds = seedsInVisitOrder(dist, 3, visit);
        const pr = rankPriorities(n, visit);
        for (const seedOrder of permutations(seeds)) {
          const want = netBySeed(dist, seeds, seedOrder);
          const got = netClustering(g.csr, 3, pr, rankPriorities(n, seedOrder));
          expect(partitionKey(got.labels)).toBe(partitionKey(want));
          expect([...got.seeds].sort()).toEqual([...seeds].sort());
          // the seed a cluster is named after is the seed of its members
          for (let v = 0; v < n; v++) expect(got.seeds[got.labels[v]!]).toBe(want[v]);
        }
        // r_net_f: ties by the order the seeds were found
        const f = netClustering(g.csr, 3, pr, 'visit-order');
        expect(partitionKey(f.labels)).toBe(partitionKey(netBySeed(dist, seeds, seeds)));
        if (partitionKey(netBySeed(dist, seeds, seeds)) !== partitionKey(netBySeed(dist, seeds, [...seeds].reverse()))) contested++;
      }
      // the graphs are chosen so that the tie rule matters
      expect(contested).toBeGreaterThan(0);
    });
  }
});

/** Exact probability of each partition: uniform visit order, then uniform seed ordering (or the found order). */
function exactDistribution(g: (typeof graphs)['path7'], ties: 'random-order' | 'visit-order'): Map<string, number> {
  const dist = distances(g.csr);
  const out = new Map<string, number>();
  const visits = permutations([...Array(g.csr.n).keys()]);
  for (const visit of visits) {
    const seeds = seedsInVisitOrder(dist, 3, visit);
    const orders = ties === 'visit-order' ? [seeds] : permutations(seeds);
    for (const o of orders) {
      const key = partitionKey(netBySeed(dist, seeds, o));
      out.set(key, (out.get(key) ?? 0) + 1 / visits.length / orders.length);
    }
  }
  return out;
}

describe('randomized 3-net (RGCR): clusterings follow the definition', () => {
  const g = graphs.path7;
  const R = 40_000;
  for (const ties of ['random-order', 'visit-order'] as const) {
    it(`ties by ${ties}: every partition's frequency within 4 SE of its exact probability`, () => {
      const design = createDesign(
        { graph: g, rng: (p) => stream(11, p) },
        { type: 'rgcr', p: 0.5, clustering: { method: 'net', radius: 3, ties } },
      );
      const counts = new Map<string, number>();
      const z = new Uint8Array(g.csr.n);
      const rng = stream(12, 'draws', ties);
      for (let r = 0; r < R; r++) {
        const info = design.drawUnits(rng, z);
        if (info?.kind !== 'clustering') throw new Error('RGCR draws a clustering');
        const key = partitionKey(info.labels);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const exact = exactDistribution(g, ties);
      const other = exactDistribution(g, ties === 'random-order' ? 'visit-order' : 'random-order');
      let far = 0;
      for (const [key, q] of exact) {
        const f = (counts.get(key) ?? 0) / R;
        const se = Math.sqrt((q * (1 - q)) / R);
        expect(Math.abs(f - q)).toBeLessThanOrEqual(4 * se);
        // the other tie rule is distinguishable at this R
        if (Math.abs(f - (other.get(key) ?? 0)) > 8 * se) far++;
      }
      for (const key of counts.keys()) expect(exact.has(key)).toBe(true);
      expect(far).toBeGreaterThan(0);
    });
  }
});
