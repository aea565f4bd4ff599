// Block randomization (randomizr's block_ra) and block-cluster randomization
// (block_and_cluster_ra): units (users, or whole clusters when a clustering
// is given) are grouped into blocks, and each block is completely
// randomized on its own: block b of m_b units treats p·m_b of them. When
// p·m_b is not an integer, floor(p·m_b) are treated plus one more with
// probability frac(p·m_b), randomizr's rule, so every unit's marginal is
// exactly p (and the realized count varies by at most one).
//
// Blocks come from a node attribute (e.g. dorm; missing values form one
// block of their own), from the generator's ground-truth blocks (SBM), or,
// for clusters, from cluster size: clusters sorted by size (largest first,
// ties by index) are grouped k at a time, a last group of fewer than k
// joining the one before. Clusters must nest in blocks, as randomizr and
// estimatr require: a cluster whose users fall in different blocks is an
// error.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { openProb } from '../schema-common.js';
import { clusterLabels, type Clustering } from './cluster.js';
import {
  drawScheme,
  identityUnits,
  partitionUnits,
  unitSizes,
  type Design,
  type DesignContext,
  type Scheme,
  type Units,
} from './design.js';
import { clustering, name, type DesignKind } from './schema.js';

export type Blocks =
  /** a node attribute; users with a missing value form one block */
  | { attribute: string }
  /** the generator's ground-truth blocks (SBM) */
  | { labels: true }
  /** clusters of similar size, k to a block (block-cluster designs only) */
  | { clusterSize: number };

export type BlockedScheme = Extract<Scheme, { kind: 'blocked' }>;

/** The blocked scheme of units labelled by block (0..B-1): p·m_b expected treated in each. */
export function blockedScheme(block: Int32Array, B: number, p: number): BlockedScheme {
  const size = new Int32Array(B);
  for (let u = 0; u < block.length; u++) size[block[u]!]!++;
  const treated = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const t = p * size[b]!;
    // 0.3·10 is 3.0000000000000004 in floating point: an integer count must stay exact
    treated[b] = Math.abs(t - Math.round(t)) < 1e-9 ? Math.round(t) : t;
  }
  return { kind: 'blocked', block, size, treated };
}

/** Block of each user, relabelled 0..B-1 in order of first appearance. */
function userBlocks(
  ctx: DesignContext,
  blocks: Exclude<Blocks, { clusterSize: number }>,
  name: string,
): { labels: Int32Array; count: number } {
  const n = ctx.graph.csr.n;
  let raw: ArrayLike<number>;
  if ('labels' in blocks) {
    if (!ctx.graph.blocks)
      throw new UserError(`design "${name}": blocks { "labels": true } need a generator with known blocks (sbm)`, 'EDESIGN');
    raw = ctx.graph.blocks;
  } else {
    const col = ctx.graph.attributes?.[blocks.attribute];
    if (!col) {
      const have = Object.keys(ctx.graph.attributes ?? {});
      throw new UserError(
        `design "${name}": block attribute "${blocks.attribute}" not found; the graph has ${have.length ? have.join(', ') : 'no attributes'}`,
        'EDESIGN',
      );
    }
    raw = col;
  }
  const map = new Map<number, number>();
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number.isNaN(raw[i]!) ? NaN : raw[i]!; // Map keys NaN together: missing is one block
    let l = map.get(v);
    if (l === undefined) map.set(v, (l = map.size));
    labels[i] = l;
  }
  return { labels, count: map.size };
}

/** Clusters grouped k at a time by size (largest first, ties by index); a short last group joins the previous one. */
export function sizeBlocks(sizes: ArrayLike<number>, k: number): { labels: Int32Array; count: number } {
  const C = sizes.length;
  const order = Array.from({ length: C }, (_, c) => c).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const count = Math.max(1, Math.floor(C / k));
  const labels = new Int32Array(C);
  order.forEach((c, r) => (labels[c] = Math.min(Math.floor(r / k), count - 1)));
  return { labels, count };
}

export function blockDesign(
  ctx: DesignContext,
  opts: { name: string; p: number; blocks: Blocks; clustering?: Clustering | undefined },
): Design {
  const n = ctx.graph.csr.n;
  let units: Units;
  let block: { labels: Int32Array; count: number };
  if (!opts.clustering) {
    if ('clusterSize' in opts.blocks) {
      throw new UserError(
        `design "${opts.name}": blocks { "clusterSize" } group clusters of similar size, so they need a "clustering"`,
        'EDESIGN',
      );
    }
    units = identityUnits(n);
    block = userBlocks(ctx, opts.blocks, opts.name);
  } else {
    let found = ctx.clusterings?.get(opts.name);
    if (!found) {
      found = clusterLabels(ctx, opts.clustering, opts.name);
      ctx.clusterings?.set(opts.name, found);
    }
    units = partitionUnits(found.labels, found.count);
    if ('clusterSize' in opts.blocks) block = sizeBlocks(unitSizes(units), opts.blocks.clusterSize);
    else {
      // each cluster's block is its users' block, which they must share
      const users = userBlocks(ctx, opts.blocks, opts.name);
      const labels = new Int32Array(found.count).fill(-1);
      let spanning = 0;
      for (let i = 0; i < n; i++) {
        const c = found.labels[i]!;
        if (labels[c] === -1) labels[c] = users.labels[i]!;
        else if (labels[c] !== users.labels[i]! && labels[c] !== -2) ((labels[c] = -2), spanning++);
      }
      if (spanning > 0) {
        throw new UserError(
          `design "${opts.name}": ${spanning} of ${found.count} clusters hold users of different blocks; block-cluster randomization needs clusters nested in blocks (use blocks { "clusterSize": k } to block clusters by size)`,
          'EDESIGN',
        );
      }
      block = relabel(labels);
    }
  }
  if (units.count < 2) throw new UserError(`design "${opts.name}": ${units.count} unit; block randomization needs at least 2`, 'EDESIGN');
  const scheme = blockedScheme(block.labels, block.count, opts.p);
  return {
    name: opts.name,
    type: 'block',
    p: opts.p,
    units,
    structure: { kind: 'fixed', scheme, threadUnits: 0 },
    drawUnits: (rng, out) => drawScheme(scheme, rng, out),
  };
}

/** Labels relabelled 0..B-1 in order of first appearance (blocks holding no cluster drop out). */
function relabel(raw: Int32Array): { labels: Int32Array; count: number } {
  const map = new Map<number, number>();
  const labels = new Int32Array(raw.length);
  for (let c = 0; c < raw.length; c++) {
    let l = map.get(raw[c]!);
    if (l === undefined) map.set(raw[c]!, (l = map.size));
    labels[c] = l;
  }
  return { labels, count: map.size };
}

const blocksSchema = z.union([
  z.strictObject({ attribute: z.string().min(1) }),
  z.strictObject({ labels: z.literal(true) }),
  z.strictObject({ clusterSize: z.number().int().min(2) }),
]);

const blockSchema = z.strictObject({
  type: z.literal('block'),
  name,
  p: openProb,
  /** what the blocks are: an attribute, the generator's blocks, or (with a clustering) clusters of similar size, k to a block */
  blocks: blocksSchema,
  /** when given, whole clusters are the units, blocked (block_and_cluster_ra) */
  clustering: clustering.optional(),
});

const blocksTag = (b: z.input<typeof blocksSchema>) => ('attribute' in b ? b.attribute : 'labels' in b ? 'labels' : `size${b.clusterSize}`);

export const blockKind: DesignKind<typeof blockSchema> = {
  type: 'block',
  schema: blockSchema,
  defaultName: (s) => (s.clustering ? `block-cluster:${s.clustering.method}:${blocksTag(s.blocks)}` : `block:${blocksTag(s.blocks)}`),
  create: (ctx, s, name) => blockDesign(ctx, { name, p: s.p, blocks: s.blocks, clustering: s.clustering }),
};
