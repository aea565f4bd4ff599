// Interval coverage per design x estimator against the nominal level, with
// +-2 Monte Carlo standard errors. An interval that misses the truth far more
// often than 5% is worse than no interval: it is confidently wrong.
import type { TopLevelSpec } from 'vega-lite';
import type { Diagnosis } from '../../sim/summary.js';
import { comboLabel } from '../bins.js';
import { config, designColor, TRUTH_COLOR, uniq } from './style.js';

export function coveragePoints(diagnosis: readonly Diagnosis[], metric: string) {
  return diagnosis
    .filter((d) => d.metric === metric && d.coverage !== null)
    .map((d) => {
      const se = d.coverageSE ?? 0;
      return {
        combo: comboLabel(d.design, d.estimator),
        design: d.design,
        coverage: d.coverage!,
        lo: Math.max(0, d.coverage! - 2 * se),
        hi: Math.min(1, d.coverage! + 2 * se),
      };
    });
}

export function coverageChart(
  diagnosis: readonly Diagnosis[],
  metric: string,
  nominal = 0.95,
  opts: { width?: number; designs?: readonly string[] } = {},
): TopLevelSpec {
  const points = coveragePoints(diagnosis, metric);
  const order = points.map((p) => p.combo);
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, 1], nice: false },
    axis: { format: '.0%' },
    title: 'share of intervals containing the truth',
  };
  const y = { field: 'combo', type: 'nominal' as const, sort: order, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: `Interval coverage: ${metric}`,
      subtitle: `red dashed line: nominal ${Math.round(100 * nominal)}%; bars: ±2 Monte Carlo SE`,
    },
    width: opts.width ?? 460,
    height: { step: 26 },
    layer: [
      {
        data: { values: points },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x: { field: 'lo', ...x },
          x2: { field: 'hi' },
          y,
          color: { field: 'design', type: 'nominal', scale: designColor(opts.designs ?? uniq(points.map((p) => p.design))), legend: null },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 80 },
        encoding: { x: { field: 'coverage', ...x }, y, color: { field: 'design', type: 'nominal', legend: null } },
      },
      {
        data: { values: [{ nominal }] },
        mark: { type: 'rule', color: TRUTH_COLOR, strokeDash: [5, 3] },
        encoding: { x: { field: 'nominal', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}
