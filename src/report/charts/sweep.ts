// A sweep: bias and RMSE of each design x estimator against the varied
// parameter. Where the cluster design's RMSE curve crosses below the user
// design's is where cluster randomization starts to pay. When RMSEs differ
// more than 20x (HT under user-level randomization), RMSE goes on a log axis
// and bias on a symmetric log axis, so the noisiest does not flatten the rest.
import type { TopLevelSpec } from 'vega-lite';
import type { SweepRow } from '../../sim/sweep.js';
import { comboLabel } from '../bins.js';
import { config, designColor, uniq } from './style.js';

export function sweepChart(rows: readonly SweepRow[], metric: string, opts: { width?: number } = {}): TopLevelSpec {
  const path = rows[0]?.path ?? 'value';
  const numeric = rows.every((r) => typeof r.value === 'number');
  const values = rows
    .filter((r) => r.metric === metric && r.bias !== null)
    .map((r) => ({
      combo: comboLabel(r.design, r.estimator),
      design: r.design,
      estimator: r.estimator,
      value: r.value,
      bias: r.bias,
      rmse: r.rmse,
    }));
  const x = {
    field: 'value',
    type: numeric ? ('quantitative' as const) : ('ordinal' as const),
    title: path,
    ...(numeric ? { scale: { zero: false } } : { sort: null }),
  };
  const rmses = values.map((v) => v.rmse).filter((r): r is number => r !== null && r > 0);
  const wide = rmses.length > 0 && Math.max(...rmses) > 20 * Math.min(...rmses);
  // a log axis has no 0: an RMSE of exactly 0 is left out of that panel (Vega-Lite filters null)
  if (wide) for (const v of values) if (v.rmse !== null && v.rmse <= 0) v.rmse = null;
  const sorted = [...rmses].sort((a, b) => a - b);
  const scale = (field: 'bias' | 'rmse') =>
    !wide ? {} : field === 'rmse' ? { scale: { type: 'log' } } : { scale: { type: 'symlog', constant: sorted[sorted.length >> 1] } };
  const enc = (field: 'bias' | 'rmse', title: string) => ({
    x,
    y: { field, type: 'quantitative' as const, title: wide ? `${title} (${field === 'rmse' ? 'log' : 'symlog'})` : title, ...scale(field) },
    color: { field: 'design', type: 'nominal' as const, scale: designColor(uniq(values.map((v) => v.design))), title: 'design' },
    strokeDash: { field: 'estimator', type: 'nominal' as const, title: 'estimator' },
    shape: { field: 'estimator', type: 'nominal' as const, title: 'estimator' },
    detail: { field: 'combo' },
  });
  const panel = (field: 'bias' | 'rmse', title: string, zeroRule: boolean) => ({
    width: opts.width ?? 320,
    height: 240,
    layer: [
      ...(zeroRule
        ? [
            {
              data: { values: [{ zero: 0 }] },
              mark: { type: 'rule' as const, color: '#999' },
              encoding: { y: { field: 'zero', type: 'quantitative' as const } },
            },
          ]
        : []),
      { data: { values }, mark: { type: 'line' as const, point: true }, encoding: enc(field, title) },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: { text: `Sweep of ${path}: ${metric}`, subtitle: 'left: bias (mean estimate − truth); right: RMSE. Lower RMSE is better.' },
    hconcat: [panel('bias', 'bias', true), panel('rmse', 'RMSE', false)],
    resolve: { scale: { color: 'shared', strokeDash: 'shared', shape: 'shared' } },
  } as TopLevelSpec;
}
