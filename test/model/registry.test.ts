// The model registry: one kind object per model module; the scenario's
// `model` union, createModel and "is a product model" all come from it.
import { describe, expect, it } from 'vitest';
import { createModel, isProductType, modelKinds, modelSchema, productTypes } from '../../src/model/index.js';
import { isProductModel } from '../../src/model/products/product.js';
import { isProductScenario } from '../../src/report/product.js';
import { buildGraph } from '../../src/sim/build-graph.js';
import { parseScenario } from '../../src/sim/parse-scenario.js';

/** One valid entry per model: a new model needs one here. */
const examples: Record<string, Record<string, unknown>> = {
  'linear-in-means': { type: 'linear-in-means', beta: 1, gamma: 0.5 },
  'ugander-yin': { type: 'ugander-yin' },
  'group-calls': { type: 'group-calls', horizon: 3 },
  'group-stories': { type: 'group-stories', horizon: 3 },
};

const scenario = (model: unknown) => ({
  graph: { generator: 'sbm', blocks: 3, blockSize: 15, pIn: 0.4, pOut: 0.02 },
  threads: { meanThreadsPerUser: 2 },
  model,
  designs: [{ type: 'user-bernoulli', p: 0.5 }],
});

describe('model registry', () => {
  it('lists each model once, with an example here', () => {
    const types = modelKinds.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual(Object.keys(examples).sort());
    expect(modelSchema.options).toHaveLength(modelKinds.length);
  });

  it.each(modelKinds.map((k) => [k.type, k] as const))(
    '%s: its schema is the one the scenario validates with, and createModel builds it',
    (type, kind) => {
      expect(modelSchema.options).toContain(kind.schema);
      const s = parseScenario(scenario(examples[type]));
      expect(s.model).toEqual(kind.schema.parse(examples[type]));
      expect(() => parseScenario(scenario({ ...examples[type], bogus: 1 }))).toThrow(/model: unknown key "bogus"/);
      const m = createModel({ graph: buildGraph(s) }, s.model);
      expect(m.type).toBe(type);
      // the registry's product flag says exactly which models have a readout
      expect(isProductModel(m)).toBe(kind.product === true);
      expect(isProductType(type)).toBe(kind.product === true);
      expect(isProductScenario(s)).toBe(kind.product === true);
    },
  );

  it('the product models are the flagged kinds', () => {
    expect(productTypes).toEqual(['group-calls', 'group-stories']);
  });

  it('an unknown model type lists every allowed one', () => {
    let message = '';
    try {
      parseScenario(scenario({ type: 'linear' }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('model.type');
    for (const k of modelKinds) expect(message).toContain(`'${k.type}'`);
  });
});
