// spillover exposure: each design's probabilities say how they were
// obtained, how many Monte Carlo draws went in and how precise they are.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { formatExposure } from '../../src/cli/exposure.js';
import { exposureTable } from '../../src/sim/exposure-table.js';

describe('exposure report', () => {
  const scenario = parseScenario({
    seed: 1,
    graph: { generator: 'torus', side: 10, radius: 1, longRangeMean: 0.5 },
    model: { type: 'ugander-yin' },
    designs: [
      { type: 'cluster', name: '3-net', p: 0.5, clustering: { method: 'net', radius: 3 } },
      { type: 'rgcr', name: 'rgcr', p: 0.5, clustering: { method: 'one-hop-max' } },
      { type: 'mixture', name: 'mix', p: 0.5, clustering: { method: 'one-hop-max' }, k: 3 },
    ],
    estimators: ['ht', { estimator: 'hajek', exposure: { kind: 'fractional', q: 0.5 }, draws: 400, batches: 10 }],
  });
  const rows = exposureTable(scenario);
  it('one row per design and exposure setting, with the route taken', () => {
    expect(rows.map((r) => `${r.design}/${r.mapping}/${r.probabilities.method}`)).toEqual([
      '3-net/full/closed form',
      '3-net/fractional q=0.5/closed form',
      'rgcr/full/monte carlo',
      'rgcr/fractional q=0.5/monte carlo',
      'mix/full/mixture average',
      'mix/fractional q=0.5/mixture average',
    ]);
  });
  it('Monte Carlo rows report their draws and a finite precision; exact rows none', () => {
    const rg = rows.find((r) => r.design === 'rgcr' && r.mapping === 'full')!.probabilities;
    expect(rg.draws).toBe(2000);
    expect(rg.maxRelSE).toBeGreaterThan(0);
    expect(rg.medianRelSE).toBeLessThan(rg.maxRelSE);
    expect(rows[0]!.probabilities.draws).toBe(0);
    expect(rows[1]!.probabilities.jointDraws).toBe(400); // fractional joints are counted
    const text = formatExposure(rows);
    expect(text).toContain('monte carlo');
    expect(text).toContain('2000');
  });
});
