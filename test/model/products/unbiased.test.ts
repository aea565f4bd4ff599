// With spillover and network effects off, each user's outcomes depend only on
// their own feature state (src/model/products/product.ts, personalWorlds), so
// every design has an unbiased estimator of every metric:
// - user-level (Bernoulli, complete) and cluster designs: difference in means;
// - thread-level: Horvitz–Thompson with thread-full exposure (a user is in
//   the treated world when all their threads are treated), unbiased by
//   construction; difference in means on the fractional dose is unbiased
//   only for metrics that add up over a user's threads (counts), and
//   under-states saturating ones: "joined any call" gains less from one more
//   treated thread when the user's others are already treated.
// Fixed seeds; tolerance 4 Monte Carlo SEs of the mean error.
import { describe, expect, it } from 'vitest';
import { errorOf, monteCarlo } from './_helpers.js';

const designs = [
  { type: 'user-bernoulli', name: 'user', p: 0.5 },
  { type: 'user-complete', name: 'complete', p: 0.3 },
  { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
  { type: 'thread', name: 'thread', p: 0.5 },
];
const HT = 'ht:thread-full';
const base = {
  replications: 160,
  graph: { generator: 'sbm', blocks: 6, blockSize: 100, pIn: 0.08, pOut: 0.002 },
  threads: { meanThreadsPerUser: 3 },
  designs,
  estimators: ['dm', { estimator: 'ht', exposure: { kind: 'thread-full' } }],
};
const off = { horizon: 14, spillover: false, networkEffects: false };

const cases = [
  {
    model: { type: 'group-calls', ...off, startRate: 0.03 },
    additive: ['successful_group_calls_per_1k_users', 'total_communication_minutes'],
  },
  {
    model: { type: 'group-stories', ...off, groupPostRate: 0.05 },
    additive: ['story_post_days', 'group_story_posts', 'public_story_posts'],
  },
];

describe.each(cases)('no interference: $model.type', ({ model, additive }) => {
  const rows = monteCarlo({ ...base, seed: 21, model });
  const metrics = [...new Set(rows.map((r) => r.metric))];
  // HT on a ratio metric (a Hajek ratio) is undefined when a user shares a
  // thread with everyone carrying its world's denominator, or no one does
  // (group calls, d7 retention: 49 and 16 of 160); the bias is judged on the rest
  const check = (design: string, metric: string, estimator: string, min = 120) => {
    const e = errorOf(rows, design, metric, estimator);
    expect(e.k, `${design} ${estimator} ${metric}: defined replications`).toBeGreaterThan(min);
    expect(Math.abs(e.bias), `${design} ${estimator} ${metric}: bias ${e.bias} ± ${e.se}`).toBeLessThan(4 * e.se);
  };
  it.each(['user', 'complete', 'blocks'])('%s-level difference in means is unbiased for every metric', (d) => {
    for (const m of metrics) check(d, m, 'dm');
  });
  it('thread-level Horvitz–Thompson (thread-full exposure) is unbiased for every metric', () => {
    for (const m of metrics) check('thread', m, HT, 60);
  });
  it('thread-level difference in means is unbiased for counts that add up over threads', () => {
    for (const m of additive) check('thread', m, 'dm');
  });
  if (model.type === 'group-calls') {
    it('thread-level difference in means under-states a saturating metric (joined any call)', () => {
      const e = errorOf(rows, 'thread', 'group_call_participation');
      expect(e.bias + 4 * e.se).toBeLessThan(0);
    });
  }
});
