// Registry of outcome models.
import type { ModelContext, OutcomeModel } from './model.js';
import { linearInMeans, type LinearInMeansParams } from './linear-in-means.js';

export type ModelSpec = { type: 'linear-in-means' } & LinearInMeansParams;

export function createModel(ctx: ModelContext, spec: ModelSpec): OutcomeModel<any> {
  switch (spec.type) {
    case 'linear-in-means':
      return linearInMeans(ctx, spec);
  }
}

export type { OutcomeModel, ModelContext, Metric } from './model.js';
export { globalEffect, mean, sum, meanMetric, ratioMetric, metricValue, outcomeBuffers } from './model.js';
