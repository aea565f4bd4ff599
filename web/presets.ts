// What the learner can pick, as scenario JSON: small graphs so a few hundred
// replications run in seconds in the browser. The same JSON runs on the
// command line (spillover run) and gives the same numbers.

import { CALL_METRICS } from '../src/model/products/group-calls.js';
import { STORY_METRICS } from '../src/model/products/group-stories.js';

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
  louvain: {
    label: 'Cluster-level (Louvain communities)',
    spec: { type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain', resolution: 1 } },
  },
  thread: { label: 'Thread-level (group chats)', spec: { type: 'thread', name: 'thread', p: 0.5 } },
  blocks: {
    label: 'Cluster-level (true communities)',
    spec: { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
    only: 'communities',
  },
};

export const ESTIMATORS: Record<string, string> = {
  dm: 'difference in means',
  'cluster-dm': 'cluster difference in means',
  hajek: 'Hájek (exposure-weighted)',
};

export type ModelKey = 'linear-in-means' | 'group-calls' | 'group-stories';

export interface ModelPreset {
  label: string;
  /** the metric shown first: the one the model's case is about */
  metric: string;
  /** the designs checked when the learner picks this model */
  designs: DesignKey[];
  /** group threads drawn inside the graph */
  threads: Record<string, unknown>;
  /** a product model (spillover switch) rather than linear-in-means (gamma) */
  product: boolean;
  note: string;
  /** what the spillover switch does (product models) */
  spilloverNote?: string;
}

/**
 * Product models run 14 days (the scenario files run 28 on 20,000 users) on
 * the page's ~900-user graphs with about 3 group threads per user, as in
 * scenarios/group-calls.json: about 25 ms of CPU per replication.
 */
export const PRODUCT_HORIZON = 14;

export const MODELS: Record<ModelKey, ModelPreset> = {
  'linear-in-means': {
    label: 'Linear in means (outcome rises with the share of friends treated)',
    metric: 'y',
    designs: ['user', 'louvain'],
    threads: { meanThreadsPerUser: 2, smallSizes: [3, 8], largeSizes: [10, 20], largeShare: 0.05 },
    product: false,
    note: 'one outcome per user: 0.2 × own treatment + γ × share of friends treated + noise',
  },
  'group-calls': {
    label: 'Group calls (start a video call from a group thread)',
    metric: 'successful_group_calls_per_1k_users',
    designs: ['user', 'thread', 'louvain'],
    threads: { meanThreadsPerUser: 3, smallSizes: [3, 8], largeSizes: [20, 50], largeShare: 0.05 },
    product: true,
    note: `${PRODUCT_HORIZON} days of group video calls started from group threads (about 3 per user): invited members join, a call succeeds with 3 or more; ${CALL_METRICS.length} metrics (docs/products.md)`,
    spilloverNote:
      'on: members without the feature can join a call a treated member starts from the thread, so control users make group calls too; off: they cannot (treated users still miss the calls their untreated friends would have started, so some bias remains)',
  },
  'group-stories': {
    label: 'Group stories (stories shared inside a group)',
    metric: 'dms_per_story_view',
    designs: ['user', 'thread', 'louvain'],
    threads: { meanThreadsPerUser: 3, smallSizes: [3, 8], largeSizes: [20, 50], largeShare: 0.05 },
    product: true,
    note: `${PRODUCT_HORIZON} days of stories posted to groups: members open them, DM the poster, get answers, or mute a noisy group; ${STORY_METRICS.length} metrics (docs/products.md)`,
    spilloverNote:
      'on: members without the feature still see group stories (at half visibility), so control users DM and mute too; off: they do not see them (treated users still miss the stories their untreated friends would have posted)',
  },
};

export interface Choices {
  graph: GraphKey;
  model: ModelKey;
  /** linear-in-means: spillover strength */
  gamma: number;
  /** product models: members without the feature take part in others' calls / see group stories */
  spillover: boolean;
  designs: DesignKey[];
  estimators: string[];
  replications: number;
  seed: number;
}

export const DEFAULTS: Choices = {
  graph: 'communities',
  model: 'linear-in-means',
  gamma: 0.5,
  spillover: true,
  designs: ['user', 'louvain'],
  estimators: ['dm', 'cluster-dm'],
  replications: 300,
  seed: 1,
};

function modelSpec(c: Choices): Record<string, unknown> {
  if (c.model === 'linear-in-means') return { type: 'linear-in-means', alpha: 0, beta: 0.2, gamma: c.gamma, sigma: 1 };
  return { type: c.model, horizon: PRODUCT_HORIZON, spillover: c.spillover };
}

/** The scenario JSON for the learner's choices. */
export function scenarioFor(c: Choices): Record<string, unknown> {
  const designs = c.designs.filter((d) => !DESIGNS[d].only || DESIGNS[d].only === c.graph);
  return {
    name: c.model === 'linear-in-means' ? `page: ${c.graph}` : `page: ${c.graph}, ${c.model}`,
    seed: c.seed,
    replications: c.replications,
    graph: GRAPHS[c.graph].graph,
    threads: MODELS[c.model].threads,
    model: modelSpec(c),
    designs: designs.map((d) => DESIGNS[d].spec),
    estimators: c.estimators,
  };
}

/** A metric's name for people: successful_group_calls_per_1k_users -> successful group calls per 1k users. */
export function metricLabel(metric: string): string {
  return metric === 'y' ? 'the outcome' : metric.replaceAll('_', ' ');
}
