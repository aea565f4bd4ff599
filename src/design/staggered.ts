// Staggered rollout (Cortez, Eichhorn & Yu, NeurIPS 2022, "Staggered rollout
// designs enable causal inference under interference without network
// knowledge"; Yu, Airoldi, Borgs & Chayes, PNAS 2022): the treated share
// rises through stages p_0 < p_1 < … < p_T, and a unit once treated stays
// treated. Their Bernoulli staggered rollout draws one uniform U_u per unit
// and treats u at stage t iff U_u < p_t (their code: `Z[t] = (U < P[t])`),
// so each stage's assignment is Bernoulli(p_t) on its own and the treated
// sets are nested. A unit is first treated at stage t with probability
// p_t − p_{t−1} (p_{−1} = 0) and never with probability 1 − p_T.
//
// Units are the users, or the clusters of a clustering (a cluster-level
// rollout: each cluster draws its U and all its users follow it). Each draw
// reports every unit's first treated stage (a Draw of kind 'rollout'), from
// which the polynomial estimator rebuilds every stage's assignment; the
// observed experiment, which every other estimator sees, is the last stage.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { openProb } from '../schema-common.js';
import { clusterLabels } from './cluster.js';
import { identityUnits, partitionUnits, type Design, type DesignContext, type Draw } from './design.js';
import { clustering, name, type DesignKind } from './schema.js';
import type { Clustering } from './cluster.js';

/** at most this many stages (a unit's first stage is a byte, and the value after the last means never) */
export const MAX_STAGES = 254;

/**
 * The stage shares: the given list (strictly increasing, in [0, 1), its last
 * equal to p), or `stages` equal steps from 0 to p: p_t = p·t/stages.
 */
export function stageShares(designName: string, p: number, shares: readonly number[] | undefined, stages: number): Float64Array {
  const out = shares ? Float64Array.from(shares) : Float64Array.from({ length: stages + 1 }, (_, t) => (p * t) / stages);
  const bad = (why: string) => new UserError(`design "${designName}": stage shares [${Array.from(out).join(', ')}] ${why}`, 'EDESIGN');
  if (out.length < 2) throw bad('need at least two stages');
  if (out.length > MAX_STAGES) throw bad(`are more than ${MAX_STAGES} stages`);
  for (let t = 0; t < out.length; t++) {
    if (!(out[t]! >= 0 && out[t]! < 1)) throw bad('must lie in [0, 1)');
    if (t > 0 && !(out[t]! > out[t - 1]!)) throw bad('must be strictly increasing (units once treated stay treated)');
  }
  if (Math.abs(out[out.length - 1]! - p) > 1e-12) throw bad(`must end at p = ${p}, the share treated in the observed (last) stage`);
  return out;
}

export function staggeredDesign(
  ctx: DesignContext,
  opts: { name: string; p: number; shares?: readonly number[]; stages?: number; clustering?: Clustering },
): Design {
  const n = ctx.graph.csr.n;
  const shares = stageShares(opts.name, opts.p, opts.shares, opts.stages ?? 2);
  let units = identityUnits(n);
  if (opts.clustering) {
    let found = ctx.clusterings?.get(opts.name);
    if (!found) {
      found = clusterLabels(ctx, opts.clustering, opts.name);
      ctx.clusterings?.set(opts.name, found);
    }
    if (found.count < 2)
      throw new UserError(
        `design "${opts.name}": the ${opts.clustering.method} clustering found ${found.count} cluster; a cluster-level rollout needs at least 2`,
        'EDESIGN',
      );
    units = partitionUnits(found.labels, found.count);
  }
  const T = shares.length - 1;
  const pT = shares[T]!;
  const stage = new Uint8Array(units.count);
  return {
    name: opts.name,
    type: 'staggered',
    p: pT,
    units,
    structure: { kind: 'rollout', scheme: { kind: 'bernoulli', p: pT }, shares },
    drawUnits(rng, out): Draw {
      for (let u = 0; u < out.length; u++) {
        const U = rng();
        let t = 0;
        while (t <= T && !(U < shares[t]!)) t++;
        stage[u] = t; // T + 1: never treated
        out[u] = t <= T ? 1 : 0;
      }
      return { kind: 'rollout', stage, shares };
    },
  };
}

const staggeredSchema = z.strictObject({
  type: z.literal('staggered'),
  name,
  /** the share treated at the last stage, the observed experiment */
  p: openProb,
  /** the stage shares p_0 < … < p_T (p_T = p); default `stages` equal steps from 0 */
  shares: z.array(z.number().min(0).lt(1)).min(2).max(MAX_STAGES).optional(),
  /** without `shares`: T stages after p_0 = 0, p_t = p·t/T */
  stages: z
    .number()
    .int()
    .min(1)
    .max(MAX_STAGES - 1)
    .default(2),
  /** roll out to the clusters of this clustering instead of to users */
  clustering: clustering.optional(),
});

export const staggeredKind: DesignKind<typeof staggeredSchema> = {
  type: 'staggered',
  schema: staggeredSchema,
  defaultName: (s) => (s.clustering ? `staggered:${s.clustering.method}` : 'staggered'),
  create: (ctx, s, name) => staggeredDesign(ctx, { name, p: s.p, shares: s.shares, stages: s.stages, clustering: s.clustering }),
};
