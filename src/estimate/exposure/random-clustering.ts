// Exposure probabilities when the clustering is random: a mixture's are the
// exact average over its K clusterings (marginals and joints); RGCR's are
// Monte Carlo over independent clusterings, Rao–Blackwellised (monte-carlo.ts).
import { partitionUnits, type RandomClustering } from '../../design/design.js';
import { closedMarginals, type Joint } from './closed-form.js';
import { ClusterBlock } from './cluster-sets.js';
import type { McResult } from './monte-carlo.js';
import { concatSets, pairArray } from './pairs.js';
import { pairsWithin } from './within.js';
import type { Route } from './route.js';
import { unitSets } from './sets.js';
import type { ExposureProbabilities } from './types.js';

export function randomClustering(r: Route, clustering: RandomClustering): ExposureProbabilities {
  return clustering.kind === 'mixture' && clustering.fixed ? mixture(r, clustering.p, clustering.fixed) : rgcr(r, clustering);
}

function mixture(r: Route, p: number, fixed: readonly { labels: Int32Array; count: number }[]): ExposureProbabilities {
  const { g, mapping, notes } = r;
  const bern = { kind: 'bernoulli', p } as const;
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
  const pairs = r.pairsFrom(
    concatSets(
      all.map((u) => unitSets(g, u, mapping.scope)),
      shifts,
    ),
    total,
  );
  if (pairs) notes.push('mixture: pairs sharing no cluster in any clustering are treated as independent');
  let joint: Joint | null = null;
  let mc: McResult | undefined;
  if (pairs && mapping.spec.kind !== 'fractional') {
    // exact given each clustering (cluster-sets.ts), summed, then divided by K
    const m = pairs.other.length;
    const f = () => new Float64Array(m);
    const c = [1, 2, 3, 4].map(() => pairArray(Float64Array, m)); // the joints, in shared memory (pairs.ts)
    const sq = [f(), f()];
    const apart = new Uint32Array(m);
    const block = new ClusterBlock(g, mapping.scope === 'own', p);
    for (const u of fixed) {
      block.slot().build(u.labels, u.count);
      if (block.keep()) block.flush(pairs, c, sq, apart);
    }
    block.flush(pairs, c, sq, apart);
    for (const a of c) for (let k = 0; k < m; k++) a[k]! /= K;
    joint = { p11: c[0]!, p00: c[1]!, p10: c[2]!, p01: c[3]! };
  } else if (pairs) {
    // fractional joints: counted over independent draws of the mixture (a uniformly chosen clustering, then coins)
    mc = r.mc(false, pairs);
    joint = mc.joint;
  }
  return r.finish(p1, p0, pairs, joint, 'mixture average', mc);
}

function rgcr(r: Route, clustering: RandomClustering): ExposureProbabilities {
  const { g, mapping, o, notes } = r;
  // a user's exposure depends on the priorities and coins of nodes within
  // (scope + clustering reach) hops; beyond, independent (1-hop-max)
  const reach = (mapping.scope === 'own' ? 0 : 1) + clustering.dependenceRadius;
  // users whose balls of that radius meet: those at most twice it apart, by
  // one search per user (within.ts), counted and checked against the memory
  // budget before they are listed
  const limit = r.limit;
  const fits = (count: number, atLeast: boolean) => {
    if (limit && count > limit.max) throw limit.refuse(count, atLeast ? 'at least' : 'exact');
    return true;
  };
  const listed = Number.isFinite(reach) && o.joint;
  const pairs = listed ? pairsWithin(g, 2 * reach, fits, limit?.max) : null;
  if (listed && !pairs) notes.push('more than 2^32 dependent pairs, which 32-bit offsets cannot index: no variance');
  if (pairs && clustering.dependenceRadius > 1)
    notes.push(`randomized net: pairs more than ${2 * reach} hops apart are treated as independent`);
  return r.monteCarloBoth(pairs);
}
