// The typed-array Louvain against the reference, graphology-communities-louvain:
// on the same graphs its modularity must be within 1% of the reference's,
// and it must be seeded (same stream, same partition).
import louvain from 'graphology-communities-louvain';
import { describe, expect, it } from 'vitest';
import { louvainCSR, modularity } from '../../src/design/louvain-csr.js';
import { toGraphology } from '../../src/graph/graphology.js';
import { sbm } from '../../src/graph/generators/sbm.js';
import { loadGraph } from '../../src/graph/load/index.js';
import { stream } from '../../src/random/streams.js';
import type { CSR } from '../../src/graph/csr.js';

function reference(g: CSR, seed: number): number {
  const a = louvain(toGraphology(g), { rng: stream(seed, 'reference') });
  const ids = new Map<number, number>();
  const labels = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) {
    const c = a[String(i)]!;
    if (!ids.has(c)) ids.set(c, ids.size);
    labels[i] = ids.get(c)!;
  }
  return modularity(g, labels);
}

// the SBM's planted blocks (user i in block floor(i / 250)) are a partition
// a modularity maximiser must match or beat
const graphs: [string, () => CSR, Int32Array | null][] = [
  [
    'SBM, 40 blocks of 250',
    () => sbm({ sizes: Array(40).fill(250), pIn: 0.06, pOut: 0.0005 }, stream(3, 'g')).csr,
    Int32Array.from({ length: 10_000 }, (_, i) => Math.floor(i / 250)),
  ],
  ['facebook_combined (SNAP)', () => loadGraph({ path: 'data/facebook_combined.txt' }).graph.csr, null],
];

describe.each(graphs)('louvainCSR on %s', (_name, make, planted) => {
  const g = make();
  const ours = louvainCSR(g, { rng: stream(1, 'louvain') });

  it("modularity within 1% of graphology-communities-louvain, and at least the planted partition's", () => {
    const ref = reference(g, 1);
    expect(Math.abs(ours.modularity - ref) / ref).toBeLessThan(0.01);
    if (planted) expect(ours.modularity).toBeGreaterThanOrEqual(modularity(g, planted) - 1e-12);
  });

  it("labels are 0..count-1 and the reported modularity is the partition's", () => {
    let max = -1;
    for (const l of ours.labels) max = Math.max(max, l);
    expect(max + 1).toBe(ours.count);
    expect(ours.modularity).toBeCloseTo(modularity(g, ours.labels), 12);
  });

  it('is seeded: the same stream gives the same partition', () => {
    expect(louvainCSR(g, { rng: stream(1, 'louvain') }).labels).toEqual(ours.labels);
  });
});

describe('modularity', () => {
  it('two triangles joined by one edge, split in two', () => {
    // m = 7; each triangle holds 6 of the 14 half-edges and 7 of the degree
    const g = {
      n: 6,
      offsets: Uint32Array.from([0, 2, 4, 7, 10, 12, 14]),
      nbrs: Uint32Array.from([1, 2, 0, 2, 0, 1, 3, 2, 4, 5, 3, 5, 3, 4]),
    };
    expect(modularity(g, Int32Array.from([0, 0, 0, 1, 1, 1]))).toBeCloseTo(2 * (6 / 14 - (7 / 14) ** 2), 12);
    expect(louvainCSR(g, { rng: stream(1, 'x') }).count).toBe(2);
  });
});
