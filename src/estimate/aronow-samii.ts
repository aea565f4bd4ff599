// Aronow & Samii (2017) conservative variance for a contrast of two
// Horvitz–Thompson totals, T1 = Σ_{E_i=1} v1_i/π1_i and T0 likewise:
//   Var(s1·T1 − s0·T0) ≈ s1²·V1 + s0²·V0 − 2·s1·s0·C.
// Pairs with a positive joint probability contribute
// (π_ij − π_i π_j)/π_ij times the weighted product; pairs that can never be
// seen together (π_ij = 0, including every user with itself in C) get
// Young's-inequality bounds, which is what makes the estimate conservative
// on average. Pairs not listed are independent and contribute nothing.
import type { ExposureProbabilities } from './exposure/index.js';

/** `users`, when given, lists every user with class 0 or 1 (the others contribute nothing) */
type Variance = (ex: Int8Array, v1: Float64Array, v0: Float64Array, s1: number, s0: number, users?: Uint32Array) => number;

const prepared = new WeakMap<ExposureProbabilities, Variance>();

export function aronowSamii(
  ex: Int8Array,
  v1: Float64Array,
  v0: Float64Array,
  pr: ExposureProbabilities,
  s1: number,
  s0: number,
  users?: Uint32Array,
): number {
  let f = prepared.get(pr);
  if (!f) prepared.set(pr, (f = prepare(pr)));
  return f(ex, v1, v0, s1, s0, users);
}

function prepare(pr: ExposureProbabilities): Variance {
  const { p1, p0, pairs } = pr;
  if (!pairs) return () => NaN;
  const n = p1.length;
  const { offsets, other, p11, p00, p10, p01 } = pairs;
  // The Young's bounds of a user depend only on how many partners it can
  // never be seen with, so count those once: per replication only exposed
  // users and their exposed partners then cost anything.
  const z11 = new Float64Array(n); // partners that are never treated together with it
  const z00 = new Float64Array(n);
  const z10 = new Float64Array(n); // partners never in control while it is treated
  const z01 = new Float64Array(n); // partners never treated while it is in control
  for (let i = 0; i < n; i++) {
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = other[k]!;
      if (p11[k] === 0) (z11[i]!++, z11[j]!++);
      if (p00[k] === 0) (z00[i]!++, z00[j]!++);
      if (p10[k] === 0) (z10[i]!++, z01[j]!++); // i treated with j in control is impossible
      if (p01[k] === 0) (z01[i]!++, z10[j]!++);
    }
  }
  return (ex, v1, v0, s1, s0, users) => {
    let V1 = 0,
      V0 = 0,
      C = 0;
    const m = users ? users.length : n;
    for (let u = 0; u < m; u++) {
      const i = users ? users[u]! : u;
      const ei = ex[i]!;
      const pi = ei === 1 ? p1[i]! : ei === 0 ? p0[i]! : 0;
      if (!(pi > 0)) continue;
      const yi = ei === 1 ? v1[i]! : v0[i]!;
      const ai = yi / pi;
      const q = yi * ai; // Y²/π
      // itself (C: π_ii(1,0) = 0) and its never-together partners, both orders
      if (ei === 1) ((V1 += (1 - pi) * ai * ai + q * z11[i]!), (C -= (q / 2) * (1 + z10[i]!)));
      else ((V0 += (1 - pi) * ai * ai + q * z00[i]!), (C -= (q / 2) * (1 + z01[i]!)));
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
        const j = other[k]!;
        const ej = ex[j]!;
        if (ej < 0) continue;
        const pj = ej === 1 ? p1[j]! : p0[j]!;
        if (!(pj > 0)) continue;
        const w = ai * ((ej === 1 ? v1[j]! : v0[j]!) / pj);
        // each unordered pair stands for both orders (i, j) and (j, i)
        if (ei === 1 && ej === 1) p11[k]! > 0 && (V1 += ((2 * (p11[k]! - pi * pj)) / p11[k]!) * w);
        else if (ei === 0 && ej === 0) p00[k]! > 0 && (V0 += ((2 * (p00[k]! - pi * pj)) / p00[k]!) * w);
        else if (ei === 1) p10[k]! > 0 && (C += ((p10[k]! - pi * pj) / p10[k]!) * w);
        else p01[k]! > 0 && (C += ((p01[k]! - pi * pj) / p01[k]!) * w);
      }
    }
    return s1 * s1 * V1 + s0 * s0 * V0 - 2 * s1 * s0 * C;
  };
}
