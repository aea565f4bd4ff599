// The answer strategy: an estimator turns one replication's data (doses,
// unit assignment, outcomes) into an estimate with a standard error.
// A NaN estimate means "undefined in this replication" (e.g. an empty arm),
// with a short reason code (UNDEFINED_REASONS); the Monte Carlo summary
// counts those per reason instead of dropping them silently.
import type { SocialGraph } from '../graph/csr.js';
import type { Design, Draw } from '../design/index.js';

export interface Estimate {
  estimate: number;
  /** NaN when the estimator has no standard error */
  se: number;
  /** degrees of freedom for the interval; Infinity = normal */
  df: number;
  /** why the estimate is undefined (a key of UNDEFINED_REASONS); absent when it is defined */
  reason?: string;
  /**
   * an interval not of the form estimate ± t·se (wild cluster bootstrap):
   * its 95% bounds, which coverage and power then use; may be infinite
   */
  lower?: number;
  upper?: number;
  /** a p-value for no effect from the same procedure as lower/upper */
  p?: number;
  /** the p-value of a test of another null (no spillover: aei.ts); the diagnosis's power counts it instead */
  nullP?: number;
}

export interface RepData {
  readonly dose: Float64Array;
  readonly unitZ: Uint8Array;
  /** per-user outcome (the numerator for a ratio metric) */
  readonly y: Float64Array;
  /** per-user denominator of a ratio metric; null for a mean metric */
  readonly den: Float64Array | null;
  /** per (design, replication) cache so estimators share work such as exposures */
  readonly memo: Map<string, unknown>;
  /** what the design's draw reported (random clusterings, Saveski arms); absent for fixed designs */
  readonly draw?: Draw | null;
  /** the replication's index, for estimators that draw (the wild bootstrap's stream); absent outside the simulation */
  readonly rep?: number;
  /** a pre-treatment covariate of the replication drawn by the model (e.g. 'baseline'), or null when the model has none */
  readonly covariate?: (name: string) => Float64Array | null;
  /**
   * the metric's sums in another assignment of the design's units (`unitZ`),
   * simulated with this replication's model draw (common random numbers):
   * num = Σ outcomes, den = Σ denominators (the number of users for a mean
   * metric). `key` names that assignment within the design and replication:
   * each is simulated once, for every metric. A staggered rollout's stages
   * (polynomial.ts). Absent outside the simulation (readouts, variances).
   */
  readonly sumsAt?: (key: string, unitZ: Uint8Array) => { num: number; den: number };
}

export interface EstimatorContext {
  readonly graph: SocialGraph;
  readonly design: Design;
  /** scenario seed, for Monte Carlo work done while preparing */
  readonly seed?: number | string;
  /** per-plan cache shared by the estimators of one design (e.g. exposure probabilities) */
  readonly cache?: Map<string, unknown>;
}

/**
 * What an estimator targets: the global effect (default), or, under a
 * randomized saturation design, the direct or spillover effect at one
 * saturation (docs/designs.md); the simulation computes each row's truth
 * for its estimator's inquiry.
 */
export type Inquiry = { readonly kind: 'global' } | { readonly kind: 'direct' | 'spillover'; readonly saturation: number };

export interface Estimator {
  readonly id: string;
  readonly label: string;
  /** the inquiry its rows are compared with; absent = the global effect */
  readonly inquiry?: Inquiry;
  /** null when it applies to the design, otherwise the reason it does not */
  notApplicable(design: Design): string | null;
  /** one-off work per design (e.g. exposure probabilities), then a fast per-replication function */
  prepare(ctx: EstimatorContext): (rep: RepData) => Estimate;
}

/**
 * Exposure probabilities below this count as no chance at all when deciding
 * whether a world can be reached: if every user's probability of the treated
 * (or control) world is below it, HT and Hajek are undefined in every
 * replication (one weighted by 1/1e-16 would otherwise stand for the world).
 */
export const EXPOSURE_FLOOR = 1e-9;

/**
 * Why an estimator can be undefined in a replication: code -> what the
 * report prints. Codes are what replication files store; a file written
 * before reasons were recorded reads as 'unspecified'.
 */
export const UNDEFINED_REASONS = {
  'arm-users': 'fewer than two users in an arm',
  'no-dose-variation': 'every user has the same dose',
  'arm-units': 'fewer than two units (clusters, threads) in an arm',
  'block-arm-units': 'a block has fewer than two units (users, clusters) in an arm',
  'arm-weight': "an arm's denominators sum to zero",
  'no-draw': 'the design reported no clustering for this draw',
  'few-units': 'fewer than three units (no degrees of freedom for the interval)',
  'treated-users': 'fewer than two users in the treated world',
  'control-users': 'fewer than two users in the control world',
  'treated-units': 'fewer than two units (clusters, threads) in the treated world, or a user there shares one with every other',
  'control-units': 'fewer than two units (clusters, threads) in the control world, or a user there shares one with every other',
  'treated-weight': "the treated world's denominators sum to zero",
  'control-weight': "the control world's denominators sum to zero",
  'treated-unreachable': `no user can be in the treated world (every exposure probability below ${EXPOSURE_FLOOR})`,
  'control-unreachable': `no user can be in the control world (every exposure probability below ${EXPOSURE_FLOOR})`,
  collinear: 'the regressors are collinear (e.g. a covariate constant within the users)',
  'leverage-one': 'a unit (user or cluster) has leverage 1, so CR2/HC2 is not defined',
  'negative-variance': 'the variance estimate is negative',
  'variance-not-finite': 'the variance estimate is not a finite number',
  'estimate-not-finite': 'the estimate is not a finite number',
  'ratio-metric': 'the randomization test inverts a constant additive effect, which a ratio metric has no form of',
  'no-variance-estimator': 'no standard error: the paper bounds the variance but gives no estimator of it',
  'no-ratio-form': 'the estimator has no form for a ratio metric',
  'variance-off': 'no standard error: the scenario turns it off ("variance": false), so no dependent pairs are listed',
  'no-stages': "a staggered rollout's earlier stages were not simulated (only the simulation does: not readouts or exact variances)",
  unspecified: 'no reason recorded',
} as const;

export type UndefinedReason = keyof typeof UNDEFINED_REASONS;

/** What the report prints for a reason code (the code itself when unknown, e.g. from a newer version). */
export function reasonText(code: string): string {
  return (UNDEFINED_REASONS as Record<string, string>)[code] ?? code;
}

// one frozen object per reason: undefined estimates cost no allocation
const frozen = Object.fromEntries(
  Object.keys(UNDEFINED_REASONS).map((reason) => [reason, Object.freeze({ estimate: NaN, se: NaN, df: Infinity, reason })]),
) as Record<UndefinedReason, Estimate>;

/** The estimate "undefined in this replication", with its reason. */
export function undefinedEstimate(reason: UndefinedReason): Estimate {
  return frozen[reason];
}

/**
 * An estimate with the standard error of an estimated variance v, or
 * undefined when v is negative or not finite: clamping it to 0 would report
 * a zero-width interval that always rejects.
 */
export function withVariance(estimate: number, v: number, df: number): Estimate {
  if (v >= 0 && v < Infinity) return { estimate, se: Math.sqrt(v), df };
  return undefinedEstimate(v < 0 ? 'negative-variance' : 'variance-not-finite');
}

/** Memoised per-replication value. */
export function memo<T>(rep: RepData, key: string, make: () => T): T {
  let v = rep.memo.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    rep.memo.set(key, v);
  }
  return v;
}
