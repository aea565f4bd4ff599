// Registry of outcome models: one ModelKind per module (schema.ts), listed
// once here; the scenario union and the factory come from this list. Adding a
// model is its module plus one entry in `modelKinds`.
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { ModelContext, OutcomeModel } from './model.js';
import type { ModelKind } from './schema.js';
import { linearInMeansKind } from './linear-in-means.js';
import { uganderYinKind } from './ugander-yin.js';
import { groupCallsKind } from './products/group-calls.js';
import { groupStoriesKind } from './products/group-stories.js';

/** Every model kind, in the order validation errors list them. */
export const modelKinds = [linearInMeansKind, groupCallsKind, groupStoriesKind, uganderYinKind] as const;

type Schemas<K extends readonly ModelKind<any>[]> = { -readonly [I in keyof K]: K[I]['schema'] };

/** The scenario's `model`: one entry per kind, told apart by `type`. */
export const modelSchema = z.discriminatedUnion('type', modelKinds.map((k) => k.schema) as Schemas<typeof modelKinds>);

export type ModelSpec = z.infer<typeof modelSchema>;
export type ModelType = ModelSpec['type'];

const byType = new Map<string, ModelKind<any>>(modelKinds.map((k) => [k.type, k]));

export function modelKind(type: string): ModelKind {
  const k = byType.get(type);
  if (!k) throw new UserError(`model "${type}" is unknown; allowed: ${[...byType.keys()].join(', ')}`, 'ESCENARIO');
  return k;
}

/** Whether the model type has days and a readout (a product model). */
export const isProductType = (type: string): boolean => modelKind(type).product === true;

/** The product model types, in registry order. */
export const productTypes = modelKinds.filter((k) => 'product' in k && k.product).map((k) => k.type);

export function createModel(ctx: ModelContext, spec: ModelSpec): OutcomeModel<any> {
  return modelKind(spec.type).create(ctx, spec);
}

export type { ModelKind } from './schema.js';
export type { OutcomeModel, ModelContext, Metric, World } from './model.js';
export { globalEffect, globalEffects, metricValueOver, mean, sum, meanMetric, ratioMetric, metricValue, outcomeBuffers } from './model.js';
