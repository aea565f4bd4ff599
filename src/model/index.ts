// Registry of outcome models.
import type { ModelContext, OutcomeModel } from './model.js';
import { linearInMeans } from './linear-in-means.js';
import { uganderYin } from './ugander-yin.js';
import { groupCalls } from './products/group-calls.js';
import { groupStories } from './products/group-stories.js';
import type { z } from 'zod';
import type { modelSchema } from './schema.js';

export type ModelSpec = z.infer<typeof modelSchema>;

export function createModel(ctx: ModelContext, spec: ModelSpec): OutcomeModel<any> {
  switch (spec.type) {
    case 'linear-in-means':
      return linearInMeans(ctx, spec);
    case 'ugander-yin':
      return uganderYin(ctx, spec);
    case 'group-calls':
      return groupCalls(ctx, spec);
    case 'group-stories':
      return groupStories(ctx, spec);
  }
}

export type { OutcomeModel, ModelContext, Metric, World } from './model.js';
export { globalEffect, mean, sum, meanMetric, ratioMetric, metricValue, outcomeBuffers } from './model.js';
