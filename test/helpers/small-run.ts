// A small run shared by the report tests: SBM with 10 communities, user vs
// community randomization, strong interference so the bias is plain.
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { runSerial } from '../../src/sim/run.js';

export const smallScenario = () =>
  parseScenario({
    name: 'small',
    seed: 7,
    replications: 60,
    graph: { generator: 'sbm', blocks: 10, blockSize: 40, pIn: 0.15, pOut: 0.004 },
    model: { type: 'linear-in-means', beta: 0.2, gamma: 0.6, sigma: 1 },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    ],
    estimators: ['dm', 'cluster-dm', 'hajek'],
  });

let cached: ReturnType<typeof runSerial> | null = null;
export function smallRun() {
  cached ??= runSerial(smallScenario());
  return cached;
}
