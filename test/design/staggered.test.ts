// Staggered (nested Bernoulli) rollout, against its definition (Cortez,
// Eichhorn & Yu 2022: one uniform U per unit, treated at stage t iff
// U < p_t): the observed assignment is the last stage's and contains every
// earlier stage's treated set; a unit is first treated at stage t with
// probability p_t − p_{t−1} and never with 1 − p_T; every stage's treated
// share is p_t, with units independent (pairs both treated p_t²), each
// within 4 Monte Carlo SEs; a cluster-level rollout moves whole clusters;
// the scenario entry's shares are checked.
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/streams.js';
import { createDesign, type Design } from '../../src/design/index.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import type { SocialGraph } from '../../src/graph/csr.js';
import { ringLattice } from '../helpers/graphs.js';

const design = (graph: SocialGraph, spec: Record<string, unknown>): Design =>
  createDesign({ graph, rng: (purpose) => stream(1, 'design', 'staggered', purpose) }, { type: 'staggered', ...spec } as never);

/** R draws: each unit's first treated stage (P.length = never) and the observed assignment. */
function draws(d: Design, R: number, seed: number): { stage: Uint8Array; z: Uint8Array }[] {
  const rng = stream(seed, 'draws');
  const out: { stage: Uint8Array; z: Uint8Array }[] = [];
  for (let r = 0; r < R; r++) {
    const z = new Uint8Array(d.units.count);
    const info = d.drawUnits(rng, z);
    if (info?.kind !== 'rollout') throw new Error('a rollout reports its stages');
    out.push({ stage: info.stage.slice(), z });
  }
  return out;
}

const within4 = (got: number, want: number, se: number) => expect(Math.abs(got - want)).toBeLessThan(4 * se);

describe('staggered rollout design', () => {
  const P = [0, 0.05, 0.2, 0.5];
  const n = 3000;
  const graph = ringLattice(n, 4, 30);

  it('user level: nested stages, the last one observed, first-stage and stage shares as defined, units independent', () => {
    const d = design(graph, { p: 0.5, shares: P });
    expect(d.p).toBe(0.5);
    expect(d.units.count).toBe(n);
    expect(d.structure).toMatchObject({ kind: 'rollout', scheme: { kind: 'bernoulli', p: 0.5 } });
    const R = 60;
    const all = draws(d, R, 5);
    const T = P.length - 1;
    const first = new Float64Array(T + 2); // count of units first treated at each stage, and never
    const treatedAt = new Float64Array(T + 1);
    const pairsAt = new Float64Array(T + 1);
    let wrong = 0;
    for (const { stage, z } of all) {
      for (let u = 0; u < n; u++) {
        const s = stage[u]!;
        if (s > T + 1) wrong++;
        first[s]!++;
        // the observed assignment is the last stage: treated iff first treated at some stage
        if (z[u] !== (s <= T ? 1 : 0)) wrong++;
        for (let t = 0; t <= T; t++) {
          const on = s <= t;
          if (on) treatedAt[t]!++;
          if (u + 1 < n && on && stage[u + 1]! <= t) pairsAt[t]!++;
        }
      }
    }
    expect(wrong).toBe(0);
    // nested: the treated sets grow stage by stage
    for (let t = 1; t <= T; t++) expect(treatedAt[t]!).toBeGreaterThan(treatedAt[t - 1]!);
    const N = n * R;
    // first treated at stage t with probability p_t − p_{t−1}; never with 1 − p_T
    for (let t = 0; t <= T + 1; t++) {
      const want = t === 0 ? P[0]! : t <= T ? P[t]! - P[t - 1]! : 1 - P[T]!;
      if (want === 0) expect(first[t]).toBe(0);
      else within4(first[t]! / N, want, Math.sqrt((want * (1 - want)) / N));
    }
    // each stage's marginal share is p_t; neighbours (u, u+1) both treated with p_t² (independent coins)
    for (let t = 0; t <= T; t++) {
      const p = P[t]!;
      if (p === 0) expect(treatedAt[t]).toBe(0);
      else within4(treatedAt[t]! / N, p, Math.sqrt((p * (1 - p)) / N));
      const q = p * p;
      const M = (n - 1) * R;
      if (q > 0) within4(pairsAt[t]! / M, q, Math.sqrt((q * (1 - q)) / M) * 1.5); // pairs overlap: a wider SE
    }
  });

  it('cluster level: units are the clusters, every user follows its cluster, cluster stage shares as defined', () => {
    const d = design(graph, { p: 0.5, shares: P, clustering: { method: 'blocks' } });
    expect(d.units.count).toBe(n / 30);
    expect(d.units.partition).toBe(true);
    const R = 2000;
    const all = draws(d, R, 6);
    const T = P.length - 1;
    const C = d.units.count;
    for (let t = 0; t <= T; t++) {
      let k = 0;
      for (const { stage } of all) for (let c = 0; c < C; c++) if (stage[c]! <= t) k++;
      const p = P[t]!;
      if (p === 0) expect(k).toBe(0);
      else within4(k / (C * R), p, Math.sqrt((p * (1 - p)) / (C * R)));
    }
    // users of one block share one unit
    for (let i = 0; i < n; i++) expect(d.units.list[i]).toBe(d.units.list[30 * Math.floor(i / 30)]);
  });

  it('first stage above 0: units first treated at stage 0 with probability p_0, at t with p_t − p_{t−1}', () => {
    const Q = [0.1, 0.3, 0.6];
    const d = design(graph, { p: 0.6, shares: Q });
    const R = 40;
    const T = Q.length - 1;
    const first = new Float64Array(T + 2);
    for (const { stage } of draws(d, R, 7)) for (let u = 0; u < n; u++) first[stage[u]!]!++;
    const N = n * R;
    for (let t = 0; t <= T + 1; t++) {
      const want = t === 0 ? Q[0]! : t <= T ? Q[t]! - Q[t - 1]! : 1 - Q[T]!;
      within4(first[t]! / N, want, Math.sqrt((want * (1 - want)) / N));
    }
  });

  it('default stages: T equal steps from 0 to p', () => {
    const d = design(graph, { p: 0.4, stages: 4 });
    const st = d.structure;
    if (st.kind !== 'rollout') throw new Error('rollout');
    expect(Array.from(st.shares)).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4]);
    const two = design(graph, { p: 0.3 }).structure;
    if (two.kind !== 'rollout') throw new Error('rollout');
    expect(Array.from(two.shares)).toEqual([0, 0.15, 0.3]);
  });

  it('refuses shares that are not increasing, or do not end at p', () => {
    expect(() => design(graph, { p: 0.5, shares: [0, 0.3, 0.2, 0.5] })).toThrow(/strictly increasing/);
    expect(() => design(graph, { p: 0.5, shares: [0, 0.1, 0.25] })).toThrow(/must end at p = 0.5/);
    expect(() => design(graph, { p: 0.5, shares: [0.5, 0.5] })).toThrow(/strictly increasing/);
  });

  it('is a scenario design type', () => {
    const s = parseScenario({
      graph: { generator: 'sbm', blocks: 4, blockSize: 10, pIn: 0.3, pOut: 0.01 },
      model: { type: 'linear-in-means', beta: 1, gamma: 1, sigma: 1 },
      designs: [{ type: 'staggered', p: 0.5, shares: [0, 0.1, 0.5], clustering: { method: 'blocks' } }],
      estimators: ['dm', 'polynomial', { estimator: 'polynomial', degree: 1 }],
    });
    expect(s.designs[0]).toMatchObject({ type: 'staggered', stages: 2 });
  });
});
