// Scenario schema for estimators: a registry id ("ht"), or an object that
// sets options, e.g. { "estimator": "ht", "name": "ht-q75",
// "exposure": { "kind": "fractional", "q": 0.75 } }.
import { z } from 'zod';
import { posInt } from '../schema-common.js';

export const exposureSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('full') }),
  z.strictObject({ kind: z.literal('fractional'), q: z.number().gt(0).max(1) }),
  z.strictObject({ kind: z.literal('thread-full') }),
]);

export const estimatorObjectSchema = z.strictObject({
  estimator: z.enum(['ht', 'hajek']),
  /** label in the results; default "<estimator>:<exposure>" */
  name: z.string().min(1).optional(),
  exposure: exposureSchema.default({ kind: 'full' }),
  /** Monte Carlo draws for exposure probabilities without a closed form */
  draws: posInt.min(20).default(2000),
  batches: z.number().int().min(2).default(20),
});

export type EstimatorObject = z.infer<typeof estimatorObjectSchema>;
