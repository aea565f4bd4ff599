// Analytic power for cluster-randomized designs: the intra-cluster
// correlation (one-way ANOVA estimator), the design effect with its
// unequal-cluster-size form (Eldridge, Ashby & Kerry 2006:
// 1 + ((cv² + 1)·m̄ − 1)·ρ), the effective sample size and the minimum
// detectable effect of a difference in means.
// Ratio metrics enter through their linearisation (`linearise`).
import { normalQuantile } from '../estimate/stats.js';

export interface ClusterSummary {
  clusters: number;
  users: number;
  meanSize: number;
  /** coefficient of variation of cluster sizes (population SD: the clusters are all there are) */
  cv: number;
}

export function clusterSummary(labels: ArrayLike<number>, count: number): ClusterSummary {
  const size = new Float64Array(count);
  for (let i = 0; i < labels.length; i++) size[labels[i]!]!++;
  const k = size.filter((s) => s > 0);
  const m = labels.length / k.length;
  // divisor k, so (cv² + 1)·m̄ = Σm²/N and the unequal form is exact under random effects
  const v = k.reduce((s, x) => s + (x - m) ** 2, 0) / k.length;
  return { clusters: k.length, users: labels.length, meanSize: m, cv: Math.sqrt(v) / m };
}

/**
 * A ratio metric's per-user values whose mean-metric variance is the ratio's:
 * sum(num)/sum(den) − R ≈ Σ(num − R·den) / Σden, so y = (num − R·den)/mean(den).
 */
export function linearise(num: ArrayLike<number>, den: ArrayLike<number>): Float64Array {
  const n = num.length;
  let sn = 0,
    sd = 0;
  for (let i = 0; i < n; i++) ((sn += num[i]!), (sd += den[i]!));
  const R = sn / sd;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = (num[i]! - R * den[i]!) / (sd / n);
  return y;
}

/**
 * ANOVA estimate of the intra-cluster correlation of y, and the total
 * variance of y. The ICC is NaN when y is constant (no variance to share).
 */
export function icc(y: ArrayLike<number>, labels: ArrayLike<number>, count: number): { icc: number; variance: number } {
  const N = y.length;
  const sum = new Float64Array(count);
  const size = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < N; i++) ((sum[labels[i]!]! += y[i]!), size[labels[i]!]!++, (total += y[i]!));
  const mean = total / N;
  let ssb = 0,
    ssw = 0,
    ss = 0,
    sumSq = 0,
    k = 0;
  for (let c = 0; c < count; c++) if (size[c]! > 0) ((ssb += size[c]! * (sum[c]! / size[c]! - mean) ** 2), (sumSq += size[c]! ** 2), k++);
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

/** Sample variance (divisor n − 1). */
export function sampleVariance(y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) m += y[i]!;
  m /= y.length;
  let ss = 0;
  for (let i = 0; i < y.length; i++) ss += (y[i]! - m) ** 2;
  return ss / (y.length - 1);
}

/** Design effect for equal clusters of the mean size, and its unequal-size form. */
export function designEffect(rho: number, c: ClusterSummary): { equal: number; unequal: number } {
  return { equal: 1 + (c.meanSize - 1) * rho, unequal: 1 + ((c.cv * c.cv + 1) * c.meanSize - 1) * rho };
}

/**
 * Squared standard error of a difference in means with a share p treated,
 * each arm's variance inflated by its design effect.
 */
export function armsVariance(
  users: number,
  p: number,
  treated: { variance: number; deff: number },
  control: { variance: number; deff: number },
): number {
  return (treated.variance * treated.deff) / (users * p) + (control.variance * control.deff) / (users * (1 - p));
}

/** Minimum detectable effect of an estimate with standard error se at (power, alpha), two-sided. */
export function detectable(se: number, power: number, alpha: number): number {
  return (normalQuantile(1 - alpha / 2) + normalQuantile(power)) * se;
}

/** That standard error and the minimum detectable effect. */
export function minimumDetectableEffect(o: {
  users: number;
  p: number;
  treated: { variance: number; deff: number };
  control: { variance: number; deff: number };
  power: number;
  alpha: number;
}): { se: number; mde: number } {
  const se = Math.sqrt(armsVariance(o.users, o.p, o.treated, o.control));
  return { se, mde: detectable(se, o.power, o.alpha) };
}

/** One arm's outcomes over model draws, summarised for the analytic SE. */
export interface ArmSummary {
  /** mean ANOVA ICC over the draws where it is defined (NaN if none; 0 for user-level designs) */
  icc: number;
  variance: number;
  deff: { equal: number; unequal: number };
}

/**
 * Analytic SE of the difference in means from model draws of the all-control
 * (y0) and all-treated (y1) worlds, each arm with its own variance and design
 * effect; seSE is its Monte Carlo error, from the spread of the per-draw
 * squared SEs (large when a heavy tail shows up in few draws).
 */
export function drawnSE(o: { y0: Float64Array[]; y1: Float64Array[]; labels: ArrayLike<number>; count: number; p: number }): {
  se: number;
  seSE: number;
  control: ArmSummary;
  treated: ArmSummary;
} {
  const c = clusterSummary(o.labels, o.count);
  const users = o.labels.length;
  const perDraw = (ys: Float64Array[]) =>
    ys.map((y) => (c.clusters === users ? { icc: 0, variance: sampleVariance(y) } : icc(y, o.labels, o.count)));
  const s0 = perDraw(o.y0);
  const s1 = perDraw(o.y1);
  // a negative ANOVA ICC is noise around 0, and a constant outcome has none:
  // both count as 0 in the design effect
  const deff = (rho: number) => designEffect(rho > 0 ? rho : 0, c);
  const summary = (s: { icc: number; variance: number }[]): ArmSummary => {
    const defined = s.filter((x) => Number.isFinite(x.icc));
    const rho = defined.length ? defined.reduce((t, x) => t + x.icc, 0) / defined.length : NaN;
    return { icc: rho, variance: s.reduce((t, x) => t + x.variance, 0) / s.length, deff: deff(rho) };
  };
  // squared SE from each arm's variance and ICC
  const v = (t: { variance: number; icc: number }, z: { variance: number; icc: number }) =>
    armsVariance(users, o.p, { variance: t.variance, deff: deff(t.icc).unequal }, { variance: z.variance, deff: deff(z.icc).unequal });
  const control = summary(s0);
  const treated = summary(s1);
  const se = Math.sqrt(v(treated, control));
  const D = s0.length;
  const v2 = s0.map((x, r) => v(s1[r]!, x));
  const m = v2.reduce((t, x) => t + x, 0) / D;
  const sdV = Math.sqrt(v2.reduce((t, x) => t + (x - m) ** 2, 0) / (D - 1));
  return { se, seSE: D > 1 ? sdV / Math.sqrt(D) / (2 * se) : NaN, control, treated };
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
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628288 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
