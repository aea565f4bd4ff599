// Exact exposure probabilities by listing every assignment, for designs
// with few units (tests, toy examples): any mapping, any scheme, all pairs.
import type { CSR } from '../../graph/csr.js';
import { doseOf, type Design } from '../../design/design.js';
import type { Joint } from './closed-form.js';
import type { ExposureMapping } from './mappings.js';
import { allPairs, type PairList } from './pairs.js';

export const ENUMERATION_MAX_UNITS = 14;

/** Every assignment of the design's units with its probability. */
export function* assignments(d: Design): Generator<[Uint8Array, number]> {
  const C = d.units.count;
  if (d.structure.kind !== 'fixed')
    throw new Error(`enumeration needs fixed units; design "${d.name}" has a ${d.structure.kind} structure`);
  const s = d.structure.scheme;
  for (let mask = 0; mask < 1 << C; mask++) {
    const z = new Uint8Array(C);
    let ones = 0;
    for (let u = 0; u < C; u++) ones += z[u] = (mask >> u) & 1;
    if (s.kind === 'bernoulli') yield [z, s.p ** ones * (1 - s.p) ** (C - ones)];
    else if (s.kind === 'complete') {
      if (ones === s.treated) yield [z, 1 / binomial(C, ones)];
    } else if (s.kind === 'blocked') {
      // each block's count has probability 1 - frac or frac (floor or floor + 1), its subsets equally likely
      const k = new Int32Array(s.size.length);
      for (let u = 0; u < C; u++) k[s.block[u]!]! += z[u]!;
      let pr = 1;
      for (let b = 0; b < s.size.length; b++) {
        const T = Math.floor(s.treated[b]!);
        const f = s.treated[b]! - T;
        pr *= (k[b] === T ? 1 - f : k[b] === T + 1 ? f : 0) / binomial(s.size[b]!, k[b]!);
      }
      if (pr > 0) yield [z, pr];
    } else {
      let ok = true;
      let coins = 0;
      for (let u = 0; u < C && ok; u++) {
        const v = s.partner[u]!;
        if (v < 0 || v > u) coins++;
        if (v >= 0 && z[u] === z[v]) ok = false;
      }
      if (ok) yield [z, 0.5 ** coins];
    }
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return r;
}

export function enumerate(
  g: CSR,
  design: Design,
  mapping: ExposureMapping,
): { p1: Float64Array; p0: Float64Array; pairs: PairList; joint: Joint } {
  const n = g.n;
  const pairs = allPairs(n);
  const m = pairs.other.length;
  const p1 = new Float64Array(n);
  const p0 = new Float64Array(n);
  const joint = { p11: new Float64Array(m), p00: new Float64Array(m), p10: new Float64Array(m), p01: new Float64Array(m) };
  const dose = new Float64Array(n);
  const ex = new Int8Array(n);
  for (const [z, pr] of assignments(design)) {
    mapping.classify(g, doseOf(design.units, z, dose), ex);
    for (let i = 0; i < n; i++) {
      const ei = ex[i]!;
      if (ei < 0) continue;
      (ei === 1 ? p1 : p0)[i]! += pr;
      for (let k = pairs.offsets[i]!; k < pairs.offsets[i + 1]!; k++) {
        const ej = ex[pairs.other[k]!]!;
        if (ej < 0) continue;
        const t = ei === 1 ? (ej === 1 ? joint.p11 : joint.p10) : ej === 1 ? joint.p01 : joint.p00;
        t[k]! += pr;
      }
    }
  }
  return { p1, p0, pairs, joint };
}
