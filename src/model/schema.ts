// Scenario schema for outcome models, and the contract of a model kind. Each
// model's module exports one ModelKind (its scenario schema and factory); the
// registry in index.ts lists them once, and the scenario's `model` union
// (modelSchema) and createModel are both built from that list.
import type { z } from 'zod';
import type { ModelContext, OutcomeModel } from './model.js';

/** A scenario entry's schema: a strict object whose `type` is the kind's literal. */
export type ModelEntrySchema = z.ZodType<{ type: string }> & z.core.$ZodTypeDiscriminable;

export interface ModelKind<S extends ModelEntrySchema = ModelEntrySchema> {
  /** the name a scenario's model.type uses (the literal in `schema`) */
  readonly type: z.output<S>['type'];
  /** validates the scenario's `model` entry and fills its defaults */
  readonly schema: S;
  /** a product model: days and a readout (ProductModel), shown in readouts and reports */
  readonly product?: boolean;
  /** the model for one graph, from its validated entry */
  create(ctx: ModelContext, spec: z.output<S>): OutcomeModel<any>;
}

export { modelSchema } from './index.js';
