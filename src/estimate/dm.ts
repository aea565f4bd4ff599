// Difference in means, generalised two ways: to fractional doses as the
// slope of outcome on dose (for a 0/1 dose it is exactly the difference in
// means), and to ratio metrics as weighted least squares of num/den on dose
// with weights den (for a 0/1 dose: sum num / sum den in each arm).
// Standard error: HC2 sandwich, which for a 0/1 dose and a mean metric equals
// the Neyman sqrt(s1^2/n1 + s0^2/n0). It treats users as independent, which
// is exactly what interference breaks.
// When units overlap (thread-level designs), user i's dose is a mean of k_i
// unit coins, with variance p(1-p)/k_i; unweighted OLS would then weight
// users by 1/k_i and under-count those in many threads (often the heaviest
// users). Weighting by k_i (inverse dose variance) makes the slope the plain
// average effect when outcomes add up over a user's units. Partition designs
// have k_i = 1, so nothing changes for them.
import type { Design } from '../design/index.js';
import { undefinedEstimate, type Estimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';
import { populationFor } from './population.js';

/** Units per user for overlapping designs; null for partitions (all 1). */
export function unitCounts(design: Design | undefined): Float64Array | null {
  if (!design || design.units.partition) return null;
  const o = design.units.offsets;
  const c = new Float64Array(o.length - 1);
  for (let i = 0; i < c.length; i++) c[i] = Math.max(1, o[i + 1]! - o[i]!);
  return c;
}

/**
 * The common case (partition design, mean metric: every weight 1) for a
 * 0/1 dose: the slope is ȳ1 − ȳ0 and HC2 is exactly Neyman's s1²/n1 + s0²/n0,
 * so two branch-free passes replace the general path's three (the arm of
 * each user is random, so a branch on it is mispredicted half the time).
 * Null when some dose is fractional. User-level designs pass the unit
 * treatments themselves (bytes): an eighth of the memory traffic of doses.
 */
function binary(z: Float64Array | Uint8Array, y: Float64Array) {
  const n = z.length;
  // two users per step into separate sums: each sum is a chain of dependent
  // additions, so two chains run about twice as fast as one
  let n1 = 0,
    s1 = 0,
    s0 = 0,
    odd = 0;
  let n1b = 0,
    s1b = 0,
    s0b = 0,
    oddb = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const za = z[i]!,
      ya = y[i]!,
      zb = z[i + 1]!,
      yb = y[i + 1]!;
    odd += za * (1 - za); // 0 exactly when every z is 0 or 1
    oddb += zb * (1 - zb);
    n1 += za;
    n1b += zb;
    s1 += za * ya;
    s1b += zb * yb;
    s0 += (1 - za) * ya; // not sum - s1: that loses digits when outcomes are far from 0
    s0b += (1 - zb) * yb;
  }
  if (i < n) {
    const za = z[i]!,
      ya = y[i]!;
    ((odd += za * (1 - za)), (n1 += za), (s1 += za * ya), (s0 += (1 - za) * ya));
  }
  if (odd + oddb !== 0) return null;
  n1 += n1b;
  const n0 = n - n1;
  if (n1 < 2 || n0 < 2) return undefinedEstimate('arm-users');
  const m1 = (s1 + s1b) / n1;
  const m0 = (s0 + s0b) / n0;
  const dm = m1 - m0;
  let ss1 = 0,
    ss0 = 0,
    ss1b = 0,
    ss0b = 0;
  for (i = 0; i + 2 <= n; i += 2) {
    const za = z[i]!,
      zb = z[i + 1]!;
    const da = y[i]! - m0 - za * dm;
    const db = y[i + 1]! - m0 - zb * dm;
    ss1 += za * da * da;
    ss1b += zb * db * db;
    ss0 += (1 - za) * da * da;
    ss0b += (1 - zb) * db * db;
  }
  if (i < n) {
    const za = z[i]!;
    const da = y[i]! - m0 - za * dm;
    ((ss1 += za * da * da), (ss0 += (1 - za) * da * da));
  }
  ss1 += ss1b;
  ss0 += ss0b;
  return { estimate: dm, se: Math.sqrt(ss1 / (n1 - 1) / n1 + ss0 / (n0 - 1) / n0), df: Infinity };
}

/** The same case with fractional doses: the general path's operations without the weight lookups. */
function unweighted(z: Float64Array, y: Float64Array) {
  const n = z.length;
  let zbar = 0,
    ybar = 0,
    n1 = 0,
    n0 = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i]!;
    zbar += zi;
    ybar += y[i]!;
    if (zi > 0) n1++;
    if (zi < 1) n0++;
  }
  if (n1 < 2 || n0 < 2) return undefinedEstimate('arm-users');
  zbar /= n;
  ybar /= n;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const dz = z[i]! - zbar;
    sxx += dz * dz;
    sxy += dz * (y[i]! - ybar);
  }
  if (!(sxx > 0)) return undefinedEstimate('no-dose-variation');
  const b = sxy / sxx;
  const a = ybar - b * zbar;
  const iW = 1 / n;
  let meat = 0;
  for (let i = 0; i < n; i++) {
    const dz = z[i]! - zbar;
    const e = y[i]! - a - b * z[i]!;
    const h = iW + (dz * dz) / sxx;
    meat += (dz * dz * e * e) / (1 - h);
  }
  return { estimate: b, se: Math.sqrt(meat) / sxx, df: Infinity };
}

/**
 * Weighted least-squares slope of outcome on dose (weights: denominator times
 * units per user), with its HC2 standard error. When `psi` is given it
 * receives each user's linearised contribution to the slope (so that
 * b - beta ~ sum psi), for standard errors that allow dependence.
 */
export function weightedSlope(
  z: Float64Array,
  y: Float64Array,
  den: Float64Array | null,
  k: Float64Array | null,
  psi: Float64Array | null = null,
): Estimate {
  const n = z.length;
  const c = (i: number) => (k ? k[i]! : 1);
  const w = (i: number) => (den ? den[i]! : 1) * c(i);
  let W = 0,
    zbar = 0,
    ybar = 0,
    n1 = 0,
    n0 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w(i);
    if (!(wi > 0)) continue;
    W += wi;
    zbar += wi * z[i]!;
    ybar += c(i) * y[i]!; // = wi * (y/den)
    if (z[i]! > 0) n1++;
    if (z[i]! < 1) n0++;
  }
  if (n1 < 2 || n0 < 2) return undefinedEstimate('arm-users');
  zbar /= W;
  ybar /= W;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const wi = w(i);
    if (!(wi > 0)) continue;
    const dz = z[i]! - zbar;
    sxx += wi * dz * dz;
    sxy += dz * (c(i) * y[i]! - wi * ybar);
  }
  if (!(sxx > 0)) return undefinedEstimate('no-dose-variation');
  const b = sxy / sxx;
  const a = ybar - b * zbar;
  let meat = 0;
  for (let i = 0; i < n; i++) {
    const wi = w(i);
    if (!(wi > 0)) continue;
    const dz = z[i]! - zbar;
    const e = (c(i) * y[i]!) / wi - a - b * z[i]!;
    const h = wi * (1 / W + (dz * dz) / sxx);
    meat += (wi * wi * dz * dz * e * e) / (1 - h);
  }
  if (psi) {
    for (let i = 0; i < n; i++) {
      const wi = w(i);
      psi[i] = wi > 0 ? (wi * (z[i]! - zbar) * ((c(i) * y[i]!) / wi - a - b * z[i]!)) / sxx : 0;
    }
  }
  return { estimate: b, se: Math.sqrt(meat) / sxx, df: Infinity };
}

export const differenceInMeans: Estimator = {
  id: 'dm',
  label: 'difference in means (naive SE)',
  notApplicable: () => null,
  prepare: (ctx) => {
    const pop = ctx?.design ? populationFor(ctx.design) : null;
    if (pop) {
      // a design with an analysis population (ego clusters): treated against control among its users only
      const m = pop.users.length;
      const all = unitCounts(ctx.design);
      const kp = all ? pop.gather(all, new Float64Array(m)) : null;
      const k = kp && kp.some((c) => c !== 1) ? kp : null;
      const z = new Float64Array(m),
        y = new Float64Array(m),
        den = new Float64Array(m);
      return (rep) => {
        pop.gather(rep.dose, z);
        pop.gather(rep.y, y);
        if (!k && !rep.den) return binary(z, y) ?? unweighted(z, y);
        return weightedSlope(z, y, rep.den ? pop.gather(rep.den, den) : null, k);
      };
    }
    const k = unitCounts(ctx?.design);
    const identity = ctx?.design?.units.identity === true;
    return (rep) => {
      const { dose: z, y, den } = rep;
      if (!k && !den) return binary(identity ? rep.unitZ : z, y) ?? unweighted(z, y);
      return weightedSlope(z, y, den, k);
    };
  },
};

export const dmKind: EstimatorKind = { type: 'dm', estimator: differenceInMeans, byDefault: true };
