// The units that decide each user's exposure, and the probability that given
// units are all treated and others all control under each scheme. These are
// the closed forms behind exact exposure probabilities.
import type { CSR } from '../../graph/csr.js';
import type { Scheme, Units } from '../../design/index.js';

/** Per user, the sorted distinct units of i alone ('own') or of i and its friends. */
export interface UnitSets {
  readonly offsets: Uint32Array;
  readonly list: Uint32Array;
}

export function unitSets(g: CSR, units: Units, scope: 'neighbourhood' | 'own'): UnitSets {
  const { offsets: uo, list: ul } = units;
  const stamp = new Int32Array(units.count).fill(-1);
  const offsets = new Uint32Array(g.n + 1);
  let buf = new Uint32Array(Math.max(16, ul.length * 2));
  let w = 0;
  const add = (i: number, j: number) => {
    for (let q = uo[j]!; q < uo[j + 1]!; q++) {
      const u = ul[q]!;
      if (stamp[u] === i) continue;
      stamp[u] = i;
      if (w === buf.length) {
        const b = new Uint32Array(buf.length * 2);
        b.set(buf);
        buf = b;
      }
      buf[w++] = u;
    }
  };
  for (let i = 0; i < g.n; i++) {
    add(i, i);
    if (scope === 'neighbourhood') for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) add(i, g.nbrs[e]!);
    buf.subarray(offsets[i]!, w).sort();
    offsets[i + 1] = w;
  }
  return { offsets, list: buf.slice(0, w) };
}

/** P(units `ones` all treated and units `zeros` all control); a unit in both gives 0. */
export function allOrNone(scheme: Scheme, unitCount: number, ones: ArrayLike<number>, zeros: ArrayLike<number>): number {
  const a = ones.length;
  const b = zeros.length;
  if (scheme.kind === 'bernoulli') {
    if (overlaps(ones, zeros)) return 0;
    return scheme.p ** a * (1 - scheme.p) ** b;
  }
  if (scheme.kind === 'complete') {
    if (overlaps(ones, zeros)) return 0;
    const T = scheme.treated;
    const N = unitCount;
    let pr = 1;
    for (let j = 0; j < a; j++) pr *= Math.max(0, (T - j) / (N - j));
    for (let j = 0; j < b; j++) pr *= Math.max(0, (N - T - j) / (N - a - j));
    return pr;
  }
  if (scheme.kind === 'blocked') {
    if (overlaps(ones, zeros)) return 0;
    return blockedAllOrNone(scheme, ones, zeros);
  }
  // paired: every pair is one fair coin; a requirement on a unit is a
  // requirement on its pair's coin, and two requirements must agree
  const { partner } = scheme;
  const want = new Map<number, number>();
  const need = (u: number, v: number): boolean => {
    const p = partner[u]!;
    const block = p < 0 || u < p ? u : p;
    const coin = p < 0 || u < p ? v : 1 - v;
    const had = want.get(block);
    if (had === undefined) want.set(block, coin);
    return had === undefined || had === coin;
  };
  for (let k = 0; k < a; k++) if (!need(ones[k]!, 1)) return 0;
  for (let k = 0; k < b; k++) if (!need(zeros[k]!, 0)) return 0;
  return 0.5 ** want.size;
}

// per-block counts of required treated / control units, reused across calls
let need1 = new Int32Array(0);
let need0 = new Int32Array(0);
const touched: number[] = [];

/**
 * Blocked: blocks are independent, so the probability is a product over the
 * blocks the sets touch. In block b (m units, T treated), a given units all
 * treated and b others all control has the hypergeometric probability
 * (T)_a (m − T)_b / (m)_(a+b) (falling factorials); with a fractional
 * expected count t (T = floor(t) or floor(t) + 1 with probability frac(t))
 * it is the mixture of the two.
 */
function blockedAllOrNone(scheme: Extract<Scheme, { kind: 'blocked' }>, ones: ArrayLike<number>, zeros: ArrayLike<number>): number {
  const { block, size, treated } = scheme;
  if (need1.length < size.length) ((need1 = new Int32Array(size.length)), (need0 = new Int32Array(size.length)));
  touched.length = 0;
  for (let k = 0; k < ones.length; k++) {
    const b = block[ones[k]!]!;
    if (need1[b] === 0 && need0[b] === 0) touched.push(b);
    need1[b]!++;
  }
  for (let k = 0; k < zeros.length; k++) {
    const b = block[zeros[k]!]!;
    if (need1[b] === 0 && need0[b] === 0) touched.push(b);
    need0[b]!++;
  }
  let pr = 1;
  for (const b of touched) {
    const m = size[b]!;
    const t = treated[b]!;
    const T = Math.floor(t);
    const f = t - T;
    const a = need1[b]!;
    const z = need0[b]!;
    pr *= (1 - f) * hypergeometric(m, T, a, z) + (f > 0 ? f * hypergeometric(m, T + 1, a, z) : 0);
    need1[b] = 0;
    need0[b] = 0;
  }
  return pr;
}

/** P(a given units all treated and b others all control) when exactly T of m units are treated. */
function hypergeometric(m: number, T: number, a: number, b: number): number {
  let pr = 1;
  for (let j = 0; j < a; j++) pr *= Math.max(0, (T - j) / (m - j));
  for (let j = 0; j < b; j++) pr *= Math.max(0, (m - T - j) / (m - a - j));
  return pr;
}

/** allOrNone for disjoint sets given only their sizes (independent or complete schemes). */
export function allOrNoneCounts(scheme: Scheme, unitCount: number, a: number, b: number): number {
  if (scheme.kind === 'bernoulli') return scheme.p ** a * (1 - scheme.p) ** b;
  if (scheme.kind !== 'complete') throw new Error(`allOrNoneCounts: ${scheme.kind} schemes need the sets themselves`);
  const T = scheme.treated;
  let pr = 1;
  for (let j = 0; j < a; j++) pr *= Math.max(0, (T - j) / (unitCount - j));
  for (let j = 0; j < b; j++) pr *= Math.max(0, (unitCount - T - j) / (unitCount - a - j));
  return pr;
}

/** Both sorted. */
function overlaps(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) return true;
    if (x[i]! < y[j]!) i++;
    else j++;
  }
  return false;
}

/** Sorted union of two sorted lists, into `out` (returns the filled view). */
export function union(x: ArrayLike<number>, y: ArrayLike<number>, out: Uint32Array): Uint32Array {
  let i = 0;
  let j = 0;
  let w = 0;
  while (i < x.length || j < y.length) {
    if (j >= y.length || (i < x.length && x[i]! < y[j]!)) out[w++] = x[i++]!;
    else if (i >= x.length || y[j]! < x[i]!) out[w++] = y[j++]!;
    else ((out[w++] = x[i++]!), j++);
  }
  return out.subarray(0, w);
}
