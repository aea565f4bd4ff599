// Fast streams for the per-replication hot path (noise and assignment for
// every user, every replication). Same naming as stream(): the state is
// seeded from the key (seed/path...), so replication r still draws the same
// numbers in any process. seedrandom (Alea, keyed by the stream's name)
// supplies the seed; the generator that expands it is sfc32 (Doninger's small fast
// counting generator; passes PractRand), run in bulk into a buffer with its
// state in locals: Alea's float recurrence and a closure call per number
// cost several times more. Normals come from the ziggurat (Marsaglia & Tsang
// 2000), one 32-bit draw for 99% of them, instead of log + sqrt per pair.

import seedrandom from 'seedrandom';

const BUF = 2048;
const TWO32 = 2.3283064365386963e-10; // 2^-32

export class FastSource {
  private readonly st = new Int32Array(4);
  private readonly buf = new Int32Array(BUF);
  private k = BUF;

  constructor(key: string) {
    // seedrandom is the source: its Alea stream for this key seeds sfc32's state
    const alea = seedrandom.alea(key);
    for (let j = 0; j < 3; j++) this.st[j] = alea.int32();
    this.st[3] = 1;
    for (let j = 0; j < 12; j++) this.refill(); // leave the seeding transient behind
  }

  private refill(): void {
    const s = this.st;
    const out = this.buf;
    let a = s[0]!,
      b = s[1]!,
      c = s[2]!,
      d = s[3]!;
    for (let i = 0; i < BUF; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      out[i] = t;
    }
    ((s[0] = a), (s[1] = b), (s[2] = c), (s[3] = d));
    this.k = 0;
  }

  /** out[u] = 1 when the next draw, as unsigned, is below `threshold` (< 2^32): refill's loop, fused. */
  fillBelow(threshold: number, out: Uint8Array): void {
    let u = 0;
    // use up what is buffered, then generate straight into the comparison
    // `+(a < b)`, not `a < b ? 1 : 0`: V8 then stores the flag without a
    // branch, and a fair coin's branch is mispredicted half the time (3x slower)
    while (u < out.length && this.k < BUF) out[u++] = +(this.buf[this.k++]! >>> 0 < threshold);
    if (u === out.length) return;
    const s = this.st;
    let a = s[0]!,
      b = s[1]!,
      c = s[2]!,
      d = s[3]!;
    const end = out.length;
    // whole buffers' worth, so the stream stays aligned with refill()'s blocks
    const blocks = Math.floor((end - u) / BUF);
    for (let q = 0; q < blocks * BUF; q++, u++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      out[u] = +(t >>> 0 < threshold);
    }
    ((s[0] = a), (s[1] = b), (s[2] = c), (s[3] = d));
    while (u < end) out[u++] = +(this.int32() >>> 0 < threshold);
  }

  /**
   * out[i] = mu + sigma * Z_i: the same numbers as calling fastNormal(this,
   * mu, sigma) out.length times, without a closure call and buffer check per
   * draw.
   */
  fillNormal(out: Float64Array, mu: number, sigma: number): void {
    const buf = this.buf;
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (this.k === BUF) this.refill();
      let k = this.k;
      // four at a time while all four take the fast path (98% of the time
      // for one, 94% for four): fewer element stores per step, which V8 pays
      // for by reloading the arrays' fields after each
      const end = Math.min(BUF, k + (n - i)) - 3;
      while (k < end) {
        const h0 = buf[k]!,
          h1 = buf[k + 1]!,
          h2 = buf[k + 2]!,
          h3 = buf[k + 3]!;
        const i0 = h0 & 127,
          i1 = h1 & 127,
          i2 = h2 & 127,
          i3 = h3 & 127;
        if (!(Math.abs(h0) < kn[i0]! && Math.abs(h1) < kn[i1]! && Math.abs(h2) < kn[i2]! && Math.abs(h3) < kn[i3]!)) break;
        const x0 = mu + sigma * (h0 * wn[i0]!),
          x1 = mu + sigma * (h1 * wn[i1]!);
        const x2 = mu + sigma * (h2 * wn[i2]!),
          x3 = mu + sigma * (h3 * wn[i3]!);
        ((out[i] = x0), (out[i + 1] = x1), (out[i + 2] = x2), (out[i + 3] = x3));
        ((k += 4), (i += 4));
      }
      this.k = k;
      // then one at a time up to the next slow path (or the buffer's end), taking it in turn
      for (let m = 0; m < 4 && i < n; m++) {
        const hz = this.int32();
        const iz = hz & 127;
        out[i++] = mu + sigma * (Math.abs(hz) < kn[iz]! ? hz * wn[iz]! : nfix(this, hz, iz));
      }
    }
  }

  /** A uniformly distributed signed 32-bit integer. */
  int32(): number {
    if (this.k === BUF) this.refill();
    return this.buf[this.k++]!;
  }

  /** Uniform on [0, 1) with 32-bit resolution. */
  uniform(): number {
    return (this.int32() >>> 0) * TWO32;
  }
}

const SOURCE = Symbol('fast source');

/** A fast stream, usable wherever an Rng is. */
export function fastStream(seed: number | string, ...path: (string | number)[]): () => number {
  const src = new FastSource([String(seed), ...path.map(String)].join('/'));
  const rng = () => src.uniform();
  (rng as unknown as Record<symbol, FastSource>)[SOURCE] = src;
  return rng;
}

export function fastSourceOf(rng: () => number): FastSource | undefined {
  return (rng as unknown as Record<symbol, FastSource | undefined>)[SOURCE];
}

// ziggurat tables, 128 layers (Marsaglia & Tsang 2000, RNOR)
const kn = new Int32Array(128);
const wn = new Float64Array(128);
const fn = new Float64Array(128);
{
  const m1 = 2147483648;
  let dn = 3.442619855899;
  let tn = dn;
  const vn = 9.91256303526217e-3;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * m1);
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
}
const R = 3.442619855899;

/** The rare slow path: the base strip's tail or a wedge. */
function nfix(src: FastSource, hz: number, iz: number): number {
  for (;;) {
    const x = hz * wn[iz]!;
    if (iz === 0) {
      let tx: number, ty: number;
      do {
        tx = -Math.log(1 - src.uniform()) / R;
        ty = -Math.log(1 - src.uniform());
      } while (ty + ty < tx * tx);
      return hz > 0 ? R + tx : -R - tx;
    }
    if (fn[iz]! + src.uniform() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * x * x)) return x;
    hz = src.int32();
    iz = hz & 127;
    if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
  }
}

/** Standard normal draws (ziggurat) from a fast source. */
export function fastNormal(src: FastSource, mu = 0, sigma = 1): () => number {
  return () => {
    const hz = src.int32();
    const iz = hz & 127;
    const z = Math.abs(hz) < kn[iz]! ? hz * wn[iz]! : nfix(src, hz, iz);
    return mu + sigma * z;
  };
}

/**
 * out[u] = 1 with probability p, else 0: the same coins as
 * `rng() < p ? 1 : 0` in turn, drawn in bulk when `rng` is a fast stream.
 */
export function bernoulliFill(rng: () => number, p: number, out: Uint8Array): void {
  const src = fastSourceOf(rng);
  const count = out.length;
  if (!src) {
    for (let u = 0; u < count; u++) out[u] = rng() < p ? 1 : 0;
    return;
  }
  // (x >>> 0) * 2^-32 < p exactly when (x >>> 0) < p * 2^32
  src.fillBelow(p * 4294967296, out);
}
