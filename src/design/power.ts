// Analytic power for cluster-randomized designs: the intra-cluster
// correlation (one-way ANOVA estimator), the design effect with its
// unequal-cluster-size form (Eldridge, Ashby & Kerry 2006:
// 1 + ((cv² + 1)·m̄ − 1)·ρ), the effective sample size and the minimum
// detectable effect of a difference in means.
import { normalQuantile } from '../estimate/stats.js';

export interface ClusterSummary {
  clusters: number;
  users: number;
  meanSize: number;
  /** coefficient of variation of cluster sizes */
  cv: number;
}

export function clusterSummary(labels: ArrayLike<number>, count: number): ClusterSummary {
  const size = new Float64Array(count);
  for (let i = 0; i < labels.length; i++) size[labels[i]!]!++;
  const k = size.filter((s) => s > 0);
  const m = labels.length / k.length;
  const v = k.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, k.length - 1);
  return { clusters: k.length, users: labels.length, meanSize: m, cv: Math.sqrt(v) / m };
}

/** ANOVA estimate of the intra-cluster correlation of y, and the total variance of y. */
export function icc(y: ArrayLike<number>, labels: ArrayLike<number>, count: number): { icc: number; variance: number } {
  const N = y.length;
  const sum = new Float64Array(count);
  const size = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < N; i++) (sum[labels[i]!]! += y[i]!), size[labels[i]!]!++, (total += y[i]!);
  const mean = total / N;
  let ssb = 0, ssw = 0, ss = 0, sumSq = 0, k = 0;
  for (let c = 0; c < count; c++) if (size[c]! > 0) (ssb += size[c]! * (sum[c]! / size[c]! - mean) ** 2), (sumSq += size[c]! ** 2), k++;
  for (let i = 0; i < N; i++) {
    const c = labels[i]!;
    ssw += (y[i]! - sum[c]! / size[c]!) ** 2;
    ss += (y[i]! - mean) ** 2;
  }
  if (k < 2 || N <= k) return { icc: NaN, variance: ss / (N - 1) };
  const msb = ssb / (k - 1);
  const msw = ssw / (N - k);
  const m0 = (N - sumSq / N) / (k - 1);
  return { icc: (msb - msw) / (msb + (m0 - 1) * msw), variance: ss / (N - 1) };
}

/** Design effect for equal clusters of the mean size, and its unequal-size form. */
export function designEffect(rho: number, c: ClusterSummary): { equal: number; unequal: number } {
  return { equal: 1 + (c.meanSize - 1) * rho, unequal: 1 + ((c.cv * c.cv + 1) * c.meanSize - 1) * rho };
}

/**
 * Standard error of a difference in means with a share p treated, each arm's
 * variance inflated by its design effect, and the minimum detectable effect
 * at (power, alpha), two-sided.
 */
export function minimumDetectableEffect(o: {
  users: number;
  p: number;
  treated: { variance: number; deff: number };
  control: { variance: number; deff: number };
  power: number;
  alpha: number;
}): { se: number; mde: number } {
  const v1 = (o.treated.variance * o.treated.deff) / (o.users * o.p);
  const v0 = (o.control.variance * o.control.deff) / (o.users * (1 - o.p));
  const se = Math.sqrt(v1 + v0);
  return { se, mde: (normalQuantile(1 - o.alpha / 2) + normalQuantile(o.power)) * se };
}

/** Power of a two-sided z-test at true effect tau with standard error se. */
export function analyticPower(tau: number, se: number, alpha: number): number {
  const z = normalQuantile(1 - alpha / 2);
  const cdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
  return cdf(Math.abs(tau) / se - z) + cdf(-Math.abs(tau) / se - z);
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628288 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
