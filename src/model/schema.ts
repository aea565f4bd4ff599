// Scenario schema for outcome models: one entry per model type.
import { z } from 'zod';
import { uganderYinSchema } from './ugander-yin.js';
import { groupCallsSchema, groupStoriesSchema } from './products/schema.js';

export const modelSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('linear-in-means'),
    alpha: z.number().default(0),
    beta: z.number(),
    gamma: z.number(),
    sigma: z.number().min(0).default(1),
    homophily: z.number().min(0).max(1).default(0),
  }),
  groupCallsSchema,
  groupStoriesSchema,
  uganderYinSchema,
]);
