// CR2 and Bell–McCaffrey df for the cluster difference in means, against
// their closed form when clusters are nested in arms (worked out by hand):
// with X = [1, z], H is the projection on the arm indicators, so for
// cluster g of size n_g in arm a (N_a users), I − H_gg = I − J/N_a and
// (I − H_gg)^{-1/2} multiplies the all-ones direction by (1 − n_g/N_a)^{-1/2}:
//   V = Σ_a Σ_{g∈a} S_g² / (1 − n_g/N_a) / N_a²   (S_g = cluster residual total)
// and G'G is block-diagonal by arm, D_a − v v'/N_a with c_g = (1 − n_g/N_a)^{-1/2}/N_a,
// D = c_g² n_g, v = c_g n_g, so df = (Σ tr)² / Σ tr(block²).
import { describe, expect, it } from 'vitest';
import { clusterDmCr2 } from '../../src/estimate/cr2.js';
import type { Design } from '../../src/design/index.js';
import type { SocialGraph } from '../../src/graph/csr.js';

describe('cr2 on a hand-worked example', () => {
  it('equals the closed form for clusters nested in arms', () => {
    const sizes = [1, 2, 3, 4, 2, 5];
    const zc = [1, 1, 1, 0, 0, 0];
    const label = sizes.flatMap((s, g) => Array<number>(s).fill(g));
    const y = Float64Array.from(label, (g, i) => g * 0.3 + ((i * 37) % 11) / 7);
    const dose = Float64Array.from(label, (g) => zc[g]!);
    const design = {
      name: 'd',
      structure: { kind: 'fixed' },
      units: { partition: true, identity: false, count: 6, list: Int32Array.from(label) },
    } as unknown as Design;
    const e = clusterDmCr2.prepare({ graph: { csr: { n: label.length } } as unknown as SocialGraph, design })({
      dose,
      unitZ: Uint8Array.from(zc),
      y,
      den: null,
      memo: new Map(),
    });
    let V = 0,
      tr = 0,
      tr2 = 0,
      est = 0;
    for (const a of [1, 0]) {
      const gs = [0, 1, 2, 3, 4, 5].filter((g) => zc[g] === a);
      const N = gs.reduce((s, g) => s + sizes[g]!, 0);
      const mean = label.reduce((s, g, i) => s + (zc[g] === a ? y[i]! : 0), 0) / N;
      est += a ? mean : -mean;
      const c = gs.map((g) => 1 / Math.sqrt(1 - sizes[g]! / N) / N);
      for (const g of gs) {
        const S = label.reduce((s, h, i) => s + (h === g ? y[i]! - mean : 0), 0);
        V += (S * S) / (1 - sizes[g]! / N) / N / N;
      }
      // block = diag(D) − v v'/N
      const D = gs.map((g, k) => c[k]! ** 2 * sizes[g]!);
      const v = gs.map((g, k) => c[k]! * sizes[g]!);
      const m = gs.length;
      for (let p = 0; p < m; p++) {
        tr += D[p]! - v[p]! ** 2 / N;
        for (let q = 0; q < m; q++) tr2 += ((p === q ? D[p]! : 0) - (v[p]! * v[q]!) / N) ** 2;
      }
    }
    expect(e.estimate).toBeCloseTo(est, 12);
    expect(e.se).toBeCloseTo(Math.sqrt(V), 12);
    expect(e.df).toBeCloseTo((tr * tr) / tr2, 10);
  });
});
