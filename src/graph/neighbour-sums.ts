// Sum of each node's neighbours' values, the gather at the heart of peer
// effects. 0/1 values (partition designs) are first copied to bytes: the
// random reads then touch 1 byte instead of 8 per node, which keeps a
// 1M-user vector in cache (3x faster there) and gives the same sums, since
// sums of 0s and 1s are exact either way.
import type { CSR } from './csr.js';

/** Copy `x` into `bytes` if every value is 0 or 1; false (and stop) otherwise. */
function toBytes(x: Float64Array, bytes: Uint8Array): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== 0 && v !== 1) return false;
    bytes[i] = v;
  }
  return true;
}

function sumBytes(g: CSR, bytes: Uint8Array, out: Float64Array): void {
  const { n, offsets, nbrs } = g;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = offsets[i]!, b = offsets[i + 1]!; k < b; k++) s += bytes[nbrs[k]!]!;
    out[i] = s;
  }
}

function sumFloats(g: CSR, x: Float64Array, out: Float64Array): void {
  const { n, offsets, nbrs } = g;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = offsets[i]!, b = offsets[i + 1]!; k < b; k++) s += x[nbrs[k]!]!;
    out[i] = s;
  }
}

/** A reusable summer for one graph: sums(x, out) writes out[i] = sum of x over i's neighbours (in CSR order). */
export function neighbourSummer(g: CSR): (x: Float64Array, out: Float64Array) => Float64Array {
  const bytes = new Uint8Array(g.n);
  return (x, out) => {
    if (toBytes(x, bytes)) sumBytes(g, bytes, out);
    else sumFloats(g, x, out);
    return out;
  };
}
