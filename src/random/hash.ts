// Counter-based randomness for day-by-day product models. A uniform is a
// hash of (purpose key, unit, day): the treated world, the control world and
// every design read the same number for the same (user or thread, day, purpose)
// whatever else happened, which is what common random numbers need in a
// simulation whose event sequence differs between worlds: u = mix(unit ^
// dayKey(purpose, day)). No arrays are
// pre-drawn (28 days x memberships x purposes would be tens of MB); the
// purpose keys themselves come from named seeded streams in draw().
// bench/products.ts compares this with pre-drawn Alea arrays.
import type { Rng } from './streams.js';

const INV32 = 1 / 4294967296;

/** lowbias32 (C. Wellons): a 32-bit bijection with strong avalanche. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x;
}

/**
 * The key of one day (or any second index) of a purpose: hoisted out of the
 * per-unit loop, so a draw costs one mixing round.
 */
export function dayKey(key: number, b: number): number {
  return mix(mix(key ^ Math.imul(b + 0x632be5ab, 0x9e3779b1)) + 0x2545f491);
}

/** Uniform in [0, 1) for unit a (a non-negative integer < 2^32) under a day key. */
export function u01(dk: number, a: number): number {
  return (mix(a ^ dk) >>> 0) * INV32;
}

/** A 32-bit purpose key from a named stream. */
export function keyFrom(rng: Rng): number {
  return (rng() * 4294967296) >>> 0;
}

/**
 * Standard logistic variate scaled to unit variance: a cheap stand-in for a
 * normal in log-durations and noise, where the exact tail does not matter.
 */
export function logisticZ(u: number): number {
  const v = u < 1e-12 ? 1e-12 : u;
  return Math.log(v / (1 - v)) * 0.5513288954217921; // sqrt(3) / pi
}

/**
 * Poisson(mean) by inversion from one uniform; `expNeg` is exp(-mean), passed
 * in so callers drawing the same mean every day compute it once. Exact below
 * 30; above, a normal approximation rounded and floored at 0 (heavy users
 * send hundreds of messages and inversion would cost O(mean)).
 */
export function poisson(mean: number, u: number, expNeg = Math.exp(-mean)): number {
  if (mean <= 0) return 0;
  if (mean >= 30) {
    const x = Math.round(mean + Math.sqrt(mean) * logisticZ(u));
    return x > 0 ? x : 0;
  }
  let k = 0;
  let p = expNeg;
  let c = p;
  while (u >= c && k < 200) {
    k++;
    p *= mean / k;
    c += p;
  }
  return k;
}

/** x rounded down or up with probability given by its fraction: unbiased, never below floor(x). */
export function stochasticRound(x: number, u: number): number {
  const f = Math.floor(x);
  return u < x - f ? f + 1 : f;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));

/** Binomial(n, p) by inversion from one uniform; O(result), for the small n of a day's stories. */
export function binomial(n: number, p: number, u: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const r = p / (1 - p);
  let pmf = Math.pow(1 - p, n);
  let c = pmf;
  let k = 0;
  while (u >= c && k < n) {
    pmf *= ((n - k) / (k + 1)) * r;
    k++;
    c += pmf;
  }
  return k;
}
