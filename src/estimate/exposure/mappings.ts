// Exposure mappings (Aronow & Samii 2017; Ugander et al. 2013): which users
// count as being in the all-treated world (1), the all-control world (0), or
// neither (-1) under one assignment. "Treated" means dose 1: all of a user's
// units treated.
import type { CSR } from '../../graph/csr.js';

export type MappingSpec =
  /** i and every friend treated (resp. none) */
  | { kind: 'full' }
  /** i treated and at least a share q of friends treated; mirrored for control */
  | { kind: 'fractional'; q: number }
  /** all of i's own units (threads) treated, or none; friends ignored */
  | { kind: 'thread-full' };

export interface ExposureMapping {
  readonly spec: MappingSpec;
  /** stable key for caches and labels, e.g. "fractional:0.75" */
  readonly key: string;
  /** whose units decide i's exposure: i's closed neighbourhood, or i alone */
  readonly scope: 'neighbourhood' | 'own';
  classify(g: CSR, dose: Float64Array, out: Int8Array): Int8Array;
}

export function exposureMapping(spec: MappingSpec = { kind: 'full' }): ExposureMapping {
  switch (spec.kind) {
    case 'full':
      return { spec, key: 'full', scope: 'neighbourhood', classify: classifyFull };
    case 'thread-full':
      return { spec, key: 'thread-full', scope: 'own', classify: classifyOwn };
    case 'fractional': {
      const q = spec.q;
      if (!(q > 0 && q <= 1)) throw new RangeError(`exposure: fractional q must be in (0, 1], got ${q}`);
      return { spec, key: `fractional:${q}`, scope: 'neighbourhood', classify: (g, dose, out) => classifyFractional(g, dose, q, out) };
    }
  }
}

/**
 * Full-neighbourhood class of a user with 0/1 dose z whose friends' doses sum
 * to s over d friends: 1, 0 or -1 (see classifyFull), without branches, since
 * z is a coin and a branch on it is mispredicted half the time.
 */
export function fullClass(z: number, s: number, d: number): number {
  const t = z | 0;
  return 2 * (t & +(s === d)) + ((1 - t) & +(s === 0)) - 1;
}

function classifyFull(g: CSR, dose: Float64Array, out: Int8Array): Int8Array {
  const { n, offsets, nbrs } = g;
  for (let i = 0; i < n; i++) {
    const d = dose[i]!;
    let e = d === 1 ? 1 : d === 0 ? 0 : -1;
    for (let k = offsets[i]!; e >= 0 && k < offsets[i + 1]!; k++) if (dose[nbrs[k]!] !== d) e = -1;
    out[i] = e;
  }
  return out;
}

function classifyOwn(g: CSR, dose: Float64Array, out: Int8Array): Int8Array {
  for (let i = 0; i < g.n; i++) out[i] = dose[i] === 1 ? 1 : dose[i] === 0 ? 0 : -1;
  return out;
}

/** Smallest friend count that makes a share of at least q among d friends (float-safe). */
export function needed(q: number, d: number): number {
  return Math.max(0, Math.ceil(q * d - 1e-9));
}

function classifyFractional(g: CSR, dose: Float64Array, q: number, out: Int8Array): Int8Array {
  const { n, offsets, nbrs } = g;
  for (let i = 0; i < n; i++) {
    const d = dose[i]!;
    if (d !== 1 && d !== 0) {
      out[i] = -1;
      continue;
    }
    let same = 0;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) if (dose[nbrs[k]!] === d) same++;
    out[i] = same >= needed(q, offsets[i + 1]! - offsets[i]!) ? d : -1;
  }
  return out;
}
