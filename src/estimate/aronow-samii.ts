// Aronow & Samii (2017) conservative variance for a contrast of two
// Horvitz–Thompson totals, T1 = Σ_{E_i=1} v1_i/π1_i and T0 likewise:
//   Var(s1·T1 − s0·T0) ≈ s1²·V1 + s0²·V0 − 2·s1·s0·C.
// Pairs with a positive joint probability contribute
// (π_ij − π_i π_j)/π_ij times the weighted product; pairs that can never be
// seen together (π_ij = 0, including every user with itself in C) get
// Young's-inequality bounds, which is what makes the estimate conservative
// on average. Pairs not listed are independent and contribute nothing.
import type { ExposureProbabilities } from './exposure/index.js';

export function aronowSamii(
  ex: Int8Array,
  v1: Float64Array,
  v0: Float64Array,
  pr: ExposureProbabilities,
  s1: number,
  s0: number,
): number {
  const { p1, p0, pairs } = pr;
  if (!pairs) return NaN;
  const n = ex.length;
  let V1 = 0, V0 = 0, C = 0;
  for (let i = 0; i < n; i++) {
    const e = ex[i]!;
    if (e === 1 && p1[i]! > 0) {
      const a = v1[i]! / p1[i]!;
      V1 += (1 - p1[i]!) * a * a;
      C -= (v1[i]! * a) / 2; // with itself: π_ii(1,0) = 0
    } else if (e === 0 && p0[i]! > 0) {
      const b = v0[i]! / p0[i]!;
      V0 += (1 - p0[i]!) * b * b;
      C -= (v0[i]! * b) / 2;
    }
  }
  const { offsets, other, p11, p00, p10, p01 } = pairs;
  // Y²/π of a user in its realised world (0 when in neither)
  const sq = (i: number) => {
    const e = ex[i]!;
    const p = e === 1 ? p1[i]! : e === 0 ? p0[i]! : 0;
    if (!(p > 0)) return 0;
    const y = e === 1 ? v1[i]! : v0[i]!;
    return (y * y) / p;
  };
  // each unordered pair (i, j > i) stands for both orders
  for (let i = 0; i < n; i++) {
    const ei = ex[i]!;
    const pi = ei === 1 ? p1[i]! : ei === 0 ? p0[i]! : 0;
    const qi = sq(i);
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = other[k]!;
      const ej = ex[j]!;
      if (ei < 0 && ej < 0) continue;
      const qj = sq(j);
      // never seen together: Young's-inequality bounds
      if (p11[k] === 0) V1 += (ei === 1 ? qi : 0) + (ej === 1 ? qj : 0);
      if (p00[k] === 0) V0 += (ei === 0 ? qi : 0) + (ej === 0 ? qj : 0);
      if (p10[k] === 0) C -= ((ei === 1 ? qi : 0) + (ej === 0 ? qj : 0)) / 2;
      if (p01[k] === 0) C -= ((ej === 1 ? qj : 0) + (ei === 0 ? qi : 0)) / 2;
      if (ei < 0 || ej < 0) continue;
      const pj = ej === 1 ? p1[j]! : p0[j]!;
      if (!(pi > 0 && pj > 0)) continue;
      const w = ((ei === 1 ? v1[i]! : v0[i]!) / pi) * ((ej === 1 ? v1[j]! : v0[j]!) / pj);
      if (ei === 1 && ej === 1 && p11[k]! > 0) V1 += ((2 * (p11[k]! - pi * pj)) / p11[k]!) * w;
      else if (ei === 0 && ej === 0 && p00[k]! > 0) V0 += ((2 * (p00[k]! - pi * pj)) / p00[k]!) * w;
      else if (ei === 1 && ej === 0 && p10[k]! > 0) C += ((p10[k]! - pi * pj) / p10[k]!) * w;
      else if (ei === 0 && ej === 1 && p01[k]! > 0) C += ((p01[k]! - pi * pj) / p01[k]!) * w;
    }
  }
  return s1 * s1 * V1 + s0 * s0 * V0 - 2 * s1 * s0 * C;
}
