// Charts draw the marks the data call for: one bar per non-empty bin, one
// point per design x estimator, axes that cover the data and the truth.
import { describe, expect, it } from 'vitest';
import { histograms, focusDomain } from '../../../src/report/bins.js';
import { biasSdChart, coverageChart, estimatesChart, liftByDayChart, rmseLevels, sweepChart } from '../../../src/report/charts/index.js';
import { chartView, toSvg } from '../../../src/report/render.js';
import type { Row } from '../../../src/sim/replicate.js';
import type { Diagnosis } from '../../../src/sim/summary.js';
import type { SweepRow } from '../../../src/sim/sweep.js';
import { countItems, field, itemLabels } from '../../helpers/svg.js';
import { smallRun } from '../../helpers/small-run.js';

const row = (rep: number, design: string, estimator: string, estimate: number | null): Row => ({
  rep,
  design,
  estimator,
  metric: 'y',
  truth: 1,
  estimate,
  se: 0.1,
  df: null,
});

describe('estimates chart', () => {
  // user: 0.5 x 10, 0.6 x 10 (2 bins); cluster: 0.9, 1.0, 1.1 and one undefined
  const rows = [
    ...Array.from({ length: 20 }, (_, r) => row(r, 'user', 'dm', r < 10 ? 0.5 : 0.6)),
    ...[0.9, 1.0, 1.1, null].map((x, r) => row(r, 'cluster', 'dm', x)),
  ];
  const h = histograms(rows, 'y', 10);

  it('bins every defined estimate once, on an axis covering the data and the truth', () => {
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(23);
    expect(h.domain[0]).toBeLessThan(0.5);
    expect(h.domain[1]).toBeGreaterThan(1.1);
    expect(h.combos.map((c) => [c.combo, c.defined, c.undefined])).toEqual([
      ['user · dm', 20, 0],
      ['cluster · dm', 3, 1],
    ]);
  });

  it('draws one rect per non-empty bin, and a truth line per row', async () => {
    const svg = await toSvg(estimatesChart(h));
    expect(h.bins.length).toBe(5);
    expect(countItems(svg, 'rect mark')).toBe(5);
    const counts = itemLabels(svg, 'rect mark').map((l) => field(l, 'count'));
    expect(counts.sort((a, b) => a - b)).toEqual([1, 1, 1, 10, 10]);
    // per row: mean rule + truth rule (both defined here)
    expect(countItems(svg, 'rule mark')).toBe(4);
    // each row says how many values it shows and how many undefined were left out
    expect(svg).toContain('20 shown');
    expect(svg).toContain('3 shown · 1 undefined, left out');
    const view = await chartView(estimatesChart(h));
    expect(view.scale('concat_0_x').domain()).toEqual(h.domain);
    view.finalize();
  });

  it('keeps a far noisier estimator from squashing the axis: it gets an axis of its own', async () => {
    const wide = Array.from({ length: 50 }, (_, r) => row(r, 'user', 'ht', (r - 25) * 10));
    const precise = Array.from({ length: 50 }, (_, r) => [
      row(r, 'user', 'dm', 0.5 + r / 500),
      row(r, 'cluster', 'dm', 0.9 + r / 500),
    ]).flat();
    const hh = histograms([...precise, ...wide], 'y');
    expect(hh.domain[1] - hh.domain[0]).toBeLessThan(1);
    const ht = hh.combos.find((c) => c.estimator === 'ht')!;
    expect(ht.below + ht.above + hh.bins.filter((b) => b.estimator === 'ht').reduce((s, b) => s + b.count, 0)).toBe(50);
    // its own axis covers the central 98% of its values and the truth
    expect(ht.ownAxis).toBe(true);
    expect(hh.combos.filter((c) => c.ownAxis).length).toBe(1);
    expect(ht.domain[0]).toBeLessThan(-240);
    expect(ht.domain[1]).toBeGreaterThan(230);
    expect(ht.below + ht.above).toBeLessThanOrEqual(2);
    for (const b of hh.bins.filter((x) => x.estimator === 'ht')) expect(b.hi - b.lo).toBeCloseTo((ht.domain[1] - ht.domain[0]) / 40, 9);
    // the same axes when given back (the page keeps them while rows stream in)
    expect(histograms([...precise, ...wide], 'y', 40, hh.axes)).toEqual(hh);
    const svg = await toSvg(estimatesChart(hh));
    expect(countItems(svg, 'rect mark')).toBe(hh.bins.length);
    expect(svg).toContain('own axis');
    expect(focusDomain([{ values: [], truth: 2 }])[0]).toBeLessThan(2);
  });
});

describe('bias-SD and coverage charts on a real run', () => {
  const { results } = smallRun();
  const d = results.diagnosis;

  it('one point per design x estimator at its (SD, bias); axes cover them all', async () => {
    const spec = biasSdChart(d, 'y');
    const svg = await toSvg(spec);
    const shown = d.filter((x) => x.bias !== null && x.sd !== null && x.sd > 0);
    const labels = itemLabels(svg, 'point');
    expect(labels.length).toBe(shown.length);
    for (const x of shown) {
      const l = labels.find((s) => s.includes(`combo: ${x.design} · ${x.estimator};`))!;
      expect(field(l, 'standard deviation of the estimate')).toBeCloseTo(x.sd!, 8);
    }
    const view = await chartView(spec);
    const [x0, x1] = view.scale('x').domain() as number[];
    const [y0, y1] = view.scale('y').domain() as number[];
    for (const x of shown) {
      expect(x.sd!).toBeGreaterThanOrEqual(x0!);
      expect(x.sd!).toBeLessThanOrEqual(x1!);
      expect(Math.abs(x.bias!)).toBeLessThan(Math.min(-y0!, y1!));
    }
    view.finalize();
    // one dashed contour per RMSE level
    expect(countItems(svg, 'line mark')).toBe(rmseLevels(shown.map((x) => x.rmse!)).length);
  });

  it('RMSE levels step 1-2-5 across the range', () => {
    expect(rmseLevels([0.05, 0.1, 4])).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(rmseLevels([0.3])).toEqual([0.3]);
  });

  it('coverage: one point per estimator with intervals, on a 0-100% axis with the nominal line', async () => {
    const spec = coverageChart(d, 'y', 0.95);
    const svg = await toSvg(spec);
    const withCov = d.filter((x) => x.coverage !== null);
    expect(withCov.length).toBeGreaterThan(0);
    expect(countItems(svg, 'point')).toBe(withCov.length);
    const view = await chartView(spec);
    expect(view.scale('x').domain()).toEqual([0, 1]);
    view.finalize();
  });
});

describe('lift-by-day and sweep charts', () => {
  it('lift by day: one point per day and series, a band only when intervals are given', async () => {
    const points = [0, 1, 2, 3].flatMap((day) => [
      { series: 'user', day, lift: 0.1 / (day + 1) },
      { series: 'thread', day, lift: 0.05, lower: 0, upper: 0.1 },
    ]);
    const svg = await toSvg(liftByDayChart(points, { metric: 'calls' }));
    expect(countItems(svg, 'point')).toBe(8);
    expect(countItems(svg, 'area mark')).toBe(1);
  });

  it('sweep: one point per value x design x estimator in each panel', async () => {
    const base = {
      path: 'model.gamma',
      metric: 'y',
      units: 2,
      replications: 10,
      truth: 1,
      truthSE: 0,
      mean: 1,
      biasSE: 0,
      sd: 0.1,
      sdError: 0.1,
      meanSE: null,
      coverage: null,
      coverageSE: null,
      power: null,
      meanEstimateSE: 0.01,
      sdSE: 0.01,
      meanSESE: null,
      rmseSE: 0.01,
      powerSE: null,
      undefinedShare: 0,
      undefinedReasons: [],
    };
    const rows: SweepRow[] = [0, 0.5, 1].flatMap((value) =>
      ['user', 'cluster'].map((design) => ({
        ...base,
        value,
        point: { 'model.gamma': value },
        design,
        estimator: 'dm',
        bias: -value,
        rmse: value,
      })),
    );
    const spec = sweepChart(rows, 'y');
    const svg = await toSvg(spec);
    expect(countItems(svg, 'point')).toBe(12);
    expect(countItems(svg, 'line mark')).toBe(4);
    // RMSEs within 20x of each other: linear axes
    expect((await chartView(spec)).scale('concat_1_y').type).toBe('linear');
    // one far noisier estimator: RMSE on a log axis, bias on a symmetric log axis
    const noisy = [...rows, ...[0, 0.5, 1].map((value) => ({ ...rows[0]!, value, estimator: 'ht', bias: 0.1, rmse: 50 }))];
    const view = await chartView(sweepChart(noisy, 'y'));
    expect(view.scale('concat_1_y').type).toBe('log');
    expect(view.scale('concat_0_y').type).toBe('symlog');
    view.finalize();
  });
});

export type { Diagnosis };
