// Fisher randomization test: the difference in means, with a p-value and an
// interval from re-drawing the design's own assignment (Fisher 1935; Imbens &
// Rubin 2015, ch. 5). Under the sharp null of no effect for anyone, through
// any path, every user's outcome is the same under every assignment, so the
// re-drawn statistics are the statistic's exact null distribution: the
// p-value (1 + #{|T_k| >= |T|}) / (K + 1) over K Monte Carlo re-draws is
// valid at any K (Phipson & Smyth 2010), interference or not. The interval
// inverts the test of "every user's outcome shifts by θ0 when treated"
// (a constant additive effect, no interference): adjusted outcomes
// y − θ0·z give T(θ0) = T − θ0 and, for re-draw k, a_k − θ0·b_k with a_k the
// re-drawn difference in means of y and b_k that of z, so each θ0 costs
// O(K). Under interference that model is false and the interval's coverage
// of the global effect is what the simulation shows.
// Only designs whose users each sit in one fixed unit (user, cluster,
// blocked, paired, complete); mean metrics only.
import { doseOf, type Design } from '../design/design.js';
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { undefinedEstimate, type Estimate, type Estimator } from './estimator.js';
import type { EstimatorKind } from './schema.js';
import { invertTest } from './invert.js';

/** Re-drawn assignments per replication. */
export const FISHER_DRAWS = 999;

function notApplicable(d: Design): string | null {
  if (d.structure.kind === 'rollout')
    return "the randomization test re-draws fixed units' schemes; a staggered rollout's is not wired to it";
  if (d.structure.kind !== 'fixed') return 'the randomization test re-draws fixed units; this design draws its grouping anew';
  if (!d.units.partition) return "the randomization test needs each user in one unit (a user's dose here is a share of threads)";
  return null;
}

/**
 * The test from the observed 0/1 doses z, outcomes y and K re-drawn dose
 * vectors (`redraw(k, out)` writes draw k into out, one at a time, so no
 * K×n table is held): estimate, p-value of no effect, and the 95% interval
 * of constant shifts not rejected.
 */
export function randomizationTest(
  z: ArrayLike<number>,
  y: Float64Array,
  redraw: (k: number, out: Uint8Array) => void,
  K: number,
  alpha = 0.05,
): Estimate {
  const n = y.length;
  const dm = (w: ArrayLike<number>, v: ArrayLike<number>) => {
    let n1 = 0,
      s1 = 0,
      s0 = 0;
    for (let i = 0; i < n; i++) {
      const t = w[i]!;
      n1 += t;
      if (t) s1 += v[i]!;
      else s0 += v[i]!;
    }
    return n1 < 1 || n1 > n - 1 ? NaN : s1 / n1 - s0 / (n - n1);
  };
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += z[i]!;
  if (n1 < 2 || n - n1 < 2) return undefinedEstimate('arm-users');
  const est = dm(z, y);
  if (!Number.isFinite(est)) return undefinedEstimate('estimate-not-finite');
  const a = new Float64Array(K),
    b = new Float64Array(K);
  const zk = new Uint8Array(n);
  for (let k = 0; k < K; k++) {
    redraw(k, zk);
    a[k] = dm(zk, y);
    b[k] = dm(zk, z);
  }
  // a re-draw with an empty arm has no statistic: it counts as at least as extreme (conservative)
  const pOf = (theta: number) => {
    const t = Math.abs(est - theta) * (1 - 1e-12);
    let c = 1;
    for (let k = 0; k < K; k++) if (!(Math.abs(a[k]! - theta * b[k]!) < t)) c++;
    return c / (K + 1);
  };
  // the scale for the search: the spread of the re-drawn statistics
  let s = 0,
    m = 0,
    used = 0;
  for (let k = 0; k < K; k++) if (Number.isFinite(a[k]!)) ((s += a[k]! * a[k]!), (m += a[k]!), used++);
  const scale = used > 1 ? Math.sqrt(Math.max(s / used - (m / used) ** 2, 0)) || 1 : 1;
  return { estimate: est, se: NaN, df: Infinity, ...invertTest(est, scale, pOf, alpha), p: pOf(0) };
}

export function fisherEstimator(K = FISHER_DRAWS, id = 'fisher'): Estimator {
  return {
    id,
    label: `difference in means, Fisher randomization test (${K} re-drawn assignments)`,
    notApplicable,
    prepare: ({ design, seed }) => {
      const units = new Uint8Array(design.units.count);
      let d = new Float64Array(0);
      return (rep) => {
        if (rep.den) return undefinedEstimate('ratio-metric');
        const n = rep.y.length;
        if (d.length < n) d = new Float64Array(n);
        const rng = stream(seed ?? 0, ...names.fisherDraws(rep.rep ?? 'single', design.name, id));
        // draws in order k = 0..K-1 from one stream
        const redraw = (_k: number, out: Uint8Array) => {
          design.drawUnits(rng, units);
          doseOf(design.units, units, d);
          for (let i = 0; i < n; i++) out[i] = d[i]! > 0.5 ? 1 : 0;
        };
        return randomizationTest(rep.dose, rep.y, redraw, K);
      };
    },
  };
}

export const fisherKind: EstimatorKind = { type: 'fisher', estimator: fisherEstimator() };
