// Graph cluster randomization (Ugander et al. 2013): partition users into
// clusters and randomize the clusters: independently with probability p,
// completely (exactly round(p·C) treated), or in pairs of similar size
// (one of each pair treated). The clustering is computed once per scenario,
// from its own seeded stream.
import { UserError } from '../errors.js';
import { louvainCSR } from './louvain-csr.js';
import { drawScheme, partitionUnits, unitSizes, type Design, type DesignContext, type Scheme } from './design.js';
import { netClustering, oneHopMax, priorities } from './nets.js';
import { z } from 'zod';
import { openProb } from '../schema-common.js';
import { clustering, name, type DesignKind } from './schema.js';
import { designPurpose } from '../random/names.js';

export type Clustering =
  | { method: 'louvain'; resolution: number }
  /** the generator's ground-truth blocks (SBM) */
  | { method: 'blocks' }
  /**
   * a node attribute from a loaded graph (e.g. dorm, department); NaN users
   * become singletons. 0 is a value (department 0 exists): declare codes
   * such as Facebook100's 0 = missing with the graph's missingZero.
   */
  | { method: 'attribute'; attribute: string }
  /** r-net of the graph metric (r = 3: the 3-net), seeds in a random order */
  | { method: 'net'; radius: number; ties?: 'random-order' | 'visit-order' }
  /** each user joins the highest-priority member of its closed neighbourhood */
  | { method: 'one-hop-max' };

export type ClusterAssignment = 'bernoulli' | 'complete' | 'paired';

/** Cluster label per user, relabelled 0..count-1 in order of first appearance. */
export function clusterLabels(ctx: DesignContext, c: Clustering, name: string): { labels: Int32Array; count: number } {
  const n = ctx.graph.csr.n;
  const raw = new Float64Array(n);
  if (c.method === 'louvain') {
    const rng = ctx.rng(designPurpose.louvain(c.resolution));
    // typed-array Louvain: building a graphology Graph would dominate at scale
    raw.set(louvainCSR(ctx.graph.csr, { rng, resolution: c.resolution }).labels);
  } else if (c.method === 'blocks') {
    if (!ctx.graph.blocks)
      throw new UserError(`design "${name}": clustering "blocks" needs a generator with known blocks (sbm)`, 'EDESIGN');
    raw.set(ctx.graph.blocks);
  } else if (c.method === 'net' || c.method === 'one-hop-max') {
    const rng = ctx.rng(c.method === 'net' ? designPurpose.net(c.radius) : designPurpose.oneHopMax);
    const pr = priorities(rng, n);
    if (c.method === 'one-hop-max') return oneHopMax(ctx.graph.csr, pr);
    return netClustering(ctx.graph.csr, c.radius, pr, c.ties === 'visit-order' ? 'visit-order' : priorities(rng, n));
  } else {
    const col = ctx.graph.attributes?.[c.attribute];
    if (!col) {
      const have = Object.keys(ctx.graph.attributes ?? {});
      throw new UserError(
        `design "${name}": clustering attribute "${c.attribute}" not found; the graph has ${have.length ? have.join(', ') : 'no attributes'}`,
        'EDESIGN',
      );
    }
    // missing values get a cluster each, so they are still randomized
    let next = -1;
    for (let i = 0; i < n; i++) raw[i] = Number.isNaN(col[i]!) ? next-- : col[i]!;
  }
  const map = new Map<number, number>();
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let l = map.get(raw[i]!);
    if (l === undefined) map.set(raw[i]!, (l = map.size));
    labels[i] = l;
  }
  return { labels, count: map.size };
}

export function clusterDesign(
  ctx: DesignContext,
  opts: { name: string; p: number; clustering: Clustering; assignment?: ClusterAssignment },
): Design {
  let found = ctx.clusterings?.get(opts.name);
  if (!found) {
    found = clusterLabels(ctx, opts.clustering, opts.name);
    ctx.clusterings?.set(opts.name, found);
  }
  const { labels, count } = found;
  if (count < 2) {
    throw new UserError(
      `design "${opts.name}": the ${opts.clustering.method} clustering found ${count} cluster; cluster randomization needs at least 2 (with one, every user shares one coin and there is never a contrast)`,
      'EDESIGN',
    );
  }
  const units = partitionUnits(labels, count);
  const { scheme, p } = clusterScheme(opts.name, opts.assignment ?? 'bernoulli', opts.p, units.count, unitSizes(units));
  return {
    name: opts.name,
    type: 'cluster',
    p,
    units,
    structure: { kind: 'fixed', scheme, threadUnits: 0 },
    drawUnits: (rng, out) => drawScheme(scheme, rng, out),
  };
}

/** The scheme randomizing C clusters, and the marginal probability it gives. */
export function clusterScheme(
  name: string,
  how: ClusterAssignment,
  p: number,
  C: number,
  sizes: Float64Array,
): { scheme: Scheme; p: number } {
  if (how === 'bernoulli') return { scheme: { kind: 'bernoulli', p }, p };
  if (how === 'complete') {
    const treated = Math.round(p * C);
    if (treated < 1 || treated > C - 1) {
      throw new UserError(
        `design "${name}": complete randomization of ${C} clusters with p = ${p} treats ${treated}; need at least one treated and one control cluster`,
        'EDESIGN',
      );
    }
    return { scheme: { kind: 'complete', treated }, p: treated / C };
  }
  if (p !== 0.5)
    throw new UserError(`design "${name}": paired assignment treats one cluster of each pair, so p must be 0.5, got ${p}`, 'EDESIGN');
  // sort by size (ties by index) and pair neighbours; an odd one out gets its own coin
  const order = Array.from({ length: C }, (_, k) => k).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const partner = new Int32Array(C).fill(-1);
  for (let t = 0; t + 1 < C; t += 2) ((partner[order[t]!] = order[t + 1]!), (partner[order[t + 1]!] = order[t]!));
  return { scheme: { kind: 'paired', partner }, p: 0.5 };
}

const clusterSchema = z.strictObject({
  type: z.literal('cluster'),
  name,
  p: openProb,
  clustering,
  /** independent coins, exactly round(p·C) treated, or pairs of similar size (p = 0.5) */
  assignment: z.enum(['bernoulli', 'complete', 'paired']).default('bernoulli'),
});
export const clusterKind: DesignKind<typeof clusterSchema> = {
  type: 'cluster',
  schema: clusterSchema,
  defaultName: (s) => `cluster:${s.clustering.method}`,
  create: (ctx, s, name) => clusterDesign(ctx, { name, p: s.p, clustering: s.clustering, assignment: s.assignment }),
};
