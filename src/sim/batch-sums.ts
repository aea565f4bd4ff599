// Friends' dose sums for up to 32 replications at once, for 0/1 doses.
// Replication b's dose of user j is bit b of words[j]; each user's
// neighbours are added bit-parallel into binary counters (bit plane p holds
// bit p of every replication's sum), so one pass over the edges serves the
// whole batch instead of one pass per replication (4x less time per
// replication at 200k users). The sums are exact integers, the same as a
// per-replication gather gives.
import type { CSR } from '../graph/csr.js';

export interface BatchSums {
  /** bit planes per user: planes[i * stride + p] */
  readonly planes: Int32Array;
  readonly stride: number;
}

/** Planes per user: at least 8 (unrolled below), more for degrees of 256 and up. */
export function planeStride(g: CSR): number {
  let max = 0;
  for (let i = 0; i < g.n; i++) max = Math.max(max, g.offsets[i + 1]! - g.offsets[i]!);
  return Math.max(8, 32 - Math.clz32(max));
}

/** Count, for every user and replication bit, the friends whose bit is set. */
export function countBatch(g: CSR, words: Int32Array, planes: Int32Array, stride: number): BatchSums {
  const { n, offsets, nbrs } = g;
  const wide = new Int32Array(stride);
  for (let i = 0; i < n; i++) {
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    const o = i * stride;
    if (b - a > 255) {
      // rare high degree: a ripple-carry counter of any width
      wide.fill(0);
      for (let k = a; k < b; k++) {
        for (let x = words[nbrs[k]!]!, p = 0; x !== 0; p++) {
          const carry = wide[p]! & x;
          wide[p]! ^= x;
          x = carry;
        }
      }
      planes.set(wide, o);
      continue;
    }
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
    for (let k = a; k < b; k++) {
      let x = words[nbrs[k]!]!;
      let t = c0 & x;
      c0 ^= x;
      x = t;
      if (x === 0) continue;
      t = c1 & x;
      c1 ^= x;
      x = t;
      if (x === 0) continue;
      t = c2 & x;
      c2 ^= x;
      x = t;
      if (x === 0) continue;
      (t = c3 & x), (c3 ^= x), (x = t);
      (t = c4 & x), (c4 ^= x), (x = t);
      (t = c5 & x), (c5 ^= x), (x = t);
      (t = c6 & x), (c6 ^= x), (x = t);
      c7 ^= x;
    }
    (planes[o] = c0), (planes[o + 1] = c1), (planes[o + 2] = c2), (planes[o + 3] = c3);
    (planes[o + 4] = c4), (planes[o + 5] = c5), (planes[o + 6] = c6), (planes[o + 7] = c7);
    for (let p = 8; p < stride; p++) planes[o + p] = 0;
  }
  return { planes, stride };
}

/**
 * Replication `bit`'s sums, as numbers; with `exposure`, also its
 * full-neighbourhood classes in the same pass (see fullExposureFromSums).
 */
export function extractSums(s: BatchSums, bit: number, out: Float64Array, exposure?: { offsets: Uint32Array; dose: Float64Array; out: Int8Array }): Float64Array {
  const { planes, stride } = s;
  const ex = exposure?.out;
  const offsets = exposure?.offsets;
  const dose = exposure?.dose;
  for (let i = 0, o = 0; i < out.length; i++, o += stride) {
    let v =
      ((planes[o]! >>> bit) & 1) |
      (((planes[o + 1]! >>> bit) & 1) << 1) |
      (((planes[o + 2]! >>> bit) & 1) << 2) |
      (((planes[o + 3]! >>> bit) & 1) << 3) |
      (((planes[o + 4]! >>> bit) & 1) << 4) |
      (((planes[o + 5]! >>> bit) & 1) << 5) |
      (((planes[o + 6]! >>> bit) & 1) << 6) |
      (((planes[o + 7]! >>> bit) & 1) << 7);
    for (let p = 8; p < stride; p++) v |= ((planes[o + p]! >>> bit) & 1) << p;
    out[i] = v;
    if (ex) ex[i] = dose![i] === 1 ? (v === offsets![i + 1]! - offsets![i]! ? 1 : -1) : v === 0 ? 0 : -1;
  }
  return out;
}
