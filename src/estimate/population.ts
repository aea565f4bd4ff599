// Estimators on a design's analysis population (ego-cluster randomization:
// the egos): the users the inquiry is about, listed once per plan, and
// per-replication copies of their values, so an estimator runs its usual
// code on those users alone.
import { populationOf, type Design } from '../design/index.js';

export interface Population {
  /** the users in the population, in increasing order */
  readonly users: Uint32Array;
  /** out[k] = src[users[k]] */
  gather<T extends Float64Array | Uint8Array>(src: ArrayLike<number>, out: T): T;
}

/** The design's analysis population, or null when its inquiry is about every user. */
export function populationFor(design: Design): Population | null {
  const mask = populationOf(design);
  if (!mask) return null;
  let m = 0;
  for (let i = 0; i < mask.length; i++) m += mask[i] ? 1 : 0;
  const users = new Uint32Array(m);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) users[k++] = i;
  return {
    users,
    gather(src, out) {
      for (let k = 0; k < users.length; k++) out[k] = src[users[k]!]!;
      return out;
    },
  };
}
