// What every exposure-probability strategy shares: the Monte Carlo call with
// its notes, the dependent-pair listing within the memory budget, and `finish`,
// which adds positivity counts and achieved precision.
import type { CSR } from '../../graph/csr.js';
import type { Design } from '../../design/design.js';
import type { Joint } from './closed-form.js';
import type { ExposureMapping } from './mappings.js';
import { MIN_SEPARATIONS, monteCarlo, type McResult } from './monte-carlo.js';
import { pairLimit } from './budget.js';
import { dependentPairs, type PairLimit, type PairList } from './pairs.js';
import type { UnitSets } from './sets.js';
import { IMPRECISE_JOINTS, JOINT_BUDGET, type ExposureProbabilities, type ProbabilityOptions } from './types.js';

export interface Route {
  readonly g: CSR;
  readonly design: Design;
  readonly mapping: ExposureMapping;
  readonly o: ProbabilityOptions;
  readonly notes: string[];
  /** Monte Carlo over the design's own draws (marginals and/or the pairs' joints) */
  mc(marginals: boolean, pairs: PairList | null): McResult;
  /** marginals and joints both by Monte Carlo */
  monteCarloBoth(pairs: PairList | null): ExposureProbabilities;
  /** dependent pairs from independent random blocks; null when not asked for; a UserError when more than the memory budget allows */
  pairsFrom(blocks: UnitSets | null, count: number): PairList | null;
  /** the memory budget of this design and mapping's pairs (budget.ts), or none */
  readonly limit: PairLimit | undefined;
  finish(
    p1: Float64Array,
    p0: Float64Array,
    pairs: PairList | null,
    joint: Joint | null,
    method: ExposureProbabilities['method'],
    r?: McResult,
  ): ExposureProbabilities;
}

export function route(g: CSR, design: Design, mapping: ExposureMapping, o: ProbabilityOptions): Route {
  const notes: string[] = [];
  const st = design.structure;
  const rc = st.kind === 'random-clustering' ? st.clustering : undefined;
  // joints averaged from exact conditional values, not counted
  const rb = rc !== undefined && mapping.spec.kind !== 'fractional';
  const limit = pairLimit(design.name, mapping.key === 'full' ? 'full-neighbourhood' : mapping.key) ?? undefined;
  const self: Route = {
    limit,
    g,
    design,
    mapping,
    o,
    notes,
    // marginals from every draw; joints (the costly part) from the first draws
    // of each batch that the work budget allows
    mc(marginals, pairs) {
      const r = monteCarlo(g, design, mapping, {
        draws: o.draws,
        batches: o.batches,
        seed: o.seed,
        marginals,
        pairs,
        jointBudget: JOINT_BUDGET,
      });
      if (pairs && r.jointDraws < r.draws)
        notes.push(
          `joint probabilities from ${r.jointDraws} draws (not ${r.draws}): ${pairs.other.length.toLocaleString('en-US')} dependent pairs`,
        );
      const u = r.unreliableSplits;
      if (u)
        notes.push(
          `${u.toLocaleString('en-US')} dependent pair${u === 1 ? '' : 's'} split across clusters in fewer than ${MIN_SEPARATIONS} drawn clusterings: P(one in each world) set to 0 (Aronow–Samii then bounds ${u === 1 ? 'it' : 'them'} conservatively)`,
        );
      if (pairs && rc && mapping.spec.kind === 'fractional')
        notes.push(
          'fractional joints are counted from 0/1 exposures (no closed form given a clustering): a pair never seen together gets 0',
        );
      return r;
    },
    monteCarloBoth(pairs) {
      const r = self.mc(true, pairs);
      return self.finish(r.p1!, r.p0!, pairs, r.joint, 'monte carlo', r);
    },
    pairsFrom(blocks, count) {
      if (!o.joint || !blocks) return null;
      return dependentPairs(g.n, blocks, count, limit);
    },
    finish(p1, p0, pairs, joint, method, r) {
      const rel = relativeSE(p1, p0, r?.se1 && r.se0 ? [r.se1, r.se0] : []);
      const jrel = joint && r?.jointSE ? relativeSE(joint.p11, joint.p00, [r.jointSE.se11, r.jointSE.se00]) : { max: 0, median: 0 };
      let zero1 = 0,
        zero0 = 0;
      for (let i = 0; i < g.n; i++) ((zero1 += p1[i]! > 0 ? 0 : 1), (zero0 += p0[i]! > 0 ? 0 : 1));
      const both = pairs && joint ? { ...pairs, ...joint } : null;
      const draws = r?.p1 ? r.draws : 0;
      if (rb && jrel.median > IMPRECISE_JOINTS)
        notes.push(
          `joint probabilities imprecise (median relative SE ${(100 * jrel.median).toFixed(0)}%): Aronow–Samii variances can come out too small; raise draws`,
        );
      return {
        p1,
        p0,
        pairs: both,
        method,
        draws,
        jointDraws: joint ? (r?.jointDraws ?? 0) : 0,
        batches: r ? r.batches : 0,
        maxRelSE: rel.max,
        medianRelSE: rel.median,
        jointMaxRelSE: jrel.max,
        jointMedianRelSE: jrel.median,
        zero1,
        zero0,
        notes,
      };
    },
  };
  return self;
}

/**
 * Largest and median of se/p over the positive entries of two arrays. The
 * median is taken over at most about 2^20 of them, evenly spaced (joints
 * can number millions).
 */
function relativeSE(p1: Float64Array, p0: Float64Array, se: Float64Array[]): { max: number; median: number } {
  if (se.length < 2) return { max: 0, median: 0 };
  const step = Math.max(1, Math.ceil(p1.length / 2 ** 19));
  const kept: number[] = [];
  let max = 0;
  for (let i = 0; i < p1.length; i++) {
    const r1 = p1[i]! > 0 ? se[0]![i]! / p1[i]! : NaN;
    const r0 = p0[i]! > 0 ? se[1]![i]! / p0[i]! : NaN;
    if (r1 > max) max = r1;
    if (r0 > max) max = r0;
    if (i % step) continue;
    if (r1 === r1) kept.push(r1);
    if (r0 === r0) kept.push(r0);
  }
  const rel = Float64Array.from(kept).sort();
  return { max, median: rel[rel.length >> 1] ?? 0 };
}
