// Exposure probabilities for any design and mapping, by the cheapest exact
// route available: enumeration (few units), closed forms (fixed units), an
// exact average over a mixture's clusterings; Monte Carlo otherwise. Joint
// probabilities are kept only for pairs whose exposures can be dependent.
import type { CSR } from '../../graph/csr.js';
import { partitionUnits, type Design } from '../../design/design.js';
import { closedJoints, closedMarginals, hasClosedForm, type Joint } from './closed-form.js';
import { enumerate, ENUMERATION_MAX_UNITS } from './enumerate.js';
import type { ExposureMapping } from './mappings.js';
import { monteCarlo } from './monte-carlo.js';
import { balls, concatSets, dependentPairs, mapSets, MAX_PAIRS, type PairList } from './pairs.js';
import { unitSets } from './sets.js';

/** Pair visits allowed for Monte Carlo joint probabilities (draws x dependent pairs). */
export const JOINT_BUDGET = 2e8;

export interface ExposureProbabilities {
  readonly p1: Float64Array;
  readonly p0: Float64Array;
  /** dependent pairs with their joint probabilities; null when not asked for or too many */
  readonly pairs: (PairList & Joint) | null;
  readonly method: 'enumeration' | 'closed form' | 'mixture average' | 'monte carlo';
  /** Monte Carlo draws behind the marginals (0 when exact) and for the joints */
  readonly draws: number;
  readonly jointDraws: number;
  /** largest and median relative standard error of the marginals (0 when exact) */
  readonly maxRelSE: number;
  readonly medianRelSE: number;
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
  const rc = design.randomClustering;
  const mc = (marginals: boolean, pairs: PairList | null) =>
    monteCarlo(g, design, mapping, { draws: marginals ? o.draws : jointDraws(pairs), batches: o.batches, seed: o.seed, marginals, pairs });
  // counting joint exposures costs draws x pairs: cap the work, say so
  const jointDraws = (pairs: PairList | null, say = true) => {
    const cap = Math.max(o.batches * 5, Math.floor(JOINT_BUDGET / Math.max(1, pairs?.other.length ?? 1)));
    const d = pairs && cap < o.draws ? o.batches * Math.floor(cap / o.batches) : o.draws;
    if (d < o.draws && say) notes.push(`joint probabilities from ${d} draws (not ${o.draws}): ${pairs!.other.length.toLocaleString('en-US')} dependent pairs`);
    return d;
  };
  const finish = (p1: Float64Array, p0: Float64Array, pairs: PairList | null, joint: Joint | null, method: ExposureProbabilities['method'], draws = 0, jointDraws = 0, se: Float64Array[] = []) => {
    const rel = relativeSE(p1, p0, se);
    let zero1 = 0, zero0 = 0;
    for (let i = 0; i < g.n; i++) (zero1 += p1[i]! > 0 ? 0 : 1), (zero0 += p0[i]! > 0 ? 0 : 1);
    const both = pairs && joint ? { ...pairs, ...joint } : null;
    return { p1, p0, pairs: both, method, draws, jointDraws, maxRelSE: rel.max, medianRelSE: rel.median, zero1, zero0, notes };
  };
  // marginals from every draw; joints (the costly part) from a budgeted share of them
  const monteCarloBoth = (pairs: PairList | null) => {
    const r = mc(true, pairs && jointDraws(pairs, false) === o.draws ? pairs : null);
    if (r.joint || !pairs) return finish(r.p1!, r.p0!, pairs, r.joint, 'monte carlo', r.draws, r.joint ? r.draws : 0, [r.se1!, r.se0!]);
    const j = mc(false, pairs);
    return finish(r.p1!, r.p0!, pairs, j.joint, 'monte carlo', r.draws, j.draws, [r.se1!, r.se0!]);
  };
  const maxPairs = o.maxPairs ?? MAX_PAIRS;
  /** blocks null: already known to give too many pairs */
  const pairsFrom = (blocks: ReturnType<typeof unitSets> | null, count: number) => {
    if (!o.joint) return null;
    const p = blocks && dependentPairs(g.n, blocks, count, maxPairs);
    if (!p) notes.push(`more than ${maxPairs.toLocaleString('en-US')} dependent pairs: no variance estimate`);
    return p;
  };

  if (!rc) {
    const { units, scheme } = design;
    if (units.count <= ENUMERATION_MAX_UNITS && g.n <= 64) {
      const e = enumerate(g, design, mapping);
      return finish(e.p1, e.p0, e.pairs, e.joint, 'enumeration');
    }
    const sets = unitSets(g, units, mapping.scope);
    let blocks = sets;
    if (scheme.kind === 'paired') blocks = mapSets(sets, (u) => Math.min(u, scheme.partner[u]! < 0 ? u : scheme.partner[u]!), units.count);
    if (scheme.kind === 'complete') notes.push('complete randomization: pairs sharing no unit are treated as independent (their small covariances are left out)');
    const pairs = pairsFrom(blocks, units.count);
    if (hasClosedForm(units, scheme, mapping)) {
      const { p1, p0 } = closedMarginals(g, units, scheme, mapping);
      // blocks are the unit sets themselves except for paired schemes
      let joint = pairs ? closedJoints(g, units, scheme, mapping, pairs, scheme.kind === 'paired' ? sets : undefined) : null;
      let used = 0;
      if (pairs && !joint) {
        const r = mc(false, pairs);
        (joint = r.joint), (used = r.draws);
      }
      return finish(p1, p0, pairs, joint, 'closed form', 0, used);
    }
    return monteCarloBoth(pairs);
  }

  if (rc.kind === 'mixture' && rc.fixed) {
    const bern = { kind: 'bernoulli', p: rc.p } as const;
    const all = rc.fixed.map((c) => partitionUnits(c.labels, c.count));
    const K = all.length;
    const p1 = new Float64Array(g.n);
    const p0 = new Float64Array(g.n);
    for (const u of all) {
      const m = closedMarginals(g, u, bern, mapping);
      for (let i = 0; i < g.n; i++) (p1[i]! += m.p1[i]! / K), (p0[i]! += m.p0[i]! / K);
    }
    const shifts: number[] = [];
    let total = 0;
    for (const u of all) shifts.push(total), (total += u.count);
    const pairs = pairsFrom(concatSets(all.map((u) => unitSets(g, u, mapping.scope)), shifts), total);
    if (pairs) notes.push('mixture: pairs sharing no cluster in any clustering are treated as independent');
    let joint: Joint | null = null;
    let used = 0;
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
      const r = mc(false, pairs);
      (joint = r.joint), (used = r.draws);
    }
    return finish(p1, p0, pairs, joint, 'mixture average', 0, used);
  }

  // RGCR: a user's exposure depends on the priorities and coins of nodes
  // within (scope + clustering reach) hops; beyond, independent (1-hop-max)
  const reach = (mapping.scope === 'own' ? 0 : 1) + rc.dependenceRadius;
  const pairs = Number.isFinite(reach) ? pairsFrom(o.joint ? balls(g, reach, maxPairs) : null, g.n) : null;
  if (pairs && rc.dependenceRadius > 1) notes.push(`randomized net: pairs more than ${2 * reach} hops apart are treated as independent`);
  return monteCarloBoth(pairs);
}

function relativeSE(p1: Float64Array, p0: Float64Array, se: Float64Array[]): { max: number; median: number } {
  if (se.length < 2) return { max: 0, median: 0 };
  const rel: number[] = [];
  for (let i = 0; i < p1.length; i++) {
    if (p1[i]! > 0) rel.push(se[0]![i]! / p1[i]!);
    if (p0[i]! > 0) rel.push(se[1]![i]! / p0[i]!);
  }
  rel.sort((a, b) => a - b);
  return { max: rel[rel.length - 1] ?? 0, median: rel[rel.length >> 1] ?? 0 };
}

export { exposureMapping, type ExposureMapping, type MappingSpec } from './mappings.js';
export type { Joint } from './closed-form.js';
export type { PairList } from './pairs.js';
