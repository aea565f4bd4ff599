// Ego-cluster randomization (Saint-Jacques et al. 2019): the egos against an
// independent implementation of the rule, exact assignment probabilities by
// enumeration, full exposure of egos, and the difference in means over egos
// against the egos' global effect (exactly, by enumeration; and coverage in a
// simulated scenario).
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/streams.js';
import { assignment, createDesign, populationOf, type Design } from '../../src/design/index.js';
import { egoClusters, randomOrder } from '../../src/design/ego.js';
import { exposureMapping } from '../../src/estimate/exposure/index.js';
import { getEstimator } from '../../src/estimate/index.js';
import { createModel, globalEffects } from '../../src/model/index.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';
import { buildGraph } from '../../src/sim/build-graph.js';
import { formatResults } from '../../src/report/table.js';
import { csrFromEdges, type SocialGraph } from '../../src/graph/csr.js';
import { fromEdgeList } from '../helpers/graphs.js';

/** A random graph: each pair linked with probability q (seeded). */
function randomGraph(n: number, q: number, seed: number): SocialGraph {
  const rng = stream(seed, 'test-graph');
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng() < q) (src.push(i), dst.push(j));
  return { csr: csrFromEdges(n, src, dst).csr };
}

const closed = (g: SocialGraph, v: number) => new Set([v, ...g.csr.nbrs.subarray(g.csr.offsets[v], g.csr.offsets[v + 1])]);
const degreeOf = (g: SocialGraph, v: number) => g.csr.offsets[v + 1]! - g.csr.offsets[v]!;

/** The rule written out on sets: accept v when N[v] meets no accepted ego's N[e]. */
function egosBySets(g: SocialGraph, order: ArrayLike<number>, minDegree: number, maxDegree: number): number[] {
  const egos: number[] = [];
  for (let t = 0; t < order.length; t++) {
    const v = order[t]!;
    const d = degreeOf(g, v);
    if (d < minDegree || d > maxDegree) continue;
    const nv = closed(g, v);
    if (egos.every((e) => ![...closed(g, e)].some((u) => nv.has(u)))) egos.push(v);
  }
  return egos;
}

const design = (graph: SocialGraph, spec: Record<string, unknown>, seed: number | string = 1): Design =>
  createDesign({ graph, rng: (purpose) => stream(seed, 'design', 'ego', purpose) }, { type: 'ego-cluster', p: 0.5, ...spec } as never);

/** Every assignment of a Bernoulli(p) design over its units, with its probability. */
function* assignments(d: Design, p: number): Generator<[Uint8Array, number]> {
  const C = d.units.count;
  for (let m = 0; m < 2 ** C; m++) {
    const z = new Uint8Array(C);
    let ones = 0;
    for (let k = 0; k < C; k++) ones += z[k] = (m >> k) & 1;
    yield [z, p ** ones * (1 - p) ** (C - ones)];
  }
}

describe('ego selection', () => {
  it('gives pairwise disjoint, maximal ego networks, exactly the rule on sets, within the degree bounds', () => {
    for (const [n, q, minDegree, maxDegree] of [
      [30, 0.1, 1, Infinity],
      [60, 0.05, 0, Infinity],
      [80, 0.06, 2, 5],
      [40, 0.2, 1, 4],
    ] as const) {
      for (let seed = 0; seed < 8; seed++) {
        const g = randomGraph(n, q, seed);
        const order = randomOrder(stream(seed, 'order'), n);
        const { egos, labels } = egoClusters(g.csr, order, minDegree, maxDegree);
        expect([...egos]).toEqual(egosBySets(g, order, minDegree, maxDegree));
        const nets = [...egos].map((e) => closed(g, e));
        // pairwise disjoint
        for (let a = 0; a < nets.length; a++)
          for (let b = a + 1; b < nets.length; b++) expect([...nets[a]!].some((u) => nets[b]!.has(u))).toBe(false);
        // labels: each user's cluster is the ego network it is in, -1 outside all
        for (let i = 0; i < n; i++) expect(labels[i]).toBe(nets.findIndex((s) => s.has(i)));
        // maximal: no other user within the bounds could be added
        const covered = new Set(nets.flatMap((s) => [...s]));
        for (let v = 0; v < n; v++) {
          const d = degreeOf(g, v);
          if (egos.includes(v)) expect(d >= minDegree && d <= maxDegree).toBe(true);
          else if (d >= minDegree && d <= maxDegree) expect([...closed(g, v)].some((u) => covered.has(u))).toBe(true);
        }
      }
    }
  });

  it('builds the design: a unit per ego network, no unit outside, the egos as population', () => {
    const g = randomGraph(50, 0.08, 3);
    const d = design(g, { p: 0.3 });
    expect(d.structure.kind).toBe('ego');
    if (d.structure.kind !== 'ego') return;
    const { egos, population } = d.structure;
    expect(populationOf(d)).toBe(population);
    expect([...population.keys()].filter((i) => population[i])).toEqual([...egos].sort((a, b) => a - b));
    expect(d.units.count).toBe(egos.length);
    expect(d.units.partition).toBe(false);
    egos.forEach((e, k) => {
      for (const u of closed(g, e)) expect([...d.units.list.subarray(d.units.offsets[u], d.units.offsets[u + 1])]).toEqual([k]);
    });
    const inside = new Set([...egos].flatMap((e) => [...closed(g, e)]));
    for (let i = 0; i < 50; i++) if (!inside.has(i)) expect(d.units.offsets[i + 1]).toBe(d.units.offsets[i]);
    // the same egos from the same stream, different ones from another
    expect(design(g, { p: 0.3 }).structure).toEqual(d.structure);
  });

  it('refuses fewer than two egos and crossed degree bounds', () => {
    const star = fromEdgeList(5, [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
    ]);
    expect(() => design(star, { minDegree: 4 })).toThrow(/found 1 ego/);
    expect(() => design(star, { minDegree: 3, maxDegree: 2 })).toThrow(/minDegree 3 is above maxDegree 2/);
    expect(() =>
      parseScenario({
        graph: { generator: 'barabasi-albert', n: 10, m: 1 },
        model: { type: 'linear-in-means' },
        designs: [{ type: 'ego-cluster', p: 0.5, minDegree: -1 }],
      }),
    ).toThrow();
  });
});

describe('ego-cluster assignments, enumerated on a tiny graph', () => {
  // four paths of five users, one a triangle-ended path: a middle ego leaves both path ends in no ego network
  const N = 20;
  const edges: [number, number][] = [];
  for (let c = 0; c < 4; c++) for (let j = 0; j < 4; j++) edges.push([5 * c + j, 5 * c + j + 1]);
  edges.push([15, 17]);
  const g = fromEdgeList(N, edges);
  const p = 0.3;
  // the first seed whose egos leave someone out
  const d = Array.from({ length: 40 }, (_, s) => design(g, { p }, s)).find((x) => x.units.offsets[N]! < N)!;
  const buffers = () => ({ dose: new Float64Array(N), treated: new Uint8Array(N) });

  it('treats every ego-network user with probability p, every other user never', () => {
    expect(d).toBeDefined();
    const pr = new Float64Array(N);
    let total = 0;
    for (const [z, w] of assignments(d, p)) {
      const a = assignment(d, z, null, buffers());
      for (let i = 0; i < N; i++) pr[i]! += w * a.dose[i]!;
      total += w;
      expect(a.population).toBe(populationOf(d));
    }
    expect(total).toBeCloseTo(1, 12);
    for (let i = 0; i < N; i++) expect(pr[i]).toBeCloseTo(d.units.offsets[i + 1]! > d.units.offsets[i]! ? p : 0, 12);
    // the design's own draw is that Bernoulli scheme: each unit's share of treated draws within 4 SE of p
    const z = new Uint8Array(d.units.count);
    const R = 20_000;
    const hits = new Float64Array(d.units.count);
    for (let r = 0; r < R; r++) {
      d.drawUnits(stream(9, 'draw', r), z);
      z.forEach((v, k) => (hits[k]! += v));
    }
    for (const h of hits) expect(Math.abs(h / R - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / R));
  });

  it('fully exposes an ego exactly when its cluster is treated (and fully controls it otherwise)', () => {
    if (d.structure.kind !== 'ego') throw new Error('not ego');
    const full = exposureMapping({ kind: 'full' });
    const { egos } = d.structure;
    for (const [z] of assignments(d, p)) {
      const a = assignment(d, z, null, buffers());
      const ex = full.classify(g.csr, a.dose, new Int8Array(N));
      egos.forEach((e, k) => expect(ex[e]).toBe(z[k] ? 1 : 0));
    }
    // and on a larger graph over many draws
    const big = randomGraph(400, 0.012, 5);
    const db = design(big, { p: 0.5 });
    if (db.structure.kind !== 'ego') throw new Error('not ego');
    const zb = new Uint8Array(db.units.count);
    for (let r = 0; r < 50; r++) {
      db.drawUnits(stream(2, 'draw', r), zb);
      const a = assignment(db, zb, null, { dose: new Float64Array(400), treated: new Uint8Array(400) });
      const ex = full.classify(big.csr, a.dose, new Int8Array(400));
      db.structure.egos.forEach((e, k) => expect(ex[e]).toBe(zb[k] ? 1 : 0));
    }
  });

  it('difference in means over egos is unbiased for the egos\u2019 global effect, beta + gamma (linear-in-means, every assignment)', () => {
    const beta = 0.4;
    const gamma = 1.5;
    const model = createModel({ graph: g }, { type: 'linear-in-means', alpha: 1, beta, gamma, sigma: 1, homophily: 0.3 });
    const draw = model.draw((purpose) => stream(4, 'noise', purpose));
    const [all, egos] = globalEffects(model, draw, N, [null, populationOf(d)]);
    // every ego has friends, all in its cluster: its own and its friends' treatment move together
    expect(egos![0]).toBeCloseTo(beta + gamma, 12);
    expect(all![0]).toBeCloseTo(beta + gamma, 12); // no isolated user in this graph: the same, by another route
    const dm = getEstimator('dm').prepare({ graph: g, design: d });
    const cdm = getEstimator('cluster-dm').prepare({ graph: g, design: d });
    const y = [new Float64Array(N)];
    let mean = 0,
      weight = 0,
      defined = 0;
    for (const [z, w] of assignments(d, p)) {
      const a = assignment(d, z, null, buffers());
      model.outcomes(draw, { dose: a.dose, treated: a.treated, threadOn: null }, y, []);
      const rep = { dose: a.dose, unitZ: z, y: y[0]!, den: null, memo: new Map() };
      const e = dm(rep);
      const c = cdm(rep);
      if (!Number.isFinite(e.estimate)) {
        expect(c.estimate).toBeNaN();
        continue;
      }
      // one ego per cluster: the cluster contrast is the same difference
      expect(c.estimate).toBeCloseTo(e.estimate, 12);
      mean += w * e.estimate;
      weight += w;
      defined++;
    }
    expect(defined).toBeGreaterThan(0);
    // given both arms have two egos, Bernoulli is complete randomization given the count: unbiased exactly
    expect(mean / weight).toBeCloseTo(beta + gamma, 12);
  });
});

describe('ego clusters in a simulated scenario', () => {
  const beta = 0.3;
  const gamma = 0.8;
  const scenario = parseScenario({
    name: 'ego',
    seed: 12,
    replications: 400,
    graph: { generator: 'sbm', blocks: 30, blockSize: 100, pIn: 0.03, pOut: 0.0002 }, // some users isolated
    model: { type: 'linear-in-means', alpha: 0, beta, gamma, sigma: 1, homophily: 0.5 },
    designs: [
      { type: 'ego-cluster', name: 'ego', p: 0.5 },
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
    ],
    estimators: ['dm', 'cluster-dm', 'ht'],
  });
  const { results, rows } = runSerial(scenario);
  const egos = results.designs.find((d) => d.name === 'ego')!.population!.users;

  it('the truth for the ego design is the egos\u2019 effect; dm and cluster-dm are unbiased and cover 95% within 4 MC SE', () => {
    expect(egos).toBeGreaterThan(150);
    for (const r of rows.filter((x) => x.design === 'ego')) expect(r.truth).toBeCloseTo(beta + gamma, 12);
    for (const id of ['dm', 'cluster-dm']) {
      const x = results.diagnosis.find((d) => d.design === 'ego' && d.estimator === id)!;
      expect(x.undefinedShare).toBe(0);
      expect(Math.abs(x.bias!)).toBeLessThan(4 * x.biasSE!);
      expect(Math.abs(x.coverage! - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / x.replications));
    }
    // HT weights every user: not run on an ego design
    expect(results.designs.find((d) => d.name === 'ego')!.skipped.map((s) => s.id)).toEqual(['ht']);
    // user-level design: still the global effect over everyone, isolated users (no peer effect) included
    const { csr } = buildGraph(scenario);
    let connected = 0;
    for (let i = 0; i < csr.n; i++) connected += csr.offsets[i + 1]! > csr.offsets[i]! ? 1 : 0;
    expect(connected).toBeLessThan(csr.n);
    expect(rows.find((x) => x.design === 'user')!.truth).toBeCloseTo(beta + (gamma * connected) / csr.n, 12);
    expect(results.designs.find((d) => d.name === 'user')!.population).toBeUndefined();
  });

  it('the design table shows the population', () => {
    const text = formatResults(results);
    expect(text).toContain(`effect on ${egos.toLocaleString('en-US')} egos`);
    expect(text).toMatch(/for ego: the global effect averaged over its [\d,]+ egos only/);
  });
});
