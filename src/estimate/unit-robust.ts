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

export function multiSharedPairs(units: Units): MultiShared;
/** null as soon as there are more than `max` such pairs */
export function multiSharedPairs(units: Units, max: number): MultiShared | null;
export function multiSharedPairs(units: Units, max = Infinity): MultiShared | null {
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
  // typed arrays grown by doubling: neighbourhood unit sets can give millions of pairs
  let a = new Uint32Array(1024);
  let b = new Uint32Array(1024);
  let extra = new Float64Array(1024);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1]! - offsets[i]! < 2) continue; // one unit: shares at most one with anyone
    touched.length = 0;
    for (let q = offsets[i]!; q < offsets[i + 1]!; q++) {
      const u = list[q]!;
      for (let k = start[u]!; k < start[u + 1]!; k++) {
        const j = members[k]!;
        if (j > i && shared[j]!++ === 0) touched.push(j);
      }
    }
    for (const j of touched) {
      if (shared[j]! >= 2) {
        if (m >= max) return null;
        if (m === a.length) {
          const grow = <T extends Uint32Array | Float64Array>(x: T): T => {
            const y = new (x.constructor as new (n: number) => T)(2 * x.length);
            y.set(x);
            return y;
          };
          ((a = grow(a)), (b = grow(b)), (extra = grow(extra)));
        }
        ((a[m] = i), (b[m] = j), (extra[m] = shared[j]! - 1), m++);
      }
      shared[j] = 0;
    }
  }
  // a is ascending (pairs are found in order of their first user)
  return { a: a.slice(0, m), b: b.slice(0, m), extra: extra.slice(0, m) };
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
    // With overlaps this can be negative: the pairs' corrections are not a
    // sum of squares (users in units {A,B}, {B,C}, {C,D} with psi 1, -2, 1
    // give -2). Callers treat that as undefined, never as 0.
    return (v * G) / (G - 1);
  };
}

/**
 * For a list of users, a function giving outs[v][i] = the sum of xs[v][j]
 * over the listed users j that share a unit with i (i itself included), for
 * every listed user i; users not listed count as 0. Then sum_i x_i out[i]
 * is the sandwich above without its factor. From unit totals, less the
 * extra copies of pairs sharing c >= 2 units: those are listed once per
 * plan when there are few (threads), else found among the listed users at
 * each listing (neighbourhood unit sets of a 20,000-user graph on 100
 * clusters share two or more units in 9 million pairs; the users in either
 * world of one replication, in far fewer). Valid until the next listing.
 */
export type DependentSums = (users: ArrayLike<number>) => (xs: readonly Float64Array[], outs: readonly Float64Array[]) => void;

/** Above this many pairs sharing two or more units, dependentSums finds them per listing instead of once. */
export const MAX_LISTED_PAIRS = 1_000_000;

export function dependentSums(units: Units, maxPairs = MAX_LISTED_PAIRS): DependentSums {
  const { offsets, list, count: G } = units;
  const n = offsets.length - 1;
  // Few pairs share two or more units (threads): list them once, and per
  // call keep those between listed users. Many (neighbourhood unit sets):
  // find them among the listed users at each listing.
  const multi = multiSharedPairs(units, maxPairs);
  if (multi) return withPairs(units, multi);
  const totals: Float64Array[] = [];
  // the listed users in two or more units, by unit (start and count per
  // unit), and each such membership's place in its unit
  const count = new Uint32Array(G);
  const start = new Uint32Array(G);
  const used: number[] = [];
  let members = new Uint32Array(1024);
  let place = new Uint32Array(1024);
  const shared = new Uint32Array(n);
  const touched: number[] = [];
  // pairs sharing c >= 2 units, with c - 1
  let pa = new Uint32Array(1024);
  let pb = new Uint32Array(1024);
  let pc = new Float64Array(1024);
  return (users) => {
    used.length = 0;
    let m = 0;
    for (let k = 0; k < users.length; k++) {
      const i = users[k]!;
      const a = offsets[i]!;
      const b = offsets[i + 1]!;
      if (b - a < 2) continue;
      for (let q = a; q < b; q++) if (count[list[q]!]!++ === 0) used.push(list[q]!);
      m += b - a;
    }
    if (members.length < m) ((members = new Uint32Array(2 * m)), (place = new Uint32Array(2 * m)));
    let at = 0;
    for (const u of used) ((start[u] = at), (at += count[u]!), (count[u] = 0)); // count now fills
    let e = 0;
    for (let k = 0; k < users.length; k++) {
      const i = users[k]!;
      if (offsets[i + 1]! - offsets[i]! < 2) continue;
      for (let q = offsets[i]!; q < offsets[i + 1]!; q++) {
        const u = list[q]!;
        const pos = start[u]! + count[u]!++;
        members[pos] = i;
        place[e++] = pos;
      }
    }
    // each pair from the member listed first, through the later members of each unit it is in
    let pairs = 0;
    e = 0;
    for (let k = 0; k < users.length; k++) {
      const i = users[k]!;
      if (offsets[i + 1]! - offsets[i]! < 2) continue;
      touched.length = 0;
      for (let q = offsets[i]!; q < offsets[i + 1]!; q++) {
        const u = list[q]!;
        const end = start[u]! + count[u]!;
        for (let r = place[e++]! + 1; r < end; r++) {
          const j = members[r]!;
          if (shared[j]!++ === 0) touched.push(j);
        }
      }
      for (const j of touched) {
        if (shared[j]! >= 2) {
          if (pairs === pa.length) ((pa = grow(pa)), (pb = grow(pb)), (pc = grow(pc)));
          ((pa[pairs] = i), (pb[pairs] = j), (pc[pairs++] = shared[j]! - 1));
        }
        shared[j] = 0;
      }
    }
    for (const u of used) count[u] = 0;
    return summer(units, totals, users, pa, pb, pc, pairs);
  };
}

/** dependentSums from pairs listed once per plan. */
function withPairs(units: Units, multi: MultiShared): DependentSums {
  const n = units.offsets.length - 1;
  const totals: Float64Array[] = [];
  const pairStart = new Uint32Array(n + 1);
  for (let p = 0; p < multi.a.length; p++) pairStart[multi.a[p]! + 1]!++;
  for (let i = 0; i < n; i++) pairStart[i + 1]! += pairStart[i]!;
  const listedIn = new Int32Array(n).fill(-1);
  let listing = 0;
  let pa = new Uint32Array(1024);
  let pb = new Uint32Array(1024);
  let pc = new Float64Array(1024);
  return (users) => {
    listing = (listing + 1) | 0;
    for (let k = 0; k < users.length; k++) listedIn[users[k]!] = listing;
    let pairs = 0;
    for (let k = 0; k < users.length; k++) {
      const i = users[k]!;
      for (let p = pairStart[i]!; p < pairStart[i + 1]!; p++) {
        if (listedIn[multi.b[p]!] !== listing) continue;
        if (pairs === pa.length) ((pa = grow(pa)), (pb = grow(pb)), (pc = grow(pc)));
        ((pa[pairs] = i), (pb[pairs] = multi.b[p]!), (pc[pairs++] = multi.extra[p]!));
      }
    }
    return summer(units, totals, users, pa, pb, pc, pairs);
  };
}

function grow<T extends Uint32Array | Float64Array>(x: T): T {
  const y = new (x.constructor as new (k: number) => T)(2 * x.length);
  y.set(x);
  return y;
}

/** The sums for listed users from unit totals, less the extra copies of the pairs given (i, j, c - 1). */
function summer(
  units: Units,
  totals: Float64Array[],
  users: ArrayLike<number>,
  pa: Uint32Array,
  pb: Uint32Array,
  pc: Float64Array,
  pairs: number,
) {
  const { offsets, list, count: G } = units;
  return (xs: readonly Float64Array[], outs: readonly Float64Array[]) => {
    const V = xs.length;
    while (totals.length < V) totals.push(new Float64Array(G));
    for (let k = 0; k < users.length; k++) {
      const i = users[k]!;
      for (let q = offsets[i]!; q < offsets[i + 1]!; q++) for (let v = 0; v < V; v++) totals[v]![list[q]!]! += xs[v]![i]!;
    }
    for (let k = 0; k < users.length; k++) {
      const i = users[k]!;
      const a = offsets[i]!;
      const b = offsets[i + 1]!;
      // i is in each of its k_i units' totals: count it once
      const self = b > a ? 1 - (b - a) : 1;
      for (let v = 0; v < V; v++) {
        const t = totals[v]!;
        let s = self * xs[v]![i]!;
        for (let q = a; q < b; q++) s += t[list[q]!]!;
        outs[v]![i] = s;
      }
    }
    for (let p = 0; p < pairs; p++) {
      const i = pa[p]!;
      const j = pb[p]!;
      const c = pc[p]!;
      for (let v = 0; v < V; v++) {
        outs[v]![i]! -= c * xs[v]![j]!;
        outs[v]![j]! -= c * xs[v]![i]!;
      }
    }
    for (let k = 0; k < users.length; k++) {
      const i = users[k]!;
      for (let q = offsets[i]!; q < offsets[i + 1]!; q++) for (let v = 0; v < V; v++) totals[v]![list[q]!] = 0;
    }
  };
}
