// Types and constants of exposure probabilities, shared by the strategies.
import type { Joint } from './closed-form.js';
import type { PairList } from './pairs.js';

/**
 * Work allowed for Monte Carlo joint probabilities, summed over the draws
 * that update them. A counted draw costs one unit per dependent pair and per
 * user; a Rao–Blackwellised one (all-or-none mappings under random
 * clusterings) one per pair plus 2·Σ_c t_c², t_c the users whose cluster set
 * holds cluster c (the walk that counts the clusters two users share),
 * measured on the first clustering drawn. Each costs roughly 5–10 ns. 7·10⁸
 * keeps `spillover exposure scenarios/torus-rgcr.json` within 2x of its
 * set-up time with counted joints and a 2·10⁸ cap (15.3 s -> 28.1 s CPU);
 * it gives that scenario's randomized 3-net 240 joint draws and 1-hop-max
 * 740, of 2,000.
 */
export const JOINT_BUDGET = 7e8;

/**
 * Median relative SE of Rao–Blackwellised joint probabilities above which the
 * report warns.
 * Aronow–Samii divides by them, so noise biases it: on Ugander & Yin's SW16
 * graph under RGCR 1-hop-max, joints from 100 draws (median relative SE 38%)
 * covered 81–88% of the time; from 1,840 draws (18%) the mean variance
 * estimate was 1.03–1.16 times the true variance and coverage 96–97%.
 */
export const IMPRECISE_JOINTS = 0.25;

export interface ExposureProbabilities {
  readonly p1: Float64Array;
  readonly p0: Float64Array;
  /** dependent pairs with their joint probabilities; null when not asked for (or the design has no independent blocks) */
  readonly pairs: (PairList & Joint) | null;
  readonly method: 'enumeration' | 'closed form' | 'mixture average' | 'monte carlo';
  /** Monte Carlo draws behind the marginals (0 when exact) and for the joints, and the batches (independent streams) they came in */
  readonly draws: number;
  readonly jointDraws: number;
  readonly batches: number;
  /** largest and median relative standard error of the marginals (0 when exact) */
  readonly maxRelSE: number;
  readonly medianRelSE: number;
  /** largest and median relative standard error of the positive joints p11 and p00 (0 when exact or none) */
  readonly jointMaxRelSE: number;
  readonly jointMedianRelSE: number;
  /** users with no chance of the treated / control world (positivity fails) */
  readonly zero1: number;
  readonly zero0: number;
  /** approximations made, for the report */
  readonly notes: string[];
}

export interface ProbabilityOptions {
  /** also compute joint probabilities of dependent pairs (for variances) */
  joint: boolean;
  draws: number;
  batches: number;
  seed: number | string;
}
