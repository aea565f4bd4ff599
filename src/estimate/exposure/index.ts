// Exposure probabilities for any design and mapping, by the cheapest exact
// route available: enumeration (few units), closed forms (fixed units), an
// exact average over a mixture's clusterings; Monte Carlo otherwise. Joint
// probabilities are kept only for pairs whose exposures can be dependent.
import type { CSR } from '../../graph/csr.js';
import { partitionUnits, type Design } from '../../design/design.js';
import { closedJoints, closedMarginals, hasClosedForm, type Joint } from './closed-form.js';
import { enumerate, ENUMERATION_MAX_UNITS } from './enumerate.js';
import type { ExposureMapping } from './mappings.js';
import { MIN_SEPARATIONS, monteCarlo, type McResult } from './monte-carlo.js';
import { balls, concatSets, dependentPairs, mapSets, MAX_PAIRS, type PairList } from './pairs.js';
import { unitSets } from './sets.js';

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
  /** dependent pairs with their joint probabilities; null when not asked for or too many */
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
  maxPairs?: number;
}

export function exposureProbabilities(g: CSR, design: Design, mapping: ExposureMapping, o: ProbabilityOptions): ExposureProbabilities {
  const notes: string[] = [];
  const st = design.structure;
  const rc = st.kind === 'random-clustering' ? st.clustering : undefined;
  // joints averaged from exact conditional values, not counted
  const rb = rc !== undefined && mapping.spec.kind !== 'fractional';
  // marginals from every draw; joints (the costly part) from the first draws
  // of each batch that the work budget allows
  const mc = (marginals: boolean, pairs: PairList | null) => {
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
      notes.push('fractional joints are counted from 0/1 exposures (no closed form given a clustering): a pair never seen together gets 0');
    return r;
  };
  const finish = (
    p1: Float64Array,
    p0: Float64Array,
    pairs: PairList | null,
    joint: Joint | null,
    method: ExposureProbabilities['method'],
    r?: McResult,
  ) => {
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
  };
  const monteCarloBoth = (pairs: PairList | null) => {
    const r = mc(true, pairs);
    return finish(r.p1!, r.p0!, pairs, r.joint, 'monte carlo', r);
  };
  const maxPairs = o.maxPairs ?? MAX_PAIRS;
  /** blocks null: already known to give too many pairs */
  const pairsFrom = (blocks: ReturnType<typeof unitSets> | null, count: number) => {
    if (!o.joint) return null;
    const p = blocks && dependentPairs(g.n, blocks, count, maxPairs);
    if (!p) notes.push(`more than ${maxPairs.toLocaleString('en-US')} dependent pairs: no variance estimate`);
    return p;
  };

  if (st.kind === 'ego') {
    // users outside every ego network have no unit: Monte Carlo over the design's own draws
    notes.push('ego clusters: probabilities by Monte Carlo, no dependent pairs listed, so no Aronow–Samii variance');
    return monteCarloBoth(null);
  }
  if (st.kind === 'saturation') {
    // which users are treated together depends on the stage-1 draw: Monte Carlo over the design's own draws
    notes.push('randomized saturation: probabilities by Monte Carlo, no dependent pairs listed, so no Aronow–Samii variance');
    return monteCarloBoth(null);
  }
  if (st.kind === 'two-arms') {
    // which users share a coin depends on the arm draw: Monte Carlo over the design's own draws, no pair listing
    notes.push('two arms: no dependent pairs listed, so no Aronow–Samii variance');
    return monteCarloBoth(null);
  }
  if (st.kind === 'fixed') {
    const { units } = design;
    const scheme = st.scheme;
    if (units.count <= ENUMERATION_MAX_UNITS && g.n <= 64) {
      const e = enumerate(g, design, mapping);
      return finish(e.p1, e.p0, e.pairs, e.joint, 'enumeration');
    }
    const sets = unitSets(g, units, mapping.scope);
    // the independent random blocks deciding each user's exposure: its units,
    // or the pairs or blocks of units randomized together. Under blocked
    // randomization every two users whose sets touch a common block are
    // listed: blocks are often small (a few clusters), so within-block
    // covariances (-p(1-p)/(m-1) between two units of an m-unit block) are
    // not the small ones complete randomization leaves out, and users
    // touching no common block are exactly independent: the list is exact.
    let blocks = sets;
    if (scheme.kind === 'paired') blocks = mapSets(sets, (u) => Math.min(u, scheme.partner[u]! < 0 ? u : scheme.partner[u]!), units.count);
    if (scheme.kind === 'blocked') blocks = mapSets(sets, (u) => scheme.block[u]!, units.count);
    if (scheme.kind === 'complete')
      notes.push('complete randomization: pairs sharing no unit are treated as independent (their small covariances are left out)');
    const pairs = pairsFrom(blocks, units.count);
    if (hasClosedForm(units, scheme, mapping)) {
      const { p1, p0 } = closedMarginals(g, units, scheme, mapping);
      // blocks are the unit sets themselves except for paired and blocked schemes
      const joint = pairs ? closedJoints(g, units, scheme, mapping, pairs, blocks !== sets ? sets : undefined) : null;
      if (pairs && !joint) {
        const r = mc(false, pairs);
        return finish(p1, p0, pairs, r.joint, 'closed form', r);
      }
      return finish(p1, p0, pairs, joint, 'closed form');
    }
    return monteCarloBoth(pairs);
  }

  const clustering = st.clustering;
  if (clustering.kind === 'mixture' && clustering.fixed) {
    const fixed = clustering.fixed;
    const bern = { kind: 'bernoulli', p: clustering.p } as const;
    const all = fixed.map((c) => partitionUnits(c.labels, c.count));
    const K = all.length;
    const p1 = new Float64Array(g.n);
    const p0 = new Float64Array(g.n);
    for (const u of all) {
      const m = closedMarginals(g, u, bern, mapping);
      for (let i = 0; i < g.n; i++) ((p1[i]! += m.p1[i]! / K), (p0[i]! += m.p0[i]! / K));
    }
    const shifts: number[] = [];
    let total = 0;
    for (const u of all) (shifts.push(total), (total += u.count));
    const pairs = pairsFrom(
      concatSets(
        all.map((u) => unitSets(g, u, mapping.scope)),
        shifts,
      ),
      total,
    );
    if (pairs) notes.push('mixture: pairs sharing no cluster in any clustering are treated as independent');
    let joint: Joint | null = null;
    let r: McResult | undefined;
    if (pairs && mapping.spec.kind !== 'fractional') {
      const m = pairs.other.length;
      joint = { p11: new Float64Array(m), p00: new Float64Array(m), p10: new Float64Array(m), p01: new Float64Array(m) };
      for (const u of all) {
        // the pairs' shared counts mix clusterings, so give the sets to count overlaps per clustering
        const j = closedJoints(g, u, bern, mapping, pairs, unitSets(g, u, mapping.scope))!;
        for (let k = 0; k < m; k++) {
          joint.p11[k]! += j.p11[k]! / K;
          joint.p00[k]! += j.p00[k]! / K;
          joint.p10[k]! += j.p10[k]! / K;
          joint.p01[k]! += j.p01[k]! / K;
        }
      }
    } else if (pairs) {
      // fractional joints: counted over independent draws of the mixture (a uniformly chosen clustering, then coins)
      r = mc(false, pairs);
      joint = r.joint;
    }
    return finish(p1, p0, pairs, joint, 'mixture average', r);
  }

  // RGCR: a user's exposure depends on the priorities and coins of nodes
  // within (scope + clustering reach) hops; beyond, independent (1-hop-max)
  const reach = (mapping.scope === 'own' ? 0 : 1) + clustering.dependenceRadius;
  const pairs = Number.isFinite(reach) ? pairsFrom(o.joint ? balls(g, reach, maxPairs) : null, g.n) : null;
  if (pairs && clustering.dependenceRadius > 1)
    notes.push(`randomized net: pairs more than ${2 * reach} hops apart are treated as independent`);
  return monteCarloBoth(pairs);
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

export { exposureMapping, type ExposureMapping, type MappingSpec } from './mappings.js';
export type { Joint } from './closed-form.js';
export type { PairList } from './pairs.js';
