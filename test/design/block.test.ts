// Block and block-cluster randomization (randomizr's block_ra and
// block_and_cluster_ra): exact assignment probabilities by enumeration
// (every unit's marginal is p exactly, each block's count is floor(p·m) or
// floor(p·m) + 1 with randomizr's probabilities), the draw against them,
// how blocks are formed, and exact exposure probabilities (closed forms and
// the dependent-pair list against enumeration).
import { describe, expect, it } from 'vitest';
import { createDesign, type Design, type DesignSpec } from '../../src/design/index.js';
import { sizeBlocks } from '../../src/design/block.js';
import { assignments, enumerate } from '../../src/estimate/exposure/enumerate.js';
import { closedJoints, closedMarginals } from '../../src/estimate/exposure/closed-form.js';
import { exposureMapping, exposureProbabilities, type MappingSpec } from '../../src/estimate/exposure/index.js';
import { csrFromEdges, threadsFromLists, type SocialGraph } from '../../src/graph/csr.js';
import { stream } from '../../src/random/streams.js';
import { fromEdgeList } from '../helpers/graphs.js';
import { schemeOf } from '../helpers/designs.js';

const edges: [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 0],
  [2, 3],
  [3, 4],
  [4, 5],
  [5, 6],
  [6, 3],
  [6, 7],
  [7, 8],
  [8, 9],
  [9, 0],
];
// blocks of 3, 4 and 3 users; the attribute puts users 0, 4 and 9 in no dorm (NaN: one block of their own)
const tiny: SocialGraph = {
  ...fromEdgeList(10, edges, [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]),
  attributes: { dorm: Float64Array.from([NaN, 5, 5, 7, NaN, 7, 7, 5, 5, NaN]) },
  threads: threadsFromLists(10, [
    [0, 1, 2],
    [2, 3, 4],
    [3, 4, 5, 6],
    [6, 7, 8, 9],
  ]),
};
const make = (graph: SocialGraph, spec: DesignSpec): Design => createDesign({ graph, rng: (p) => stream(1, p) }, spec);

/** Exact P(unit treated) and P(count of each block = k) from enumerating every assignment. */
function exact(d: Design) {
  const s = schemeOf(d);
  if (s.kind !== 'blocked') throw new Error('not blocked');
  const marginal = new Float64Array(d.units.count);
  const counts = Array.from({ length: s.size.length }, () => new Map<number, number>());
  let total = 0;
  for (const [z, pr] of assignments(d)) {
    total += pr;
    const k = new Array<number>(s.size.length).fill(0);
    for (let u = 0; u < z.length; u++) ((marginal[u]! += pr * z[u]!), (k[s.block[u]!]! += z[u]!));
    k.forEach((c, b) => counts[b]!.set(c, (counts[b]!.get(c) ?? 0) + pr));
  }
  return { s, marginal, counts, total };
}

describe('block randomization: exact assignment probabilities by enumeration', () => {
  const even = fromEdgeList(10, edges, [0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  const cases: [string, SocialGraph, DesignSpec][] = [
    ['users in generator blocks, p = 0.5 (3, 4, 3 users: 1.5, 2, 1.5 expected)', tiny, { type: 'block', p: 0.5, blocks: { labels: true } }],
    ['users in attribute blocks, p = 0.3 (missing values one block)', tiny, { type: 'block', p: 0.3, blocks: { attribute: 'dorm' } }],
    ['users, p = 0.5, blocks of even size only (exact counts 1, 2, 2)', even, { type: 'block', p: 0.5, blocks: { labels: true } }],
    [
      'dorm clusters (missing: clusters of one) in size blocks of 2, p = 0.4',
      tiny,
      { type: 'block', p: 0.4, blocks: { clusterSize: 2 }, clustering: { method: 'attribute', attribute: 'dorm' } },
    ],
  ];
  it.each(cases)('%s: every marginal is p, each block treats floor(p·m) or one more, with randomizr probabilities', (_, graph, spec) => {
    const d = make(graph, spec);
    const { s, marginal, counts, total } = exact(d);
    expect(total).toBeCloseTo(1, 12);
    for (let u = 0; u < d.units.count; u++) expect(marginal[u]).toBeCloseTo(spec.p, 12);
    expect(d.p).toBe(spec.p);
    s.size.forEach((m, b) => {
      const t = spec.p * m;
      const T = Math.floor(t + 1e-9);
      const f = t - T > 1e-9 ? t - T : 0;
      const expected = new Map<number, number>([[T, 1 - f]]);
      if (f > 0) expected.set(T + 1, f);
      const got = [...counts[b]!].filter(([, pr]) => pr > 1e-15);
      expect(got.length).toBe(expected.size);
      for (const [k, pr] of got) expect(pr).toBeCloseTo(expected.get(k)!, 12);
    });
  });

  it('blocks: generator labels, attribute values (missing together), and the blocked scheme sizes', () => {
    const byLabels = schemeOf(make(tiny, { type: 'block', p: 0.5, blocks: { labels: true } }));
    if (byLabels.kind !== 'blocked') throw new Error('not blocked');
    expect([...byLabels.block]).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
    expect([...byLabels.size]).toEqual([3, 4, 3]);
    expect([...byLabels.treated]).toEqual([1.5, 2, 1.5]);
    const byDorm = schemeOf(make(tiny, { type: 'block', p: 0.5, blocks: { attribute: 'dorm' } }));
    if (byDorm.kind !== 'blocked') throw new Error('not blocked');
    expect([...byDorm.block]).toEqual([0, 1, 1, 2, 0, 2, 2, 1, 1, 0]);
    // an integral p·m stays exact despite floating point (0.3 · 10 = 3.0000000000000004)
    const ten = schemeOf(make(fromEdgeList(10, edges, new Array(10).fill(0)), { type: 'block', p: 0.3, blocks: { labels: true } }));
    if (ten.kind !== 'blocked') throw new Error('not blocked');
    expect(ten.treated[0]).toBe(3);
  });

  it('clusters of similar size, k to a block; a short last group joins the one before', () => {
    // by size: 5 (6), 0 (5) | 3 (4), 2 (3) | 4 (2), 1 (1), 6 (1, ties by index)
    expect([...sizeBlocks([5, 1, 3, 4, 2, 6, 1], 2).labels]).toEqual([0, 2, 1, 1, 2, 0, 2]);
    expect(sizeBlocks([5, 1, 3, 4, 2, 6, 1], 2).count).toBe(3);
    expect([...sizeBlocks([1, 2, 3], 4).labels]).toEqual([0, 0, 0]);
  });

  it('refuses clusters spanning blocks, clusterSize without a clustering, and unknown attributes', () => {
    expect(() =>
      make(tiny, { type: 'block', p: 0.5, blocks: { labels: true }, clustering: { method: 'attribute', attribute: 'dorm' } }),
    ).toThrow(/nested in blocks/);
    expect(() => make(tiny, { type: 'block', p: 0.5, blocks: { clusterSize: 2 } })).toThrow(/need a "clustering"/);
    expect(() => make(tiny, { type: 'block', p: 0.5, blocks: { attribute: 'year' } })).toThrow(/"year" not found/);
    expect(() => make({ csr: tiny.csr }, { type: 'block', p: 0.5, blocks: { labels: true } })).toThrow(/known blocks/);
    // clusters nested in blocks (here each block is one cluster)
    const nested = make(tiny, { type: 'block', p: 0.5, blocks: { labels: true }, clustering: { method: 'blocks' } });
    expect(nested.units.count).toBe(3);
  });

  it('the draw follows the enumerated distribution (per-unit marginals and per-block counts within 4 SE)', () => {
    const d = make(tiny, { type: 'block', p: 0.3, blocks: { attribute: 'dorm' } });
    const { s, counts } = exact(d);
    const R = 40_000;
    const rng = stream(5, 'draws');
    const z = new Uint8Array(d.units.count);
    const treated = new Float64Array(d.units.count);
    const seen = Array.from(s.size, () => new Map<number, number>());
    for (let r = 0; r < R; r++) {
      d.drawUnits(rng, z);
      const k = new Array<number>(s.size.length).fill(0);
      for (let u = 0; u < z.length; u++) ((treated[u]! += z[u]!), (k[s.block[u]!]! += z[u]!));
      k.forEach((c, b) => seen[b]!.set(c, (seen[b]!.get(c) ?? 0) + 1));
    }
    const within = (share: number, pr: number) => expect(Math.abs(share - pr)).toBeLessThan(4 * Math.sqrt((pr * (1 - pr)) / R) + 1e-12);
    for (let u = 0; u < z.length; u++) within(treated[u]! / R, 0.3);
    s.size.forEach((_, b) => {
      for (const [c, n] of seen[b]!) within(n / R, counts[b]!.get(c) ?? 0);
      for (const [c, pr] of counts[b]!) if (pr > 0) expect(seen[b]!.has(c)).toBe(true);
    });
  });
});

describe('block randomization: exposure probabilities', () => {
  const designs: [string, DesignSpec][] = [
    ['users in generator blocks', { type: 'block', p: 0.5, blocks: { labels: true } }],
    ['users in attribute blocks', { type: 'block', p: 0.3, blocks: { attribute: 'dorm' } }],
    [
      'clusters in size blocks',
      { type: 'block', p: 0.4, blocks: { clusterSize: 2 }, clustering: { method: 'attribute', attribute: 'dorm' } },
    ],
  ];
  const mappings: MappingSpec[] = [{ kind: 'full' }, { kind: 'thread-full' }];
  for (const [label, spec] of designs) {
    for (const m of mappings) {
      it(`closed form equals enumeration: ${label} under ${m.kind}`, () => {
        const design = make(tiny, spec);
        const mapping = exposureMapping(m);
        const ex = enumerate(tiny.csr, design, mapping);
        const cf = closedMarginals(tiny.csr, design.units, schemeOf(design), mapping);
        for (let i = 0; i < 10; i++) {
          expect(cf.p1[i]).toBeCloseTo(ex.p1[i]!, 12);
          expect(cf.p0[i]).toBeCloseTo(ex.p0[i]!, 12);
        }
        const joint = closedJoints(tiny.csr, design.units, schemeOf(design), mapping, ex.pairs)!;
        for (const key of ['p11', 'p00', 'p10', 'p01'] as const) {
          for (let k = 0; k < ex.pairs.other.length; k++) expect(joint[key][k]).toBeCloseTo(ex.joint[key][k]!, 12);
        }
      });
    }
  }

  it('beyond enumeration size: the listed dependent pairs are every pair that is dependent, with exact joints', () => {
    // 72 users (too many for the enumeration route), 12 clusters of 6 in blocks of 3 clusters
    const n = 72;
    const rng = stream(9, 'graph');
    const src: number[] = [];
    const dst: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) if (rng() < (Math.floor(i / 6) === Math.floor(j / 6) ? 0.5 : 0.03)) (src.push(i), dst.push(j));
    const g: SocialGraph = { csr: csrFromEdges(n, src, dst).csr, blocks: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 6)) };
    const design = make(g, { type: 'block', p: 0.5, blocks: { clusterSize: 3 }, clustering: { method: 'blocks' } });
    for (const scope of [{ kind: 'full' }, { kind: 'thread-full' }, { kind: 'fractional', q: 0.5 }] as MappingSpec[]) {
      const mapping = exposureMapping(scope);
      const pr = exposureProbabilities(g.csr, design, mapping, { joint: true, draws: 4000, batches: 20, seed: 3 });
      const ex = enumerate(g.csr, design, mapping);
      const closed = scope.kind !== 'fractional';
      if (closed) {
        expect(pr.method).toBe('closed form');
        for (let i = 0; i < n; i++) expect(pr.p1[i]).toBeCloseTo(ex.p1[i]!, 12);
      }
      const listed = new Map<number, number>();
      const P = pr.pairs!;
      for (let i = 0; i < n; i++) for (let k = P.offsets[i]!; k < P.offsets[i + 1]!; k++) listed.set(i * n + P.other[k]!, k);
      let unlisted = 0;
      for (let i = 0; i < n; i++) {
        for (let k = ex.pairs.offsets[i]!; k < ex.pairs.offsets[i + 1]!; k++) {
          const j = ex.pairs.other[k]!;
          const at = listed.get(i * n + j);
          if (at === undefined) {
            // unlisted: exactly independent
            unlisted++;
            expect(ex.joint.p11[k]).toBeCloseTo(ex.p1[i]! * ex.p1[j]!, 12);
            expect(ex.joint.p10[k]).toBeCloseTo(ex.p1[i]! * ex.p0[j]!, 12);
          } else if (closed) {
            for (const key of ['p11', 'p00', 'p10', 'p01'] as const) expect(P[key][at]).toBeCloseTo(ex.joint[key][k]!, 12);
          }
        }
      }
      expect(unlisted).toBeGreaterThan(0);
    }
  });
});
