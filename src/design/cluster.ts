// Graph cluster randomization (Ugander et al. 2013): partition users into
// clusters, treat each cluster independently with probability p. The
// clustering is computed once per scenario, from its own seeded stream.
import { UserError } from '../errors.js';
import { louvainCSR } from './louvain-csr.js';
import { drawScheme, partitionUnits, type Design, type DesignContext } from './design.js';

export type Clustering =
  | { method: 'louvain'; resolution: number }
  /** the generator's ground-truth blocks (SBM) */
  | { method: 'blocks' }
  /** a node attribute from a loaded graph (e.g. dorm); missing (0 or NaN) users become singletons */
  | { method: 'attribute'; attribute: string };

/** Cluster label per user, relabelled 0..count-1 in order of first appearance. */
export function clusterLabels(ctx: DesignContext, c: Clustering, name: string): { labels: Int32Array; count: number } {
  const n = ctx.graph.csr.n;
  const raw = new Float64Array(n);
  if (c.method === 'louvain') {
    const rng = ctx.rng(`louvain/${c.resolution}`);
    // typed-array Louvain: building a graphology Graph would dominate at scale
    raw.set(louvainCSR(ctx.graph.csr, { rng, resolution: c.resolution }).labels);
  } else if (c.method === 'blocks') {
    if (!ctx.graph.blocks) throw new UserError(`design "${name}": clustering "blocks" needs a generator with known blocks (sbm)`, 'EDESIGN');
    raw.set(ctx.graph.blocks);
  } else {
    const col = ctx.graph.attributes?.[c.attribute];
    if (!col) {
      const have = Object.keys(ctx.graph.attributes ?? {});
      throw new UserError(`design "${name}": clustering attribute "${c.attribute}" not found; the graph has ${have.length ? have.join(', ') : 'no attributes'}`, 'EDESIGN');
    }
    // missing values get a cluster each, so they are still randomized
    let next = -1;
    for (let i = 0; i < n; i++) raw[i] = col[i] === 0 || Number.isNaN(col[i]!) ? next-- : col[i]!;
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

export function clusterDesign(ctx: DesignContext, opts: { name: string; p: number; clustering: Clustering }): Design {
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
  const scheme = { kind: 'bernoulli', p: opts.p } as const;
  return { name: opts.name, type: 'cluster', p: opts.p, scheme, units, drawUnits: (rng, out) => drawScheme(scheme, rng, out) };
}
