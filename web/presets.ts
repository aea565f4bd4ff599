// What the learner can pick, as scenario JSON: small graphs so a few hundred
// replications run in seconds in the browser. The same JSON runs on the
// command line (spillover run) and gives the same numbers.

export type GraphKey = 'communities' | 'torus' | 'small-world';

export const GRAPHS: Record<GraphKey, { label: string; note: string; graph: Record<string, unknown> }> = {
  communities: {
    label: 'Friend communities (960 users)',
    note: 'stochastic block model: 24 communities of 40, dense inside, sparse between',
    graph: { generator: 'sbm', blocks: 24, blockSize: 40, pIn: 0.15, pOut: 0.002 },
  },
  torus: {
    label: 'Neighbourhood grid (900 users)',
    note: 'a 30 × 30 torus: friends next door plus a few long-range ties',
    graph: { generator: 'torus', side: 30, radius: 1, longRangeMean: 0.5 },
  },
  'small-world': {
    label: 'Small world ring (900 users)',
    note: 'Watts–Strogatz: a ring of 6 neighbours each, 5% of ties rewired at random',
    graph: { generator: 'watts-strogatz', n: 900, k: 6, beta: 0.05 },
  },
};

export type DesignKey = 'user' | 'louvain' | 'thread' | 'blocks';

export const DESIGNS: Record<DesignKey, { label: string; spec: Record<string, unknown>; only?: GraphKey }> = {
  user: { label: 'User-level (each user a coin flip)', spec: { type: 'user-bernoulli', name: 'user', p: 0.5 } },
  louvain: { label: 'Cluster-level (Louvain communities)', spec: { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } } },
  thread: { label: 'Thread-level (group chats)', spec: { type: 'thread', name: 'thread', p: 0.5 } },
  blocks: { label: 'Cluster-level (true communities)', spec: { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } }, only: 'communities' },
};

export const ESTIMATORS: Record<string, string> = {
  dm: 'difference in means',
  'cluster-dm': 'cluster difference in means',
  hajek: 'Hájek (exposure-weighted)',
};

export interface Choices {
  graph: GraphKey;
  gamma: number;
  designs: DesignKey[];
  estimators: string[];
  replications: number;
  seed: number;
}

export const DEFAULTS: Choices = { graph: 'communities', gamma: 0.5, designs: ['user', 'louvain'], estimators: ['dm', 'cluster-dm'], replications: 300, seed: 1 };

/** The scenario JSON for the learner's choices. */
export function scenarioFor(c: Choices): Record<string, unknown> {
  const designs = c.designs.filter((d) => !DESIGNS[d].only || DESIGNS[d].only === c.graph);
  return {
    name: `page: ${c.graph}`,
    seed: c.seed,
    replications: c.replications,
    graph: GRAPHS[c.graph].graph,
    threads: { meanThreadsPerUser: 2, smallSizes: [3, 8], largeSizes: [10, 20], largeShare: 0.05 },
    model: { type: 'linear-in-means', alpha: 0, beta: 0.2, gamma: c.gamma, sigma: 1 },
    designs: designs.map((d) => DESIGNS[d].spec),
    estimators: c.estimators,
  };
}
