// Scenario schema for designs: one entry per design type.
import { z } from 'zod';
import { openProb } from '../schema-common.js';

const clustering = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('louvain'), resolution: z.number().positive().default(1) }),
  z.strictObject({ method: z.literal('blocks') }),
  z.strictObject({ method: z.literal('attribute'), attribute: z.string().min(1) }),
]);
const name = z.string().min(1).optional();
export const designSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('user-bernoulli'), name, p: openProb }),
  z.strictObject({ type: z.literal('user-complete'), name, p: openProb }),
  z.strictObject({ type: z.literal('thread'), name, p: openProb }),
  z.strictObject({ type: z.literal('cluster'), name, p: openProb, clustering }),
]);
