// Monte Carlo exposure probabilities, for designs and mappings without a
// closed form. Every draw is independent: a fresh assignment or, for
// random-clustering designs (RGCR, mixtures), a fresh clustering. Draws are
// spread over B batches, each with its own named stream, and a user's
// standard error comes from the spread of the per-draw values, so precision
// follows 1/sqrt(draws).
//
// Random clusterings are Rao–Blackwellised: given a clustering, clusters
// are independent coins with probability p, so under all-or-none mappings
// ('full', 'thread-full') the exposure probabilities given the clustering
// are exact. With C_i the clusters touching i's closed neighbourhood (i's
// own cluster for 'thread-full'):
//   P(i in 1 | C) = p^|C_i|,  P(i in 0 | C) = (1-p)^|C_i|,
//   P(i, j both 1 | C) = p^|C_i ∪ C_j|,  both 0: (1-p)^|C_i ∪ C_j|,
//   P(i 1, j 0 | C) = 0 if C_i ∩ C_j ≠ ∅, else p^|C_i| (1-p)^|C_j|.
// These are averaged over the drawn clusterings, marginals and joints alike,
// instead of counting 0/1 exposures: no pair that can be seen together gets
// an estimate of 0. Fractional marginals given the clustering come from the
// dynamic programme of closed-form.ts; fractional joints have no such
// simple form and are still counted from coins drawn on the clustering.
import type { CSR } from '../../graph/csr.js';
import { doseOf, partitionUnits, randomClusteringOf, type Design } from '../../design/design.js';
import { stream } from '../../random/streams.js';
import * as names from '../../random/names.js';
import { closedMarginals, type Joint } from './closed-form.js';
import type { ExposureMapping } from './mappings.js';
import { pairArray, type PairList } from './pairs.js';
import { ClusterBlock } from './cluster-sets.js';

export interface McOptions {
  readonly draws: number;
  readonly batches: number;
  readonly seed: number | string;
  readonly marginals: boolean;
  readonly pairs: PairList | null;
  /**
   * Work allowed for the joints, in visits summed over the draws that
   * update them (see JOINT_BUDGET; measured on the first draw):
   * joints then use the first draws of every batch only. Unset: all draws.
   */
  readonly jointBudget?: number;
}

export interface McResult {
  p1: Float64Array | null;
  p0: Float64Array | null;
  /** per-user Monte Carlo standard errors of p1, p0 (from the per-draw spread) */
  se1: Float64Array | null;
  se0: Float64Array | null;
  joint: Joint | null;
  /** per-pair Monte Carlo standard errors of p11 and p00 */
  jointSE: { se11: Float64Array; se00: Float64Array } | null;
  /** pairs whose P(one in each world) was set to 0 for resting on too few separating clusterings (see MIN_SEPARATIONS) */
  unreliableSplits: number;
  draws: number;
  /** draws behind the joints (all of them unless a budget cut them) */
  jointDraws: number;
  batches: number;
}

/** At least this many joint draws per batch, whatever the budget. */
export const MIN_JOINT_DRAWS_PER_BATCH = 5;

/**
 * A Rao–Blackwellised P(i in 1, j in 0) is positive only through the drawn
 * clusterings that give i and j no common cluster. When fewer than this many
 * did, the estimate is a rare event's: unbiased, but Aronow–Samii divides by
 * it, and a tiny value blows its variance up (on Ugander & Yin's 256-node
 * SW16 graph, joints from 100 draws under 1-hop-max gave a mean variance
 * estimate thousands of times the true variance). Such pairs get p10 = p01
 * = 0 instead, and Aronow–Samii's Young's-inequality bound for pairs never
 * seen split. Term by term that bound is conservative only when
 * P(i 1, j 0) <= 2 π1_i π0_j, which 1-hop-max breaks for some pairs (on SW16,
 * 332 of 1,883 guarded pairs, up to 6.4x); an audit found the total still
 * wider with the guard than without (mean variance estimate 1.79 against
 * 1.62, true 0.79).
 */
export const MIN_SEPARATIONS = 10;

export function monteCarlo(g: CSR, design: Design, mapping: ExposureMapping, o: McOptions): McResult {
  const n = g.n;
  const B = Math.max(2, o.batches);
  const L = Math.max(1, Math.round(o.draws / B));
  const rc = randomClusteringOf(design) ?? undefined;
  const pairs = o.pairs;
  const m = pairs ? pairs.other.length : 0;
  // given a clustering, all-or-none exposures have exact conditional probabilities
  const exact = rc !== undefined && mapping.spec.kind !== 'fractional';
  const own = mapping.scope === 'own';
  const dose = new Float64Array(n);
  const ex = new Int8Array(n);
  const z = new Uint8Array(rc ? 0 : design.units.count);
  const labels = new Int32Array(n);
  const marg = o.marginals ? new Moments(n) : null;
  // the joints' sums become the joints in place (scale): in shared memory from the start, so the set-up hands them to workers uncopied
  const c = pairs ? [pairArray(Float64Array, m), pairArray(Float64Array, m), pairArray(Float64Array, m), pairArray(Float64Array, m)] : null;
  // squares of the Rao–Blackwellised p11, p00 values (counts are their own squares)
  const sq = pairs && exact ? [new Float64Array(m), new Float64Array(m)] : null;
  // per pair, the drawn clusterings in which the two share no cluster (only they add to p10, p01)
  const apart = pairs && exact ? new Uint32Array(m) : null;
  const block = rc && exact ? new ClusterBlock(g, own, rc.p) : null;
  let coins = new Uint8Array(0);
  let Lj = pairs ? L : 0; // joint draws per batch, fixed on the very first draw
  const x1 = new Float64Array(n);
  const x0 = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    const rng = stream(o.seed, ...names.exposureMC(design.name, mapping.key, b));
    // coins on a drawn clustering (fractional joints) from their own stream, so the clusterings do not depend on them
    const coinRng = stream(o.seed, ...names.exposureMCCoins(design.name, mapping.key, b));
    for (let s = 0; s < L; s++) {
      if (!marg && s >= Lj) break; // joints only, and the budget is spent for this batch
      if (rc) {
        const count = rc.draw(rng, labels);
        if (block) {
          const sets = block.slot();
          sets.build(labels, count);
          if (b === 0 && s === 0 && pairs && o.jointBudget !== undefined) Lj = budgeted(o.jointBudget, m + sets.pairWork(pairs), B, L);
          if (marg) {
            sets.marginals(block.pow1, block.pow0, x1, x0);
            marg.add(x1, x0);
          }
          if (pairs && s < Lj && block.keep()) block.flush(pairs, c!, sq!, apart!);
          continue;
        }
        // fractional: exact conditional marginals by the dynamic programme, joints counted on coins
        if (b === 0 && s === 0 && pairs && o.jointBudget !== undefined) Lj = budgeted(o.jointBudget, m + n, B, L);
        if (marg) {
          const cond = closedMarginals(g, partitionUnits(labels, count), { kind: 'bernoulli', p: rc.p }, mapping);
          marg.add(cond.p1, cond.p0);
        }
        if (!(pairs && s < Lj)) continue;
        if (coins.length < count) coins = new Uint8Array(count);
        for (let k = 0; k < count; k++) coins[k] = coinRng() < rc.p ? 1 : 0;
        for (let i = 0; i < n; i++) dose[i] = coins[labels[i]!]!;
      } else {
        if (b === 0 && s === 0 && pairs && o.jointBudget !== undefined) Lj = budgeted(o.jointBudget, m + n, B, L);
        design.drawUnits(rng, z);
        doseOf(design.units, z, dose);
      }
      mapping.classify(g, dose, ex);
      if (marg && !rc) {
        for (let i = 0; i < n; i++) ((x1[i] = ex[i] === 1 ? 1 : 0), (x0[i] = ex[i] === 0 ? 1 : 0));
        marg.add(x1, x0);
      }
      if (pairs && s < Lj) countPairs(pairs, ex, c!);
    }
  }
  if (block && pairs) block.flush(pairs, c!, sq!, apart!);
  const draws = B * L;
  const jd = B * Lj;
  let p1 = null,
    p0 = null,
    se1 = null,
    se0 = null;
  if (marg) [p1, p0, se1, se0] = marg.finish();
  let joint: Joint | null = null;
  let jointSE: McResult['jointSE'] = null;
  let unreliable = 0;
  if (c) {
    const [c11, c00, c10, c01] = c as [Float64Array, Float64Array, Float64Array, Float64Array];
    // counts: the squares of 0/1 values are the values themselves
    const [q11, q00] = sq ? (sq as [Float64Array, Float64Array]) : [c11, c00];
    const se11 = seFromSums(c11, q11, jd);
    const se00 = seFromSums(c00, q00, jd);
    joint = { p11: scale(c11, jd), p00: scale(c00, jd), p10: scale(c10, jd), p01: scale(c01, jd) };
    jointSE = { se11, se00 };
    if (apart) {
      for (let k = 0; k < m; k++) {
        if (apart[k]! === 0 || apart[k]! >= MIN_SEPARATIONS) continue;
        joint.p10[k] = 0;
        joint.p01[k] = 0;
        unreliable++;
      }
    }
  }
  return { p1, p0, se1, se0, joint, jointSE, unreliableSplits: unreliable, draws, jointDraws: pairs ? jd : 0, batches: B };
}

/** Joint draws per batch that the budget allows, given the work of one draw. */
function budgeted(budget: number, perDraw: number, B: number, L: number): number {
  const total = Math.floor(budget / Math.max(1, perDraw));
  return Math.min(L, Math.max(MIN_JOINT_DRAWS_PER_BATCH, Math.floor(total / B)));
}

/**
 * Per-user sums of the per-draw values and of their squares, each shifted by
 * the user's first value so that a nearly constant value (p^k with k the
 * same in every draw) loses no precision to cancellation.
 */
class Moments {
  private readonly shift1: Float64Array;
  private readonly shift0: Float64Array;
  private readonly s1: Float64Array;
  private readonly s0: Float64Array;
  private readonly q1: Float64Array;
  private readonly q0: Float64Array;
  private count = 0;
  constructor(n: number) {
    this.shift1 = new Float64Array(n);
    this.shift0 = new Float64Array(n);
    this.s1 = new Float64Array(n);
    this.s0 = new Float64Array(n);
    this.q1 = new Float64Array(n);
    this.q0 = new Float64Array(n);
  }
  add(x1: Float64Array, x0: Float64Array): void {
    const { shift1, shift0, s1, s0, q1, q0 } = this;
    if (this.count++ === 0) {
      shift1.set(x1);
      shift0.set(x0);
    }
    for (let i = 0; i < s1.length; i++) {
      const d1 = x1[i]! - shift1[i]!;
      const d0 = x0[i]! - shift0[i]!;
      s1[i]! += d1;
      q1[i]! += d1 * d1;
      s0[i]! += d0;
      q0[i]! += d0 * d0;
    }
  }
  /** means and their standard errors */
  finish(): [Float64Array, Float64Array, Float64Array, Float64Array] {
    const N = this.count;
    const se1 = seFromSums(this.s1, this.q1, N);
    const se0 = seFromSums(this.s0, this.q0, N);
    const p1 = scale(this.s1, N);
    const p0 = scale(this.s0, N);
    for (let i = 0; i < p1.length; i++) ((p1[i]! += this.shift1[i]!), (p0[i]! += this.shift0[i]!));
    return [p1, p0, se1, se0];
  }
}

function countPairs(pairs: PairList, ex: Int8Array, c: Float64Array[]): void {
  const [c11, c00, c10, c01] = c as [Float64Array, Float64Array, Float64Array, Float64Array];
  for (let i = 0; i + 1 < pairs.offsets.length; i++) {
    const ei = ex[i]!;
    if (ei < 0) continue;
    for (let k = pairs.offsets[i]!; k < pairs.offsets[i + 1]!; k++) {
      const ej = ex[pairs.other[k]!]!;
      if (ej < 0) continue;
      if (ei === 1) ej === 1 ? c11[k]!++ : c10[k]!++;
      else ej === 1 ? c01[k]!++ : c00[k]!++;
    }
  }
}

/** Standard error of a mean of N independent values from their sum and sum of squares. */
function seFromSums(sum: Float64Array, sq: Float64Array, N: number): Float64Array {
  const se = new Float64Array(sum.length);
  if (N < 2) return se.fill(NaN);
  for (let i = 0; i < sum.length; i++) {
    const m = sum[i]! / N;
    se[i] = Math.sqrt(Math.max(0, (sq[i]! / N - m * m) * (N / (N - 1))) / N);
  }
  return se;
}

function scale(a: Float64Array, d: number): Float64Array {
  for (let k = 0; k < a.length; k++) a[k]! /= d;
  return a;
}
