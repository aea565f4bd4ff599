// Named, seeded random streams. Every draw in spillover comes from a stream
// identified by (scenario seed, replication, purpose), so replication r gives
// the same numbers whichever process, worker or shard runs it.
import seedrandom from 'seedrandom';
import { randomNormal, randomInt, randomGeometric, randomPareto } from 'd3-random';
import { fastNormal, fastSourceOf } from './fast.js';

/** A uniform [0, 1) source. */
export type Rng = () => number;

/**
 * A stream named by a seed and a path of labels.
 * Alea, not seedrandom's default ARC4: about twice as fast for the same
 * statistical quality at our scale (see ../shared notes / bench).
 */
export function stream(seed: number | string, ...path: (string | number)[]): Rng {
  const key = [String(seed), ...path.map(String)].join('/');
  const prng = seedrandom.alea(key);
  return () => prng();
}

/** Normal draws from a stream (a fast stream, see fast.ts, uses its ziggurat). */
export function normal(rng: Rng, mu = 0, sigma = 1): () => number {
  const fast = fastSourceOf(rng);
  if (fast) return fastNormal(fast, mu, sigma);
  return randomNormal.source(rng)(mu, sigma);
}

/** Fill `out` with normal draws from a stream, in bulk when it is a fast stream (same numbers as normal()). */
export function normals(rng: Rng, out: Float64Array, mu = 0, sigma = 1): Float64Array {
  const fast = fastSourceOf(rng);
  if (fast) fast.fillNormal(out, mu, sigma);
  else {
    const z = normal(rng, mu, sigma);
    for (let i = 0; i < out.length; i++) out[i] = z();
  }
  return out;
}

/** Integer in [min, max). */
export function integer(rng: Rng, min: number, max: number): () => number {
  return randomInt.source(rng)(min, max);
}

/** Number of failures before the first success, success probability p (p in (0, 1]). */
export function geometricSkip(rng: Rng, p: number): () => number {
  // d3's geometric counts trials (>= 1); a skip is trials - 1.
  const g = randomGeometric.source(rng)(p);
  return () => g() - 1;
}

/** Pareto with shape alpha and minimum 1. */
export function pareto(rng: Rng, alpha: number): () => number {
  return randomPareto.source(rng)(alpha);
}

/** 0..n-1 in a uniformly random order (Fisher–Yates). */
export function randomOrder(rng: Rng, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
