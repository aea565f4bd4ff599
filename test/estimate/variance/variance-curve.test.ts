// The variance curve of mixtures against K: its pieces checked against
// independent routes. A mixture of one clustering is a fixed clustering, so
// the over-clusterings variance at K = 1 must equal the exact variance from
// closed-form joint probabilities of that clustering (two different
// formulas); the curve's point at the scenario's own K must be the
// scenario's mixture; and the chart draws what it is given on a log K axis.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario.js';
import { buildGraph } from '../../../src/sim/build-graph.js';
import { createDesign, partitionUnits, drawScheme, type Design } from '../../../src/design/index.js';
import { exposureMapping, exposureProbabilities } from '../../../src/estimate/exposure/index.js';
import { htMoments } from '../../../src/estimate/variance/exact.js';
import { htVarianceOverClusterings, marginalsOverClusterings } from '../../../src/estimate/variance/clusterings.js';
import { fixedSource } from '../../../src/estimate/variance/clustering-sources.js';
import { potentialOutcomes } from '../../../src/estimate/variance/outcomes.js';
import { createModel } from '../../../src/model/index.js';
import { stream } from '../../../src/random/streams.js';
import { formatVariance } from '../../../src/cli/variance.js';
import { varianceTable } from '../../../src/sim/variance.js';
import { varianceCurveChart } from '../../../src/report/charts/variance-curve.js';
import { chartView, toSvg } from '../../../src/report/render.js';
import { countItems, field, itemLabels } from '../../helpers/svg.js';
import { clusteringOf } from '../../helpers/designs.js';

const scenario = parseScenario({
  seed: 5,
  replications: 10,
  graph: { generator: 'torus', side: 10, radius: 1, longRangeMean: 0.5 },
  model: { type: 'ugander-yin', tau: 1 },
  designs: [{ type: 'mixture', name: 'mix', p: 0.4, clustering: { method: 'net', radius: 3 }, k: 3 }],
  estimators: ['ht', { estimator: 'ht', exposure: { kind: 'thread-full' } }],
});
const graph = buildGraph(scenario);
const g = graph.csr;
const po = potentialOutcomes(createModel({ graph }, scenario.model), scenario.seed, g.n, 0);

describe('a mixture of one clustering is that fixed clustering', () => {
  const mixture = createDesign({ graph, rng: (p) => stream(scenario.seed, 'design', 'mix', p) }, scenario.designs[0]!);
  const c = clusteringOf(mixture).fixed![0]!;
  for (const kind of ['full', 'thread-full'] as const) {
    it(`${kind}: over-clusterings variance at K = 1 equals the closed-form pair variance`, () => {
      const mapping = exposureMapping({ kind });
      const scheme = { kind: 'bernoulli', p: 0.4 } as const;
      const fixed: Design = {
        name: 'fixed',
        type: 'cluster',
        p: 0.4,
        structure: { kind: 'fixed', scheme, threadUnits: 0 },
        units: partitionUnits(c.labels, c.count),
        drawUnits: (rng, out) => drawScheme(scheme, rng, out),
      };
      const pr = exposureProbabilities(g, fixed, mapping, { joint: true, draws: 100, batches: 10, seed: 1 });
      expect(pr.method).toBe('closed form');
      const exact = htMoments(pr, po.y1, po.y0);
      const src = fixedSource(clusteringOf(mixture).fixed!, 1);
      const m = marginalsOverClusterings(g, mapping.scope, 0.4, src);
      for (let i = 0; i < g.n; i++) expect(m.p1[i]).toBeCloseTo(pr.p1[i]!, 14);
      const over = htVarianceOverClusterings(g, mapping.scope, 0.4, po.y1, po.y0, m.p1, m.p0, src);
      expect(exact.variance).toBeGreaterThan(0);
      expect(Math.abs(over.variance - exact.variance) / exact.variance).toBeLessThan(1e-9);
      expect(over.mean).toBeCloseTo(exact.mean, 10);
    });
  }
});

describe('the curve', () => {
  const t = varianceTable(scenario, { draws: 40, ks: [1, 2, 3, 6] });
  it("has a point per K, and at the scenario's K it is the scenario's mixture", () => {
    expect(t.curves.length).toBe(1);
    const c = t.curves[0]!;
    expect(c.exposure).toBe('full');
    expect(c.points.map((p) => p.k)).toEqual([1, 2, 3, 6]);
    expect(c.points.every((p) => p.variance !== null && p.variance > 0)).toBe(true);
    const row = t.rows.find((r) => r.design === 'mix' && r.exposure === 'full')!;
    expect(c.points[2]!.variance).toBeCloseTo(row.variance!, 12);
    // exact marginals give an unbiased HT at every K (every user can reach both worlds here)
    for (const p of c.points) expect(p.mean).toBeCloseTo(t.truth, 10);
    // the RGCR limit is Monte Carlo, with an SE
    expect(c.limit.variance).toBeGreaterThan(0);
    expect(c.limit.se).toBeGreaterThan(0);
    expect(c.limit.draws).toBe(40);
  });
  it('is printed without NaN or Infinity', () => {
    const s = formatVariance(t);
    expect(s).toMatch(/mixture of the first K 3-net clusterings/);
    expect(s).toMatch(/RGCR limit/);
    expect(s).not.toMatch(/NaN|Infinity/);
  });
});

describe('the chart', () => {
  const points = [1, 2, 5, 10].map((k) => ({ design: 'mix', k, variance: 4 / Math.sqrt(k) }));
  it('draws one point per K on a log K axis, and the RGCR limit', async () => {
    const spec = varianceCurveChart(points, [{ design: 'mix', variance: 1.1, se: 0.05 }], { metric: 'y', exposure: 'full' });
    const svg = await toSvg(spec);
    expect(countItems(svg, 'point')).toBe(4);
    expect(itemLabels(svg, 'point').map((l) => field(l, 'K \\(clusterings in the mixture\\)'))).toEqual([1, 2, 5, 10]);
    expect(countItems(svg, 'rule mark')).toBe(1);
    const view = await chartView(spec);
    expect(view.scale('x').type).toBe('log');
    expect(view.scale('y').type).toBe('log');
    view.finalize();
  });
  it('falls back to a linear variance axis when the limit band reaches 0', async () => {
    const view = await chartView(
      varianceCurveChart(points, [{ design: 'mix', variance: 1.1, se: 0.6 }], { metric: 'y', exposure: 'full' }),
    );
    expect(view.scale('y').type).toBe('linear');
    view.finalize();
  });
});
