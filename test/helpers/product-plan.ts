// A product model's plan on a small SBM with group threads (seed 11, one
// user-level design), for the model tests that simulate worlds directly.
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import type { ProductModel } from '../../src/model/products/product.js';

export function productPlan(model: Record<string, unknown>, graph: { blocks: number; blockSize: number; pIn: number; pOut: number }) {
  const plan = buildPlan(
    parseScenario({
      seed: 11,
      graph: { generator: 'sbm', ...graph },
      threads: { meanThreadsPerUser: 3 },
      model,
      designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
      estimators: ['dm'],
    }),
  );
  return { pm: plan.model as ProductModel<unknown>, n: plan.graph.csr.n, plan };
}
