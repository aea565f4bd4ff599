// D7 group-call retention: among users whose first qualifying (successful)
// call day d0 leaves days d0+1..d0+7 inside the horizon, the share with
// another qualifying call in those days.
import { describe, expect, it } from 'vitest';
import { Cohort } from '../../../src/model/products/cohort.js';
import { metricValue, outcomeBuffers } from '../../../src/model/index.js';
import { stream } from '../../../src/random/streams.js';
import { parseScenario } from '../../../src/sim/scenario.js';
import { buildGraph } from '../../../src/sim/build-graph.js';
import { clique, graphWith, model, world } from './_helpers.js';

describe('Cohort (window 7, horizon 20: day 0 must be <= 12)', () => {
  // user: qualifying days -> (in cohort, retained)
  const days = [
    [2, 5], // 3 days later: retained
    [0, 8], // 8 days later: too late
    [3, 3], // same day twice: not a return
    [13, 14], // first day 13: days 14..20 not all observed, left out
    [12, 19], // exactly 7 days later, still observed: retained
    [], // never qualified
    [1, 4, 9], // retained by day 4
  ];
  const c = new Cohort(days.length);
  for (let d = 0; d < 20; d++) days.forEach((ds, i) => ds.includes(d) && c.mark(i, d));
  it('matches the hand count: 3 retained of 5 in the cohort', () => {
    expect(days.map((_, i) => c.inCohort(i, 20))).toEqual([1, 1, 1, 0, 1, 0, 1]);
    expect(days.map((_, i) => c.isRetained(i, 20))).toEqual([1, 0, 0, 0, 1, 0, 1]);
  });
});

describe('D7 retention in the group-calls model', () => {
  // a triangle that succeeds every day (certain start, joins, no drops) and a user with no group
  const certain = {
    type: 'group-calls',
    startRate: 1e6,
    novelty: 0,
    joinIntercept: 50,
    inactiveJoin: 1,
    connectFail: 0,
    dropIntercept: -50,
    minDuration: 0,
    activeIntercept: 50,
  };
  const g = graphWith(4, clique([0, 1, 2]), [[0, 1, 2]]);
  it('everyone calling daily is retained; the user without groups is not in the cohort', () => {
    const m = model(g, { ...certain, horizon: 10 });
    const w = world(m, 4, true);
    const k = m.metrics.findIndex((x) => x.name === 'd7_group_call_retention');
    expect(Array.from(w.num[k]!)).toEqual([1, 1, 1, 0]);
    expect(Array.from(w.den[k]!)).toEqual([1, 1, 1, 0]);
  });
  it('with a 7-day horizon no day 0 has seven days after it: nobody is in the cohort', () => {
    const m = model(g, { ...certain, horizon: 7 });
    const w = world(m, 4, true);
    const k = m.metrics.findIndex((x) => x.name === 'd7_group_call_retention');
    expect(Array.from(w.den[k]!)).toEqual([0, 0, 0, 0]);
  });
  it('equals the definition recomputed from the per-day call records of a random world', () => {
    const s = parseScenario({
      seed: 4,
      graph: { generator: 'sbm', blocks: 4, blockSize: 100, pIn: 0.1, pOut: 0.002 },
      threads: { meanThreadsPerUser: 3 },
      model: { type: 'group-calls', horizon: 20, startRate: 0.05 },
      designs: [{ type: 'user-bernoulli', p: 0.5 }],
    });
    const graph = buildGraph(s);
    const m = model(graph, s.model);
    const n = graph.csr.n;
    const dose = new Float64Array(n).map((_, i) => i % 2);
    const out = outcomeBuffers(m, n);
    const ex = m.readout(
      m.draw((p) => stream(4, p)),
      { dose, threadOn: null },
      out.num,
      out.den,
    );
    let num = 0,
      den = 0;
    for (let i = 0; i < n; i++) {
      const q: number[] = [];
      for (let d = 0; d < 20; d++) if (ex.daily[d * n + i]! > 0) q.push(d);
      if (q.length === 0 || q[0]! > 20 - 1 - 7) continue;
      den++;
      if (q.some((d) => d > q[0]! && d <= q[0]! + 7)) num++;
    }
    const k = m.metrics.findIndex((x) => x.name === 'd7_group_call_retention');
    expect(den).toBeGreaterThan(50);
    expect(metricValue(m.metrics[k]!, out.num[k]!, out.den[k])).toBe(num / den);
  });
});
