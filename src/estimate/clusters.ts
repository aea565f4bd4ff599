// Which cluster each user is in, for the estimators that regress at the
// user level with cluster-robust variances (cr2, wild, lin, cuped): the
// design's fixed partition, or under RGCR and mixtures the replication's
// own clustering (the variance is then conditional on it). User-level
// designs have no clusters (HC2 for lin and cuped).
import type { Design } from '../design/index.js';
import { populationFor } from './population.js';
import type { RepData } from './estimator.js';

export interface Clusters {
  readonly label: ArrayLike<number>;
  readonly count: number;
}

/** Why clustered regression does not apply to the design; null when it does. */
export function clusteredNotApplicable(d: Design, individualOk: boolean): string | null {
  switch (d.structure.kind) {
    case 'two-arms':
      return 'its two arms are randomized differently; use the saveski test';
    case 'saturation':
      return 'clusters are treated in part (at their drawn saturation); use the saturation estimator';
    case 'ego':
      return 'an analysis population (egos) is not supported by this estimator yet';
    case 'random-clustering':
      return null;
    // a rollout's observed (last) stage is its fixed units under independent coins
    case 'rollout':
    case 'fixed':
      if (populationFor(d)) return 'an analysis population is not supported by this estimator yet';
      if (!d.units.partition) return 'units overlap (threads): no partition into clusters';
      if (!individualOk && d.units.identity) return 'every cluster is one user: use dm';
      return null;
  }
}

/** Per replication: the users' clusters, null for user-level designs (no clusters), undefined when the draw reported none. */
export function clustersFor(design: Design): (rep: RepData) => Clusters | null | undefined {
  if (design.structure.kind === 'random-clustering')
    return (rep) => (rep.draw && rep.draw.kind === 'clustering' ? { label: rep.draw.labels, count: rep.draw.count } : undefined);
  if (design.units.identity) return () => null;
  const c = { label: design.units.list, count: design.units.count };
  return () => c;
}
