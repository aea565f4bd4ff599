// Variance of a sum of per-user contributions psi that may be dependent
// whenever two users share a randomization unit (a cluster, or a thread
// under thread-level designs), and independent otherwise:
//   V = G/(G-1) * sum over pairs (i, j) sharing at least one unit (i = j
//   included) of psi_i * psi_j.
// For a partition this is the cluster-robust (Liang–Zeger) variance; with
// overlaps it counts each dependent pair once, as the dyadic/network-robust
// sandwich does.
//
// Computed from unit totals: sum_u (sum_{i in u} psi_i)^2 counts a pair once
// per unit it shares, so the users in k_i units and the pairs sharing c >= 2
// units, listed once per plan, take back their extra (k_i - 1) and (c - 1)
// copies. Per call that is one pass over memberships instead of one over
// every pair of co-members (8 million at 100,000 users with 6 threads each).
import type { Units } from '../design/index.js';

/** Pairs i < j sharing two or more units, with c - 1 (their extra copies in the unit totals). */
export interface MultiShared {
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  readonly extra: Float64Array;
}

export function multiSharedPairs(units: Units): MultiShared {
  const { offsets, list, count: G } = units;
  const n = offsets.length - 1;
  if (units.partition) return { a: new Uint32Array(0), b: new Uint32Array(0), extra: new Float64Array(0) };
  // invert user -> units into unit -> members
  const start = new Uint32Array(G + 1);
  for (let q = 0; q < list.length; q++) start[list[q]! + 1]!++;
  for (let u = 0; u < G; u++) start[u + 1]! += start[u]!;
  const members = new Uint32Array(list.length);
  const fill = start.slice(0, G);
  for (let i = 0; i < n; i++) for (let q = offsets[i]!; q < offsets[i + 1]!; q++) members[fill[list[q]!]!++] = i;
  const shared = new Uint32Array(n);
  const touched: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const extra: number[] = [];
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1]! - offsets[i]! < 2) continue; // one unit: shares at most one with anyone
    touched.length = 0;
    for (let q = offsets[i]!; q < offsets[i + 1]!; q++) {
      const u = list[q]!;
      for (let m = start[u]!; m < start[u + 1]!; m++) {
        const j = members[m]!;
        if (j > i && shared[j]!++ === 0) touched.push(j);
      }
    }
    for (const j of touched) {
      if (shared[j]! >= 2) a.push(i), b.push(j), extra.push(shared[j]! - 1);
      shared[j] = 0;
    }
  }
  return { a: Uint32Array.from(a), b: Uint32Array.from(b), extra: Float64Array.from(extra) };
}

/** V(psi) as above for these units; null with fewer than 3 units (no degrees of freedom left). */
export function unitRobustVariance(units: Units): ((psi: Float64Array) => number) | null {
  const { offsets, list, count: G } = units;
  if (G < 3) return null;
  const n = offsets.length - 1;
  const multi = multiSharedPairs(units);
  const totals = new Float64Array(G);
  return (psi) => {
    totals.fill(0);
    let v = 0;
    for (let i = 0; i < n; i++) {
      const pi = psi[i]!;
      const a = offsets[i]!;
      const b = offsets[i + 1]!;
      for (let q = a; q < b; q++) totals[list[q]!]! += pi;
      // a user in several units appears in each of their totals; in none, in none
      v += (b > a ? 1 - (b - a) : 1) * pi * pi;
    }
    for (let u = 0; u < G; u++) v += totals[u]! * totals[u]!;
    for (let p = 0; p < multi.a.length; p++) v -= 2 * multi.extra[p]! * psi[multi.a[p]!]! * psi[multi.b[p]!]!;
    return (v * G) / (G - 1);
  };
}
