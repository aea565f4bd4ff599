// Found by an independent audit (kept as a regression test). The Hajek sandwich for fixed
// units under full-neighbourhood exposure (src/estimate/horvitz-thompson.ts,
// `fixed` branch) is documented as conservative. Derivation (per user i,
// r_i^w = y_i^w − μ_w d_i, A_ij = 1{S_i ∩ S_j ≠ ∅} incl. i = j): asymptotically
//   E[V̂] − Var(Hajek) = Σ_ij A_ij δ_i δ_j / N²,   δ_i = r_i^1 − r_i^0,
// which is ≥ 0 when A is a block matrix (partitions, own-unit exposure) but
// not when unit sets overlap (neighbourhood scope): A is then not positive
// semi-definite. Graph: chains of three cliques A–B–C joined by one edge A–B
// and one B–C, so four boundary users per chain have two-cluster sets, plus
// plain cliques. Effects: in the chains y0 = 0 and y1 = +1 on the A–B
// boundary pair, −1 on the B–C pair, ∓2/m on A's and C's interiors, 0 in
// B's, so δᵀAδ = −8 per chain while the chain's own Var term is +8. Plain
// cliques carry no effect (y1 = y0 = ±1/m per member, alternating), so they
// contribute as much to E[V̂] as to Var. Global effect: exactly 0.
import { describe, expect, it } from 'vitest';
import { createDesign, doseOf } from '../../src/design/index.js';
import { ipwEstimator } from '../../src/estimate/horvitz-thompson.js';
import { stream } from '../../src/random/streams.js';
import { fromEdgeList } from '../helpers/graphs.js';

function population(K: number, m: number, P: number, noEffect = false) {
  const edges: [number, number][] = [];
  const blocks: number[] = [];
  const y1: number[] = [];
  const y0: number[] = [];
  let id = 0;
  const clique = (nodes: number[]) => {
    for (let a = 0; a < nodes.length; a++) for (let b = a + 1; b < nodes.length; b++) edges.push([nodes[a]!, nodes[b]!]);
  };
  for (let k = 0; k < K; k++) {
    const A = Array.from({ length: m + 1 }, () => id++); // A[0]: boundary with B
    const B = Array.from({ length: m + 2 }, () => id++); // B[0]: boundary with A, B[1]: with C
    const C = Array.from({ length: m + 1 }, () => id++); // C[0]: boundary with B
    (clique(A), clique(B), clique(C));
    edges.push([A[0]!, B[0]!], [B[1]!, C[0]!]);
    for (const v of A) ((blocks[v] = 3 * k), (y1[v] = v === A[0] ? 1 : -2 / m), (y0[v] = 0));
    for (const v of B) ((blocks[v] = 3 * k + 1), (y1[v] = v === B[0] ? 1 : v === B[1] ? -1 : 0), (y0[v] = 0));
    for (const v of C) ((blocks[v] = 3 * k + 2), (y1[v] = v === C[0] ? -1 : 2 / m), (y0[v] = 0));
  }
  for (let k = 0; k < P; k++) {
    const D = Array.from({ length: m }, () => id++);
    clique(D);
    for (const v of D) ((blocks[v] = 3 * K + k), (y1[v] = y0[v] = (k % 2 ? -1 : 1) / m));
  }
  return { graph: fromEdgeList(id, edges, blocks), y1: Float64Array.from(y1), y0: Float64Array.from(noEffect ? y1 : y0) };
}

describe('Hajek sandwich under full-neighbourhood exposure with overlapping unit sets', () => {
  const cases = [
    ['60 chains + 240 plain clusters, heterogeneous effects', 60, 240, false],
    ['60 chains alone, no effect (y1 = y0): per-world sandwiches negative most of the time', 60, 0, true],
  ] as const;
  for (const [label, K, P, noEffect] of cases)
    it(`${label}: defined, and 95% coverage of the global effect (0)?`, () => {
      const { graph, y1, y0 } = population(K, 6, P, noEffect);
      const n = graph.csr.n;
      const design = createDesign(
        { graph, rng: (p) => stream(1, p) },
        { type: 'cluster', name: 'c', p: 0.5, clustering: { method: 'blocks' } },
      );
      const run = ipwEstimator('hajek').prepare({ graph, design, seed: 1, cache: new Map() });
      const rng = stream(2, 'audit');
      const z = new Uint8Array(design.units.count);
      const dose = new Float64Array(n);
      const y = new Float64Array(n);
      const R = 4000;
      const reasons: Record<string, number> = {};
      let covered = 0,
        defined = 0,
        ss = 0,
        v = 0;
      for (let r = 0; r < R; r++) {
        design.drawUnits(rng, z);
        doseOf(design.units, z, dose);
        for (let i = 0; i < n; i++) y[i] = dose[i] === 1 ? y1[i]! : y0[i]!; // fully exposed users show their potential outcome
        const e = run({ dose, unitZ: z, y, den: null, memo: new Map() });
        if (!Number.isFinite(e.estimate)) {
          reasons[e.reason!] = (reasons[e.reason!] ?? 0) + 1;
          continue;
        }
        defined++;
        ((ss += e.estimate ** 2), (v += e.se ** 2));
        if (Math.abs(e.estimate) <= 1.96 * e.se) covered++;
      }
      const mse = ss / defined;
      console.log({
        reasons,
        defined,
        coverage: covered / defined,
        rmse: Math.sqrt(mse),
        rootMeanVhat: Math.sqrt(v / defined),
        ratio: v / defined / mse,
      });
      expect(defined / R).toBeGreaterThan(0.95);
      expect(v / defined / mse).toBeGreaterThan(0.9); // E[V̂] / MSE
      expect(covered / defined).toBeGreaterThan(0.93);
    });
});
