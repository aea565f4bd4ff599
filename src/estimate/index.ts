// Registry of estimators: one EstimatorKind per module (schema.ts), listed
// once here. The scenario's ids, the object form (for kinds that take
// exposure options), the default list and the factory come from this list;
// adding an estimator is its module plus one entry in `estimatorKinds`.
import { UserError } from '../errors.js';
import type { Estimator } from './estimator.js';
import { dmKind } from './dm.js';
import { clusterDmKind } from './cluster-dm.js';
import { hajekKind, htKind } from './horvitz-thompson.js';
import { saveskiKind } from './saveski.js';
import { blockedDmKind } from './blocked-dm.js';
import { saturationFromObject, saturationKind, type SaturationObject } from './saturation.js';
import { estimatorObjectSchemaFor, type EstimatorKind, type EstimatorObject } from './schema.js';
import { cr2Kind } from './cr2.js';
import { wildKind } from './wild.js';
import { fisherKind } from './fisher.js';
import { chinKind } from './chin.js';
import { aeiKind } from './aei.js';
import { adjustedFromObject, adjustedObjectSchema, cupedKind, linKind, type AdjustedObject } from './lin.js';
import { polynomialFromObject, polynomialKind, type PolynomialObject } from './polynomial.js';
import { snipeKind } from './snipe.js';

/** Every estimator kind, in the order scenarios' defaults and error messages list them. */
export const estimatorKinds: readonly EstimatorKind[] = [
  dmKind,
  clusterDmKind,
  htKind,
  hajekKind,
  saveskiKind,
  blockedDmKind,
  saturationKind,
  cr2Kind,
  wildKind,
  linKind,
  cupedKind,
  fisherKind,
  chinKind,
  aeiKind,
  polynomialKind,
  snipeKind,
];

export const estimators: Record<string, Estimator> = Object.fromEntries(estimatorKinds.map((k) => [k.type, k.estimator]));

const nonEmpty = (ids: string[]) => ids as [string, ...string[]];

/** ids in registry order, for the scenario schema */
export const estimatorIds = nonEmpty(estimatorKinds.map((k) => k.type));

/** What a scenario runs when it names no estimators. */
export const defaultEstimators = estimatorKinds.filter((k) => k.byDefault).map((k) => k.type);

/** The object form of a scenario's estimator entry: the kinds that take exposure options. */
export const estimatorObjectSchema = estimatorObjectSchemaFor(nonEmpty(estimatorKinds.filter((k) => k.withOptions).map((k) => k.type)));

/** The object form of lin, cuped (covariates), wild (bootstrap options) and cr2 (a name): lin.ts. */
export { adjustedObjectSchema };

export function estimatorKind(id: string): EstimatorKind {
  const k = estimatorKinds.find((e) => e.type === id);
  if (!k) throw new UserError(`estimator "${id}" is unknown; allowed: ${estimatorIds.join(', ')}`, 'ESCENARIO');
  return k;
}

export function getEstimator(id: string): Estimator {
  return estimatorKind(id).estimator;
}

const isPolynomial = (s: EstimatorObject | AdjustedObject | SaturationObject | PolynomialObject): s is PolynomialObject =>
  (s.estimator === 'polynomial' || s.estimator === 'snipe') && !('exposure' in s);

/** An estimator from its scenario entry; its id is the label used in results. */
export function estimatorFromSpec(spec: string | EstimatorObject | AdjustedObject | SaturationObject | PolynomialObject): Estimator {
  if (typeof spec === 'string') return getEstimator(spec);
  if (isPolynomial(spec)) return polynomialFromObject(spec);
  if ('effect' in spec) return saturationFromObject(spec);
  if (!('exposure' in spec)) return adjustedFromObject(spec);
  const kind = estimatorKind(spec.estimator);
  if (!kind.withOptions)
    throw new UserError(`estimator "${spec.estimator}" takes no options; write it as "${spec.estimator}"`, 'ESCENARIO');
  const e = kind.withOptions({
    mapping: spec.exposure,
    draws: spec.draws,
    batches: spec.batches,
    ...(spec.variance === false ? { variance: false } : {}),
  });
  const ex = spec.exposure;
  const tag = ex.kind === 'fractional' ? `q${ex.q}` : ex.kind;
  return { ...e, id: spec.name ?? `${spec.estimator}:${tag}` };
}

export type { Estimate, Estimator, EstimatorContext, Inquiry, RepData } from './estimator.js';
export { saturationObjectSchema, type SaturationObject } from './saturation.js';
export { polynomialObjectSchema, type PolynomialObject } from './polynomial.js';
export { exposureSchema, type EstimatorKind, type EstimatorObject } from './schema.js';
export { ipwEstimator, probabilitiesFor, IPW_DEFAULTS, type IpwOptions } from './horvitz-thompson.js';
export { tQuantile, normalQuantile } from './stats.js';
export type { AdjustedObject } from './lin.js';
