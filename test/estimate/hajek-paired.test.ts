// Found by an independent audit (kept as a regression test). docs/designs.md said the Hajek
// sandwich for fixed units "under assignment: 'paired' treats the two
// clusters of a pair as independent ... err[s] on the conservative side".
// Derivation (p = 1/2, own-unit exposure, cluster residual totals R_c):
//   Var(contrast) ∝ Σ_pairs (R1_A − R1_B + R0_A − R0_B)²,
//   E[V̂]         ∝ 2 Σ_pairs (R1_A² + R1_B² + R0_A² + R0_B²),
// so with no effect E[V̂] − Var ∝ 8 Σ_pairs R_A R_B: anti-conservative
// whenever paired clusters' totals are negatively associated (and slightly,
// O(1/C), even under pairing unrelated to outcomes). Here 40 equal clusters,
// paired (0,1), (2,3), ...; y = +1 in even clusters, −1 in odd ones, plus a
// fixed within-cluster spread; no effect.
import { describe, expect, it } from 'vitest';
import { createDesign, doseOf } from '../../src/design/index.js';
import { ipwEstimator } from '../../src/estimate/horvitz-thompson.js';
import { stream } from '../../src/random/streams.js';
import { fromEdgeList } from '../helpers/graphs.js';

describe('Hajek (own-unit exposure) under paired cluster assignment', () => {
  it('covers the global effect (0) about 95% of the time', () => {
    const C = 40,
      m = 10;
    const edges: [number, number][] = [];
    const blocks: number[] = [];
    const y = new Float64Array(C * m);
    for (let c = 0; c < C; c++) {
      for (let a = 0; a < m; a++) {
        const v = c * m + a;
        blocks[v] = c;
        y[v] = (c % 2 ? -1 : 1) + 0.5 * Math.sin(7 * v); // fixed, no effect: y1 = y0
        for (let b = a + 1; b < m; b++) edges.push([v, c * m + b]);
      }
    }
    const graph = fromEdgeList(C * m, edges, blocks);
    const n = graph.csr.n;
    const design = createDesign(
      { graph, rng: (p) => stream(1, p) },
      { type: 'cluster', name: 'paired', p: 0.5, clustering: { method: 'blocks' }, assignment: 'paired' },
    );
    const run = ipwEstimator('hajek', { mapping: { kind: 'thread-full' } }).prepare({ graph, design, seed: 1, cache: new Map() });
    const rng = stream(3, 'audit');
    const z = new Uint8Array(design.units.count);
    const dose = new Float64Array(n);
    const R = 4000;
    let covered = 0,
      defined = 0,
      ss = 0,
      v = 0;
    const truth = 0; // Σ y1 − Σ y0 = 0
    for (let r = 0; r < R; r++) {
      design.drawUnits(rng, z);
      doseOf(design.units, z, dose);
      const e = run({ dose, unitZ: z, y, den: null, memo: new Map() });
      if (!Number.isFinite(e.estimate)) continue;
      defined++;
      ((ss += (e.estimate - truth) ** 2), (v += e.se ** 2));
      if (Math.abs(e.estimate - truth) <= 2.03 * e.se) covered++; // df ≥ 36 here: t quantile ≤ 2.03
    }
    console.log({ defined, coverage: covered / defined, rmse: Math.sqrt(ss / defined), rootMeanVhat: Math.sqrt(v / defined) });
    expect(v / ss).toBeGreaterThan(0.9);
    expect(covered / defined).toBeGreaterThan(0.93);
  });
});
