// Ego-cluster randomization (Saint-Jacques et al. 2019, LinkedIn): pick egos
// whose ego networks (closed neighbourhoods: the ego and its friends) do not
// overlap, and treat each ego network as one cluster, independently with
// probability p. Every other user is left out of the experiment: no unit,
// dose 0 in every assignment. The inquiry is the effect on the egos (the
// analysis population): an ego's whole neighbourhood shares its coin, so an
// ego is fully exposed exactly when its cluster is treated, and fully in
// control otherwise; the alters are there to expose the egos, not to be
// measured.
//
// The egos, fixed for the experiment from the design's own seeded stream:
// visit the users once in a uniformly random order (a Fisher–Yates shuffle);
// accept a user as an ego when its degree lies in [minDegree, maxDegree] and
// its closed neighbourhood is disjoint from the closed neighbourhood of
// every ego accepted before it. The egos' networks are then pairwise
// disjoint, and the set is maximal: every other user within the degree
// bounds has a closed neighbourhood meeting some ego's. The paper restricts
// ego size the same way; minDegree defaults to 1 (an isolated user has no
// network to be exposed through).
import { UserError } from '../errors.js';
import type { CSR } from '../graph/csr.js';
import { randomOrder } from '../random/streams.js';

export { randomOrder };
import { designPurpose } from '../random/names.js';
import { drawScheme, type Design, type DesignContext, type Units } from './design.js';
import { z } from 'zod';
import { openProb } from '../schema-common.js';
import { name, type DesignKind } from './schema.js';

export interface EgoClusters {
  /** egos[k]: the ego of cluster k, in the order they were accepted */
  readonly egos: Uint32Array;
  /** each user's cluster (its ego's index k), -1 for users in no ego network */
  readonly labels: Int32Array;
}

/**
 * Greedy ego selection over a visit order: a user within the degree bounds
 * becomes an ego when neither it nor any friend is already in an ego network.
 */
export function egoClusters(g: CSR, order: ArrayLike<number>, minDegree = 1, maxDegree = Infinity): EgoClusters {
  const { n, offsets, nbrs } = g;
  const labels = new Int32Array(n).fill(-1);
  const egos: number[] = [];
  for (let t = 0; t < order.length; t++) {
    const v = order[t]!;
    const a = offsets[v]!;
    const b = offsets[v + 1]!;
    if (b - a < minDegree || b - a > maxDegree || labels[v]! >= 0) continue;
    let free = true;
    for (let k = a; k < b && free; k++) free = labels[nbrs[k]!]! < 0;
    if (!free) continue;
    const c = egos.length;
    egos.push(v);
    labels[v] = c;
    for (let k = a; k < b; k++) labels[nbrs[k]!] = c;
  }
  return { egos: Uint32Array.from(egos), labels };
}

/** Units of ego clusters: a user in cluster k has the one unit k, a user in none has no unit. */
export function egoUnits(labels: Int32Array, count: number): Units {
  const n = labels.length;
  const offsets = new Uint32Array(n + 1);
  const list: number[] = [];
  for (let i = 0; i < n; i++) {
    if (labels[i]! >= 0) list.push(labels[i]!);
    offsets[i + 1] = list.length;
  }
  // not a partition: the users outside every ego network belong to no unit
  return { count, offsets, list: Uint32Array.from(list), partition: false };
}

export function egoClusterDesign(
  ctx: DesignContext,
  opts: { name: string; p: number; minDegree: number; maxDegree?: number | undefined },
): Design {
  const g = ctx.graph.csr;
  const maxDegree = opts.maxDegree ?? Infinity;
  if (opts.minDegree > maxDegree)
    throw new UserError(`design "${opts.name}": minDegree ${opts.minDegree} is above maxDegree ${maxDegree}`, 'EDESIGN');
  const { egos, labels } = egoClusters(g, randomOrder(ctx.rng(designPurpose.egoOrder), g.n), opts.minDegree, maxDegree);
  if (egos.length < 2) {
    const bounds = `degree between ${opts.minDegree} and ${maxDegree}`;
    throw new UserError(
      `design "${opts.name}": found ${egos.length} ego with non-overlapping ego networks (${bounds}); ego-cluster randomization needs at least 2`,
      'EDESIGN',
    );
  }
  const population = new Uint8Array(g.n);
  for (const e of egos) population[e] = 1;
  const scheme = { kind: 'bernoulli', p: opts.p } as const;
  return {
    name: opts.name,
    type: 'ego-cluster',
    p: opts.p,
    units: egoUnits(labels, egos.length),
    structure: { kind: 'ego', scheme, egos, population },
    drawUnits: (rng, out) => drawScheme(scheme, rng, out),
  };
}

const degree = z.number().int().min(0);
const egoClusterSchema = z.strictObject({
  type: z.literal('ego-cluster'),
  name,
  p: openProb,
  /** egos need at least this many friends (default 1: no isolated egos) */
  minDegree: degree.default(1),
  /** and at most this many (default: no bound); the paper bounds ego-network size */
  maxDegree: degree.optional(),
});
export const egoClusterKind: DesignKind<typeof egoClusterSchema> = {
  type: 'ego-cluster',
  schema: egoClusterSchema,
  defaultName: (s) => s.type,
  create: (ctx, s, name) => egoClusterDesign(ctx, { name, p: s.p, minDegree: s.minDegree, maxDegree: s.maxDegree }),
};
