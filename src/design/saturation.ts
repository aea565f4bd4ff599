// Randomized saturation (two-stage) design (Hudgens & Halloran 2008; Baird
// et al. 2018). Stage 1 gives every cluster a saturation, the share of its
// users to treat, from a set S; stage 2 treats users within each cluster by
// complete randomization at that saturation. Stage 1 is complete, as in
// Baird et al.: with C clusters and K saturations, each saturation goes to
// floor(C/K) clusters, the C mod K clusters left over take distinct
// saturations drawn at random from S, and the clusters are matched to this
// list by a uniformly random permutation, so each cluster's saturation is
// uniform over S. Stage 2 follows randomizr's rule: a cluster of m users at
// saturation s treats floor(s·m) of them, plus one more with probability
// frac(s·m), so every user's marginal is exactly s given the saturation,
// and the mean of S overall. The scenario's `p` must equal that mean (the
// design's marginal treated share): it is checked, not chosen.
//
// Units are the users (identity units, 0/1 doses); each draw reports the
// clusters' saturations (a Draw of kind 'saturation': level[c] indexes the
// sorted set), which the saturation estimator reads.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { openProb } from '../schema-common.js';
import type { Rng } from '../random/streams.js';
import { clusterLabels, type Clustering } from './cluster.js';
import { identityUnits, type Design, type DesignContext, type Draw } from './design.js';
import { clustering, name, type DesignKind } from './schema.js';

/** The number to treat in a cluster of m users at saturation s (before randomizr's extra one): s·m, made exact when it is an integer up to rounding. */
export function saturationCount(s: number, m: number): number {
  const t = s * m;
  return Math.abs(t - Math.round(t)) < 1e-9 ? Math.round(t) : t;
}

/**
 * Stage 1 into `level` (length C): floor(C/K) clusters per saturation, the
 * C mod K left over given distinct saturations at random, then shuffled.
 */
export function drawLevels(rng: Rng, K: number, level: Uint8Array): void {
  const C = level.length;
  const each = Math.floor(C / K);
  let t = 0;
  for (let k = 0; k < K; k++) for (let j = 0; j < each; j++) level[t++] = k;
  // the remainder: the first C - t of a random permutation of 0..K-1 (partial Fisher–Yates)
  const extra = Array.from({ length: K }, (_, k) => k);
  for (let j = 0; t < C; j++, t++) {
    const r = j + Math.floor(rng() * (K - j));
    const v = extra[r]!;
    extra[r] = extra[j]!;
    extra[j] = v;
    level[t] = v;
  }
  for (let i = C - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const v = level[i]!;
    level[i] = level[j]!;
    level[j] = v;
  }
}

/**
 * Stage 2 into `out`: each cluster's count at its saturation `satOf(c)` (one
 * uniform per cluster with a fractional part, in cluster order), then
 * selection sampling per cluster in one pass over the users. `need` and
 * `left` are scratch buffers of one entry per cluster.
 */
export function stage2(
  rng: Rng,
  labels: Int32Array,
  size: Int32Array,
  satOf: (c: number) => number,
  need: Float64Array,
  left: Float64Array,
  out: Uint8Array,
): void {
  for (let c = 0; c < size.length; c++) {
    const t = saturationCount(satOf(c), size[c]!);
    const whole = Math.floor(t);
    need[c] = t > whole && rng() < t - whole ? whole + 1 : whole;
    left[c] = size[c]!;
  }
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    const take = rng() * left[c]! < need[c]!;
    out[i] = take ? 1 : 0;
    left[c]!--;
    if (take) need[c]!--;
  }
}

/**
 * One stage-2 assignment with every cluster at saturation s (the world an
 * inquiry at s is about), drawn by the design's own rule into `out`.
 */
export function treatAtSaturation(rng: Rng, labels: Int32Array, count: number, s: number, out: Uint8Array): void {
  const size = new Int32Array(count);
  for (let i = 0; i < labels.length; i++) size[labels[i]!]!++;
  stage2(rng, labels, size, () => s, new Float64Array(count), new Float64Array(count), out);
}

export function saturationDesign(
  ctx: DesignContext,
  opts: { name: string; p: number; saturations: readonly number[]; clustering: Clustering },
): Design {
  const n = ctx.graph.csr.n;
  const sat = Float64Array.from(new Set(opts.saturations)).sort();
  if (sat.length < 2)
    throw new UserError(
      `design "${opts.name}": saturations need at least two distinct values, got [${opts.saturations.join(', ')}]`,
      'EDESIGN',
    );
  if (sat.length > 255) throw new UserError(`design "${opts.name}": at most 255 saturations`, 'EDESIGN');
  let mean = 0;
  for (const s of sat) mean += s / sat.length;
  if (Math.abs(mean - opts.p) > 1e-9) {
    throw new UserError(
      `design "${opts.name}": p must be the mean of the saturations (every user's marginal treated share), ${mean}; got ${opts.p}`,
      'EDESIGN',
    );
  }
  let found = ctx.clusterings?.get(opts.name);
  if (!found) {
    found = clusterLabels(ctx, opts.clustering, opts.name);
    ctx.clusterings?.set(opts.name, found);
  }
  const { labels, count } = found;
  if (count < sat.length)
    throw new UserError(
      `design "${opts.name}": ${count} clusters for ${sat.length} saturations; each saturation needs a cluster`,
      'EDESIGN',
    );
  const size = new Int32Array(count);
  for (let i = 0; i < n; i++) size[labels[i]!]!++;
  const level = new Uint8Array(count);
  const need = new Float64Array(count);
  const left = new Float64Array(count);
  return {
    name: opts.name,
    type: 'saturation',
    p: opts.p,
    units: identityUnits(n),
    structure: { kind: 'saturation', labels, count, saturations: sat },
    drawUnits(rng, out): Draw {
      drawLevels(rng, sat.length, level);
      stage2(rng, labels, size, (c) => sat[level[c]!]!, need, left, out);
      return { kind: 'saturation', labels, count, level };
    },
  };
}

const saturationSchema = z.strictObject({
  type: z.literal('saturation'),
  name,
  /** every user's marginal treated share: must equal the mean of the saturations */
  p: openProb,
  clustering,
  /** the saturations clusters are given (each to an equal number of clusters); default 0, 0.5, 1 */
  saturations: z.array(z.number().min(0).max(1)).min(2).default([0, 0.5, 1]),
});

export const saturationKind: DesignKind<typeof saturationSchema> = {
  type: 'saturation',
  schema: saturationSchema,
  defaultName: (s) => `saturation:${s.clustering.method}`,
  create: (ctx, s, name) => saturationDesign(ctx, { name, p: s.p, saturations: s.saturations, clustering: s.clustering }),
};
