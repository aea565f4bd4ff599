// Interference detection by randomizing over randomized experiments
// (Saveski et al. 2017): clusters are split at random into two arms; in one
// arm users are randomized individually, in the other whole clusters are.
// Both arms use complete randomization. Without interference both arms
// estimate the same effect; with it, the user-randomized arm is pulled
// towards zero, so a difference between the arms detects interference
// (estimate/saveski.ts). Units are the users, since which users share a
// coin depends on the arm draw.
import { UserError } from '../errors.js';
import type { Rng } from '../random/streams.js';
import { clusterLabels, type Clustering } from './cluster.js';
import { identityUnits, type Design, type DesignContext, type Draw } from './design.js';
import { z } from 'zod';
import { openProb } from '../schema-common.js';
import { clustering, name, type DesignKind } from './schema.js';

export function saveskiDesign(
  ctx: DesignContext,
  opts: { name: string; p: number; clustering: Clustering; clusterArmShare: number },
): Design {
  let found = ctx.clusterings?.get(opts.name);
  if (!found) {
    found = clusterLabels(ctx, opts.clustering, opts.name);
    ctx.clusterings?.set(opts.name, found);
  }
  const { labels, count } = found;
  const A = Math.round(opts.clusterArmShare * count);
  if (A < 2 || count - A < 2) {
    throw new UserError(
      `design "${opts.name}": ${count} clusters split ${A} / ${count - A} between the arms; each arm needs at least 2 clusters`,
      'EDESIGN',
    );
  }
  const n = ctx.graph.csr.n;
  const arm = new Uint8Array(count);
  const coin = new Uint8Array(count);
  const inUserArm: number[] = [];
  return {
    name: opts.name,
    type: 'saveski',
    p: opts.p,
    units: identityUnits(n),
    structure: { kind: 'two-arms', labels, count, clusterArmShare: opts.clusterArmShare },
    drawUnits(rng, out): Draw {
      select(rng, count, A, arm);
      // cluster arm: complete randomization of its clusters
      const armClusters: number[] = [];
      for (let c = 0; c < count; c++) if (arm[c]) armClusters.push(c);
      const pick = new Uint8Array(armClusters.length);
      select(rng, pick.length, Math.round(opts.p * pick.length), pick);
      coin.fill(0);
      armClusters.forEach((c, k) => (coin[c] = pick[k]!));
      // user arm: complete randomization of its users
      inUserArm.length = 0;
      for (let i = 0; i < n; i++) {
        if (arm[labels[i]!]) out[i] = coin[labels[i]!]!;
        else inUserArm.push(i);
      }
      const z = new Uint8Array(inUserArm.length);
      select(rng, z.length, Math.round(opts.p * z.length), z);
      inUserArm.forEach((i, k) => (out[i] = z[k]!));
      return { kind: 'two-arms', labels, count, arm };
    },
  };
}

/** Exactly k of N set to 1, all subsets equally likely (selection sampling). */
function select(rng: Rng, N: number, k: number, out: Uint8Array): void {
  let need = k;
  for (let u = 0; u < N; u++) {
    const take = rng() * (N - u) < need;
    out[u] = take ? 1 : 0;
    if (take) need--;
  }
}

const saveskiSchema = z.strictObject({ type: z.literal('saveski'), name, p: openProb, clustering, clusterArmShare: openProb.default(0.5) });
export const saveskiKind: DesignKind<typeof saveskiSchema> = {
  type: 'saveski',
  schema: saveskiSchema,
  defaultName: (s) => s.type,
  create: (ctx, s, name) => saveskiDesign(ctx, { name, p: s.p, clustering: s.clustering, clusterArmShare: s.clusterArmShare }),
};
