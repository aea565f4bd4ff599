// Registry of estimators.
import { UserError } from '../errors.js';
import type { Estimator } from './estimator.js';
import { differenceInMeans } from './dm.js';
import { clusterDifferenceInMeans } from './cluster-dm.js';
import { hajek, horvitzThompson } from './horvitz-thompson.js';

export const estimators: Record<string, Estimator> = {
  dm: differenceInMeans,
  'cluster-dm': clusterDifferenceInMeans,
  ht: horvitzThompson,
  hajek,
};

/** ids in registry order, for the scenario schema */
export const estimatorIds = Object.keys(estimators) as [string, ...string[]];

export function getEstimator(id: string): Estimator {
  const e = estimators[id];
  if (!e) throw new UserError(`estimator "${id}" is unknown; allowed: ${Object.keys(estimators).join(', ')}`, 'ESCENARIO');
  return e;
}

export type { Estimate, Estimator, EstimatorContext, RepData } from './estimator.js';
export { tQuantile, normalQuantile } from './stats.js';
