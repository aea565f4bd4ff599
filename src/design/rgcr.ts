// Randomized graph cluster randomization (Ugander & Yin 2023): every
// assignment draws a fresh random clustering (randomized 3-net or 1-hop-max)
// and then treats each cluster with probability p. Averaging over
// clusterings means no user is stuck in an unlucky clustering, which keeps
// exposure probabilities away from 0. A mixture draws one of K fixed
// clusterings instead, so its probabilities are exact averages.
// Units are the users: which users share a coin changes from draw to draw.
import { UserError } from '../errors.js';
import type { Rng } from '../random/streams.js';
import { identityUnits, type Design, type DesignContext, type Draw, type RandomClustering } from './design.js';
import { netClustering, oneHopMax, priorities } from './nets.js';
import { z } from 'zod';
import { LIMITS, boundedInt, openProb } from '../schema-common.js';
import { name, randomClustering, type DesignKind } from './schema.js';
import { designPurpose } from '../random/names.js';

export type RandomMethod = { method: 'net'; radius: number; ties?: 'random-order' | 'visit-order' } | { method: 'one-hop-max' };

function clusterer(ctx: DesignContext, m: RandomMethod) {
  const g = ctx.graph.csr;
  const pr = new Float64Array(g.n);
  const tie = new Float64Array(g.n);
  return (rng: Rng) => {
    priorities(rng, g.n, pr);
    if (m.method === 'one-hop-max') return oneHopMax(g, pr);
    // the second, independent ordering of the seeds that breaks ties
    return netClustering(g, m.radius, pr, m.ties === 'visit-order' ? 'visit-order' : priorities(rng, g.n, tie));
  };
}

function design(ctx: DesignContext, name: string, type: string, p: number, rc: RandomClustering): Design {
  const n = ctx.graph.csr.n;
  const labels = new Int32Array(n);
  let coins = new Uint8Array(0);
  return {
    name,
    type,
    p,
    // users are the units: which users share a coin changes from draw to draw
    units: identityUnits(n),
    structure: { kind: 'random-clustering', clustering: rc },
    drawUnits(rng, out): Draw {
      const count = rc.draw(rng, labels);
      if (coins.length < count) coins = new Uint8Array(count);
      for (let c = 0; c < count; c++) coins[c] = rng() < p ? 1 : 0;
      for (let i = 0; i < n; i++) out[i] = coins[labels[i]!]!;
      return { kind: 'clustering', labels, count };
    },
  };
}

export function rgcrDesign(ctx: DesignContext, opts: { name: string; p: number; clustering: RandomMethod }): Design {
  const draw = clusterer(ctx, opts.clustering);
  const rc: RandomClustering = {
    kind: 'rgcr',
    p: opts.p,
    draw(rng, labels) {
      const c = draw(rng);
      labels.set(c.labels);
      return c.count;
    },
    // 1-hop-max: a user's cluster is fixed by its closed neighbourhood's
    // priorities; a net's reaches radius - 1 hops (and weakly further)
    dependenceRadius: opts.clustering.method === 'one-hop-max' ? 1 : opts.clustering.radius - 1,
  };
  return design(ctx, opts.name, 'rgcr', opts.p, rc);
}

export function mixtureDesign(ctx: DesignContext, opts: { name: string; p: number; clustering: RandomMethod; k: number }): Design {
  if (!(Number.isInteger(opts.k) && opts.k >= 1))
    throw new UserError(`design "${opts.name}": k must be a positive integer, got ${opts.k}`, 'EDESIGN');
  const draw = clusterer(ctx, opts.clustering);
  const fixed = Array.from({ length: opts.k }, (_, m) => draw(ctx.rng(designPurpose.mixture(m))));
  const rc: RandomClustering = {
    kind: 'mixture',
    p: opts.p,
    fixed,
    draw(rng, labels) {
      const m = Math.floor(rng() * fixed.length);
      labels.set(fixed[m]!.labels);
      return fixed[m]!.count;
    },
    dependenceRadius: Infinity,
  };
  return design(ctx, opts.name, 'mixture', opts.p, rc);
}

const rgcrSchema = z.strictObject({ type: z.literal('rgcr'), name, p: openProb, clustering: randomClustering });
export const rgcrKind: DesignKind<typeof rgcrSchema> = {
  type: 'rgcr',
  schema: rgcrSchema,
  defaultName: (s) => `rgcr:${s.clustering.method}`,
  create: (ctx, s, name) => rgcrDesign(ctx, { name, p: s.p, clustering: s.clustering }),
};

const mixtureSchema = z.strictObject({
  type: z.literal('mixture'),
  name,
  p: openProb,
  clustering: randomClustering,
  k: boundedInt(1, LIMITS.mixtureK, 'clusterings kept, each n labels'),
});
export const mixtureKind: DesignKind<typeof mixtureSchema> = {
  type: 'mixture',
  schema: mixtureSchema,
  defaultName: (s) => `mixture:${s.k}`,
  create: (ctx, s, name) => mixtureDesign(ctx, { name, p: s.p, clustering: s.clustering, k: s.k }),
};
