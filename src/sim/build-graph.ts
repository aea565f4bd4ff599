// The model's first half: the social graph (generated or loaded) with its
// group threads, from the scenario's named streams.
import { stream } from '../random/streams.js';
import type { SocialGraph } from '../graph/csr.js';
import { sbm } from '../graph/generators/sbm.js';
import { wattsStrogatz } from '../graph/generators/watts-strogatz.js';
import { torus } from '../graph/generators/torus.js';
import { barabasiAlbert } from '../graph/generators/barabasi-albert.js';
import { threadOverlay } from '../graph/generators/threads.js';
import type { Scenario } from './scenario.js';

export function buildGraph(s: Scenario, shared = false): SocialGraph {
  const rng = stream(s.seed, 'graph');
  const g = s.graph;
  let graph: SocialGraph;
  switch (g.generator) {
    case 'sbm': {
      const sizes = g.sizes ?? Array.from({ length: g.blocks! }, () => g.blockSize!);
      graph = sbm({ sizes, pIn: g.pIn, pOut: g.pOut }, rng, shared);
      break;
    }
    case 'watts-strogatz':
      graph = wattsStrogatz(g, rng, shared);
      break;
    case 'torus':
      graph = torus(g, rng, shared);
      break;
    case 'barabasi-albert':
      graph = barabasiAlbert(g, rng, shared);
      break;
  }
  if (s.threads) {
    const threads = threadOverlay(graph.csr, s.threads, stream(s.seed, 'threads'), shared);
    graph = { ...graph, threads };
  }
  return graph;
}
