// Full-neighbourhood exposure (Ugander et al. 2013): user i is in the
// treated world when i and all friends have dose 1, in the control world when
// all have dose 0. Exposure probabilities are exact when units are
// randomized independently (p^k, (1-p)^k with k the distinct units touching
// i's closed neighbourhood) or completely (hypergeometric).
import type { CSR } from '../graph/csr.js';
import type { Design } from '../design/index.js';

export interface ExposureProbabilities {
  /** P(i fully treated), P(i fully control) */
  readonly p1: Float64Array;
  readonly p0: Float64Array;
  /** distinct units touching the closed neighbourhood */
  readonly k: Uint32Array;
}

/** k_i: number of distinct units touching i's closed neighbourhood. */
export function unitsTouching(g: CSR, design: Design): Uint32Array {
  const { offsets: uo, list } = design.units;
  const stamp = new Int32Array(design.units.count).fill(-1);
  const k = new Uint32Array(g.n);
  for (let i = 0; i < g.n; i++) {
    let c = 0;
    const visit = (j: number) => {
      for (let q = uo[j]!; q < uo[j + 1]!; q++) {
        const u = list[q]!;
        if (stamp[u] !== i) (stamp[u] = i), c++;
      }
    };
    visit(i);
    for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) visit(g.nbrs[e]!);
    k[i] = c;
  }
  return k;
}

/** P(a given set of k units is all treated) and all control, for each k up to kmax. */
export function allOrNoneProbabilities(design: Design, kmax: number): { all1: Float64Array; all0: Float64Array } {
  const all1 = new Float64Array(kmax + 1);
  const all0 = new Float64Array(kmax + 1);
  all1[0] = all0[0] = 1;
  const s = design.scheme;
  const N = design.units.count;
  for (let k = 1; k <= kmax; k++) {
    if (s.kind === 'bernoulli') {
      all1[k] = all1[k - 1]! * s.p;
      all0[k] = all0[k - 1]! * (1 - s.p);
    } else {
      const j = k - 1;
      all1[k] = all1[k - 1]! * Math.max(0, (s.treated - j) / (N - j));
      all0[k] = all0[k - 1]! * Math.max(0, (N - s.treated - j) / (N - j));
    }
  }
  return { all1, all0 };
}

export function fullNeighbourhoodProbabilities(g: CSR, design: Design): ExposureProbabilities {
  const k = unitsTouching(g, design);
  let kmax = 0;
  for (let i = 0; i < g.n; i++) if (k[i]! > kmax) kmax = k[i]!;
  const { all1, all0 } = allOrNoneProbabilities(design, kmax);
  const p1 = new Float64Array(g.n);
  const p0 = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) {
    p1[i] = all1[k[i]!]!;
    p0[i] = all0[k[i]!]!;
  }
  return { p1, p0, k };
}

/** Per-replication exposure: 1 fully treated, 0 fully control, -1 neither. */
export function fullNeighbourhoodExposure(g: CSR, dose: Float64Array, out: Int8Array): Int8Array {
  const { n, offsets, nbrs } = g;
  for (let i = 0; i < n; i++) {
    const d = dose[i]!;
    let e = d === 1 ? 1 : d === 0 ? 0 : -1;
    for (let q = offsets[i]!; e >= 0 && q < offsets[i + 1]!; q++) if (dose[nbrs[q]!] !== d) e = -1;
    out[i] = e;
  }
  return out;
}
