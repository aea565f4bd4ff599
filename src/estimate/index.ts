// Registry of estimators: plain ids, plus option objects for the exposure
// estimators (see schema.ts).
import { UserError } from '../errors.js';
import type { Estimator } from './estimator.js';
import { differenceInMeans } from './dm.js';
import { clusterDifferenceInMeans } from './cluster-dm.js';
import { hajek, horvitzThompson, ipwEstimator } from './horvitz-thompson.js';
import { saveskiTest } from './saveski.js';
import type { EstimatorObject } from './schema.js';

export const estimators: Record<string, Estimator> = {
  dm: differenceInMeans,
  'cluster-dm': clusterDifferenceInMeans,
  ht: horvitzThompson,
  hajek,
  saveski: saveskiTest,
};

/** ids in registry order, for the scenario schema */
export const estimatorIds = Object.keys(estimators) as [string, ...string[]];

/** What a scenario runs when it names no estimators. */
export const defaultEstimators = ['dm', 'cluster-dm', 'ht', 'hajek'];

export function getEstimator(id: string): Estimator {
  const e = estimators[id];
  if (!e) throw new UserError(`estimator "${id}" is unknown; allowed: ${Object.keys(estimators).join(', ')}`, 'ESCENARIO');
  return e;
}

/** An estimator from its scenario entry; its id is the label used in results. */
export function estimatorFromSpec(spec: string | EstimatorObject): Estimator {
  if (typeof spec === 'string') return getEstimator(spec);
  const e = ipwEstimator(spec.estimator, { mapping: spec.exposure, draws: spec.draws, batches: spec.batches });
  const ex = spec.exposure;
  const tag = ex.kind === 'fractional' ? `q${ex.q}` : ex.kind;
  return { ...e, id: spec.name ?? `${spec.estimator}:${tag}` };
}

export type { Estimate, Estimator, EstimatorContext, RepData } from './estimator.js';
export { estimatorObjectSchema, exposureSchema, type EstimatorObject } from './schema.js';
export { ipwEstimator, probabilitiesFor, IPW_DEFAULTS, type IpwOptions } from './horvitz-thompson.js';
export { tQuantile, normalQuantile } from './stats.js';
