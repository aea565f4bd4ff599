// Registry of designs: adding one is a module plus a line here and in the
// scenario schema.
import { UserError } from '../errors.js';
import type { Design, DesignContext } from './design.js';
import { userBernoulli, userComplete } from './user.js';
import { threadDesign } from './thread.js';
import { clusterDesign } from './cluster.js';
import { mixtureDesign, rgcrDesign } from './rgcr.js';
import { saveskiDesign } from './saveski.js';
import type { z } from 'zod';
import { designSchema } from './schema.js';

/** A design as written in a scenario (defaults optional). */
export type DesignSpec = z.input<typeof designSchema>;

export function designName(spec: DesignSpec): string {
  if (spec.name) return spec.name;
  if (spec.type === 'cluster') return `cluster:${spec.clustering.method}`;
  if (spec.type === 'rgcr') return `rgcr:${spec.clustering.method}`;
  if (spec.type === 'mixture') return `mixture:${spec.k}`;
  return spec.type;
}

/** Index of the design a user names: by name, else the first of that scenario type; -1 when none. */
export function findDesign(specs: readonly DesignSpec[], want: string): number {
  const byName = specs.findIndex((d) => designName(d) === want);
  return byName >= 0 ? byName : specs.findIndex((d) => d.type === want);
}

export function createDesign(ctx: DesignContext, input: DesignSpec): Design {
  // fills defaults for callers that build specs in code; scenarios arrive validated
  const spec = designSchema.parse(input);
  const name = designName(spec);
  if (!(spec.p > 0 && spec.p < 1)) {
    throw new UserError(`design "${name}": p must be strictly between 0 and 1, got ${spec.p} (with p = 0 or 1 one arm is always empty)`, 'EDESIGN');
  }
  switch (spec.type) {
    case 'user-bernoulli':
      return userBernoulli(ctx, { name, p: spec.p });
    case 'user-complete':
      return userComplete(ctx, { name, p: spec.p });
    case 'thread':
      return threadDesign(ctx, { name, p: spec.p });
    case 'cluster':
      return clusterDesign(ctx, { name, p: spec.p, clustering: spec.clustering, assignment: spec.assignment });
    case 'rgcr':
      return rgcrDesign(ctx, { name, p: spec.p, clustering: spec.clustering });
    case 'mixture':
      return mixtureDesign(ctx, { name, p: spec.p, clustering: spec.clustering, k: spec.k });
    case 'saveski':
      return saveskiDesign(ctx, { name, p: spec.p, clustering: spec.clustering, clusterArmShare: spec.clusterArmShare });
  }
}

export type { Assignment, Design, DesignContext, Draw, Units, Scheme, RandomClustering, Structure } from './design.js';
export { assignment, doseOf, drawScheme, randomClusteringOf, unitSizes, withinClusterShare, partitionUnits, identityUnits } from './design.js';
export { netClustering, oneHopMax, priorities } from './nets.js';
export { clusterLabels } from './cluster.js';
