// Dependent pairs have no fixed ceiling (issue 14): a design with more than
// the former 10 million gets its Aronow–Samii standard error; a memory
// budget (installed by admission from --max-memory, exposure/budget.ts)
// refuses an exact count that does not fit with a UserError naming the
// field, the design and the count, before the pair arrays are allocated; and
// "variance": false lists nothing and leaves the SE undefined with its reason.
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario.js';
import { buildPlan } from '../../../src/sim/plan.js';
import { replicator } from '../../../src/sim/replicate.js';
import { exposureTable } from '../../../src/sim/exposure-table.js';
import { setPairBudget } from '../../../src/estimate/exposure/budget.js';
import { UserError } from '../../../src/errors.js';

afterEach(() => setPairBudget(null));

const clusters = {
  seed: 3,
  replications: 2,
  graph: { generator: 'sbm', blocks: 10, blockSize: 200, pIn: 0.05, pOut: 0.001 },
  model: { type: 'linear-in-means', beta: 1, gamma: 1 },
  designs: [{ type: 'cluster', name: 'louvain', p: 0.5, clustering: { method: 'louvain' } }],
};

describe('dependent pairs within a memory budget', () => {
  it('more than the former 10,000,000 pairs: listed, and HT and Hajek get an Aronow–Samii SE', { timeout: 120_000 }, () => {
    // 10 SBM blocks of 1,200 users randomized as clusters: every two users whose closed neighbourhoods touch a common block are dependent
    const s = parseScenario({
      seed: 1,
      replications: 2,
      graph: { generator: 'sbm', blocks: 10, blockSize: 1200, pIn: 0.008, pOut: 0.00002 },
      model: { type: 'linear-in-means', beta: 1, gamma: 1 },
      designs: [{ type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } }],
      estimators: ['ht', 'hajek'],
    });
    const [row] = exposureTable(s);
    const pairs = row!.probabilities.pairs!.other.length;
    expect(pairs).toBeGreaterThan(10_000_000);
    expect(row!.probabilities.notes.join(' ')).not.toMatch(/no variance/);
    const rows = replicator(buildPlan(s))(0);
    for (const id of ['ht', 'hajek']) {
      const r = rows.find((x) => x.estimator === id)!;
      expect(r.se, id).toBeGreaterThan(0);
    }
  });

  it('an exact count above the budget is refused with a UserError naming the field, design and count', () => {
    const s = parseScenario({ ...clusters, estimators: ['ht'] });
    const count = exposureTable(s)[0]!.probabilities.pairs!.other.length; // 1,079,957 pairs
    // the sampled estimate would pass (less than twice the limit); the exact count does not
    setPairBudget({ bytes: count * 96 - 1, limit: 'a test allows' });
    let err: unknown;
    try {
      exposureTable(s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const m = (err as Error).message;
    expect(m).toMatch(/^estimators: ht\/hajek on design "louvain" with full-neighbourhood exposure: /);
    expect(m).toContain(`${count.toLocaleString('en-US')} dependent pairs (exact count)`);
    expect(m).toMatch(/raise --max-memory.*"variance": false/);
    // one byte more: listed
    setPairBudget({ bytes: count * 96, limit: 'a test allows' });
    expect(exposureTable(s)[0]!.probabilities.pairs!.other.length).toBe(count);
  });

  it('"variance": false lists no pairs; the SE is undefined with reason variance-off, the estimate unchanged', () => {
    const on = parseScenario({ ...clusters, estimators: ['ht', 'hajek'] });
    const off = parseScenario({
      ...clusters,
      estimators: [
        { estimator: 'ht', name: 'ht', variance: false },
        { estimator: 'hajek', name: 'hajek', variance: false },
      ],
    });
    // nothing to list, so even a budget of nothing passes
    setPairBudget({ bytes: 0, limit: 'a test allows' });
    const [row] = exposureTable(off);
    expect(row!.probabilities.pairs).toBeNull();
    const rowsOff = replicator(buildPlan(off))(0);
    setPairBudget(null);
    const rowsOn = replicator(buildPlan(on))(0);
    for (const id of ['ht', 'hajek']) {
      const a = rowsOn.find((x) => x.estimator === id)!;
      const b = rowsOff.find((x) => x.estimator === id)!;
      expect(a.se).toBeGreaterThan(0);
      expect(b.estimate).toBe(a.estimate);
      expect(b.se).toBeNull();
      expect(b.reason).toBe('variance-off');
    }
  });
});
