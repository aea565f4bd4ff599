// `u < sigmoid(z)` without Math.exp almost every time. A user's daily
// activity draw compares a uniform with sigmoid(baseline + feedback), the
// feedback being continuous, so the probability cannot be tabulated per
// user; but sigmoid is increasing, so a table of its values on a grid of z
// brackets sigmoid(z) between two neighbours, and the comparison is decided
// there unless u falls between them (under 0.4% of draws), when sigmoid(z)
// is computed exactly as random/hash.ts computes it. The answer is always
// the one `u < sigmoid(z)` gives.
import { sigmoid } from '../../random/hash.js';

const Z_MIN = -20;
const STEPS = 64; // grid points per unit of z
const SIZE = -2 * Z_MIN * STEPS + 2;
/** sigmoid at z = Z_MIN + k / STEPS, computed by the same function */
const TABLE = Float64Array.from({ length: SIZE }, (_, k) => sigmoid(Z_MIN + k / STEPS));
/**
 * Room for rounding: the table and sigmoid(z) are within a few ulps of the
 * true function, and the grid index may be off by one near a grid point.
 */
const REL = 1e-12;
const ABS = 1e-13;

/** Exactly `u < sigmoid(z)`. */
export function belowSigmoid(u: number, z: number): boolean {
  if (z >= Z_MIN && z < -Z_MIN) {
    const k = Math.floor((z - Z_MIN) * STEPS);
    if (u < TABLE[k]! * (1 - REL) - ABS) return true;
    if (u >= TABLE[k + 1]! * (1 + REL) + ABS) return false;
  }
  return u < sigmoid(z);
}
