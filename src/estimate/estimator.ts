// The answer strategy: an estimator turns one replication's data (doses,
// unit assignment, outcomes) into an estimate with a standard error.
// A NaN estimate means "undefined in this replication" (e.g. an empty arm);
// the Monte Carlo summary counts those instead of dropping them silently.
import type { SocialGraph } from '../graph/csr.js';
import type { Design, DrawInfo } from '../design/index.js';

export interface Estimate {
  estimate: number;
  /** NaN when the estimator has no standard error */
  se: number;
  /** degrees of freedom for the interval; Infinity = normal */
  df: number;
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
  readonly draw?: DrawInfo | null;
}

export interface EstimatorContext {
  readonly graph: SocialGraph;
  readonly design: Design;
  /** scenario seed, for Monte Carlo work done while preparing */
  readonly seed?: number | string;
  /** per-plan cache shared by the estimators of one design (e.g. exposure probabilities) */
  readonly cache?: Map<string, unknown>;
}

export interface Estimator {
  readonly id: string;
  readonly label: string;
  /** null when it applies to the design, otherwise the reason it does not */
  notApplicable(design: Design): string | null;
  /** one-off work per design (e.g. exposure probabilities), then a fast per-replication function */
  prepare(ctx: EstimatorContext): (rep: RepData) => Estimate;
}

export const UNDEFINED: Estimate = Object.freeze({ estimate: NaN, se: NaN, df: Infinity });

/** Memoised per-replication value. */
export function memo<T>(rep: RepData, key: string, make: () => T): T {
  let v = rep.memo.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    rep.memo.set(key, v);
  }
  return v;
}
