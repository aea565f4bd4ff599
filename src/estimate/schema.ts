// Scenario schema for estimators: a registry id ("ht"), or an object that
// sets options, e.g. { "estimator": "ht", "name": "ht-q75",
// "exposure": { "kind": "fractional", "q": 0.75 } }; and the contract of an
// estimator kind. Each estimator's module exports one EstimatorKind; the
// registry in index.ts lists them once, and the scenario's ids, the object
// form's allowed estimators, the defaults and the factory all come from it.
import { z } from 'zod';
import { LIMITS, boundedInt, label } from '../schema-common.js';
import type { Estimator } from './estimator.js';
import type { IpwOptions } from './horvitz-thompson.js';

export interface EstimatorKind {
  /** the id a scenario names it by (and the estimator's id in results) */
  readonly type: string;
  /** the estimator with its default options */
  readonly estimator: Estimator;
  /** run when a scenario names no estimators */
  readonly byDefault?: boolean;
  /** takes exposure options: may be written as an object { "estimator": type, "exposure", "draws", … } */
  withOptions?(o: IpwOptions): Estimator;
}

export const exposureSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('full') }),
  z.strictObject({ kind: z.literal('fractional'), q: z.number().gt(0).max(1) }),
  z.strictObject({ kind: z.literal('thread-full') }),
]);

/** The object form, for the estimators (ids) that take exposure options. */
export const estimatorObjectSchemaFor = (ids: readonly [string, ...string[]]) =>
  z
    .strictObject({
      estimator: z.enum(ids),
      /** label in the results; default "<estimator>:<exposure>" */
      name: label.min(1).optional(),
      exposure: exposureSchema.default({ kind: 'full' }),
      /** Monte Carlo draws for exposure probabilities without a closed form */
      draws: boundedInt(20, LIMITS.draws, 'Monte Carlo draws of exposure probabilities').default(2000),
      batches: boundedInt(2, LIMITS.batches, 'independent streams for the standard errors').default(20),
      /**
       * false: no standard error, so no dependent pairs listed and no joint
       * probabilities computed (ht, hajek: their Aronow–Samii or unit-robust
       * variance); for designs whose pairs would take too long or too much memory
       */
      variance: z.boolean().optional(),
    })
    // every batch draws at least once
    .refine((o) => o.batches <= o.draws, { message: 'must be at most draws (each batch needs a draw)', path: ['batches'] });

export type EstimatorObject = z.infer<ReturnType<typeof estimatorObjectSchemaFor>>;
