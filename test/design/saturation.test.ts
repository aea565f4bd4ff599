// Randomized saturation (two-stage) design: the exact distribution of
// assignments written out by enumeration on a tiny graph (stage 1 complete
// over the saturation set, stage 2 complete within each cluster with
// randomizr's rule for a fractional count) against the design's draws;
// every user's marginal equals the mean saturation; stage 1 gives each
// saturation an equal number of clusters and each cluster a uniform one.
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/streams.js';
import { createDesign, type Design, type Draw } from '../../src/design/index.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import { fromEdgeList } from '../helpers/graphs.js';

const design = (graph: SocialGraph, spec: Record<string, unknown>): Design =>
  createDesign({ graph, rng: (purpose) => stream(1, 'design', 'saturation', purpose) }, {
    type: 'saturation',
    clustering: { method: 'blocks' },
    ...spec,
  } as never);

/** k-subsets of items */
function subsets(items: number[], k: number): number[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [h, ...t] = items;
  return [...subsets(t, k - 1).map((s) => [h!, ...s]), ...subsets(t, k)];
}

function permutations(k: number): number[][] {
  if (k === 0) return [[]];
  return permutations(k - 1).flatMap((p) => Array.from({ length: k }, (_, i) => [...p.slice(0, i), k - 1, ...p.slice(i)]));
}

// clusters {0,1,2}, {3,4}, {5,6}; saturations 0, 0.5, 1 (one cluster each)
const blocks = [0, 0, 0, 1, 1, 2, 2];
const graph = fromEdgeList(
  7,
  [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
  ],
  blocks,
);
const S = [0, 0.5, 1];

/** The exact distribution: key (bits of z) -> probability. */
function exact(): Map<string, number> {
  const members = [0, 1, 2].map((c) => blocks.flatMap((b, i) => (b === c ? [i] : [])));
  const out = new Map<string, number>();
  for (const perm of permutations(3)) {
    // cluster c at saturation S[perm[c]]: each count floor/ceil of s·m with randomizr's probabilities, each subset equally likely
    let cases: [number[], number][] = [[[], 1 / 6]];
    members.forEach((users, c) => {
      const t = S[perm[c]!]! * users.length;
      const counts: [number, number][] = Number.isInteger(t)
        ? [[t, 1]]
        : [
            [Math.floor(t), 1 - (t - Math.floor(t))],
            [Math.ceil(t), t - Math.floor(t)],
          ];
      const next: [number[], number][] = [];
      for (const [chosen, pr] of cases) {
        for (const [k, pk] of counts) {
          const subs = subsets(users, k);
          for (const s of subs) next.push([[...chosen, ...s], (pr * pk) / subs.length]);
        }
      }
      cases = next;
    });
    for (const [chosen, pr] of cases) {
      const key = Array.from({ length: 7 }, (_, i) => (chosen.includes(i) ? 1 : 0)).join('');
      out.set(key, (out.get(key) ?? 0) + pr);
    }
  }
  return out;
}

describe('randomized saturation design', () => {
  it('every user is treated with probability the mean saturation, by enumeration', () => {
    const dist = exact();
    let total = 0;
    const marg = new Array(7).fill(0);
    for (const [key, pr] of dist) {
      total += pr;
      for (let i = 0; i < 7; i++) marg[i] += key[i] === '1' ? pr : 0;
    }
    expect(total).toBeCloseTo(1, 12);
    for (const m of marg) expect(m).toBeCloseTo(0.5, 12);
  });

  it('draws follow the exact distribution (each assignment within 4.5 SE), and each draw reports one saturation per cluster', () => {
    const d = design(graph, { p: 0.5, saturations: S });
    expect(d.structure.kind).toBe('saturation');
    const dist = exact();
    const N = 40000;
    const counts = new Map<string, number>();
    const z = new Uint8Array(7);
    const rng = stream(7, 'saturation-draws');
    for (let r = 0; r < N; r++) {
      const info = d.drawUnits(rng, z) as Draw;
      expect(info.kind).toBe('saturation');
      if (info.kind !== 'saturation') return;
      // one cluster per saturation, and each cluster's count is floor or ceil of s·m
      expect([...info.level].sort()).toEqual([0, 1, 2]);
      for (let c = 0; c < 3; c++) {
        let m = 0,
          k = 0;
        for (let i = 0; i < 7; i++) if (blocks[i] === c) (m++, (k += z[i]!));
        const t = S[info.level[c]!]! * m;
        expect(k === Math.floor(t) || k === Math.ceil(t)).toBe(true);
      }
      const key = z.join('');
      expect(dist.has(key)).toBe(true);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, pr] of dist) {
      const f = (counts.get(key) ?? 0) / N;
      expect(Math.abs(f - pr)).toBeLessThan(4.5 * Math.sqrt((pr * (1 - pr)) / N));
    }
  });

  it('stage 1 with clusters left over: floor(C/K) or one more per saturation, distinct extras, each cluster uniform over the set', () => {
    // five clusters of two users, three saturations: two extras, distinct
    const b5 = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];
    const g = fromEdgeList(
      10,
      [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [8, 9],
      ],
      b5,
    );
    const d = design(g, { p: 0.5, saturations: [0, 0.5, 1] });
    const N = 30000;
    const hit = Array.from({ length: 5 }, () => [0, 0, 0]);
    const z = new Uint8Array(10);
    const rng = stream(8, 'saturation-levels');
    for (let r = 0; r < N; r++) {
      const info = d.drawUnits(rng, z) as Extract<Draw, { kind: 'saturation' }>;
      const per = [0, 0, 0];
      info.level.forEach((l, c) => {
        per[l]!++;
        hit[c]![l]!++;
      });
      expect(per.sort()).toEqual([1, 2, 2]);
    }
    const se = Math.sqrt(((1 / 3) * (2 / 3)) / N);
    for (const h of hit) for (const x of h) expect(Math.abs(x / N - 1 / 3)).toBeLessThan(4 * se);
  });

  it('p must be the mean saturation; the set needs two values and a cluster for each', () => {
    expect(() => design(graph, { p: 0.4, saturations: S })).toThrow(/mean of the saturations/);
    expect(() => design(graph, { p: 0.5, saturations: [0.5, 0.5] })).toThrow(/two distinct/);
    expect(() => design(graph, { p: 0.5, saturations: [0, 0.25, 0.75, 1] })).toThrow(/4 saturations/);
    const d = design(graph, { p: 0.5 });
    expect(d.structure.kind === 'saturation' && [...d.structure.saturations]).toEqual([0, 0.5, 1]);
    expect(() =>
      parseScenario({
        graph: { generator: 'sbm', sizes: [5, 5], pIn: 0.5, pOut: 0.1 },
        model: { type: 'linear-in-means' },
        designs: [{ type: 'saturation', p: 0.5, clustering: { method: 'blocks' }, saturations: [0, 2] }],
      }),
    ).toThrow();
  });
});
