// Lift by day for the product cases: a novelty effect shows as a lift that
// starts high and decays. One line per series (a design, or "with warm-up"),
// an optional band for the 95% interval and the true lift in red.
import type { TopLevelSpec } from 'vega-lite';
import { config, designColor, TRUTH_COLOR, uniq } from './style.js';

export interface DayLift {
  /** line label, e.g. a design name */
  series: string;
  day: number;
  lift: number;
  lower?: number | null;
  upper?: number | null;
  /** true lift that day, when known */
  truth?: number | null;
}

export function liftByDayChart(points: readonly DayLift[], opts: { metric?: string; relative?: boolean; width?: number } = {}): TopLevelSpec {
  const series = uniq(points.map((p) => p.series));
  const color = { field: 'series', type: 'nominal' as const, scale: designColor(series), title: null };
  const x = { field: 'day', type: 'quantitative' as const, title: 'day of the experiment', axis: { tickMinStep: 1 } };
  const yTitle = opts.relative ? 'lift (relative)' : 'lift';
  const y = { type: 'quantitative' as const, title: yTitle, ...(opts.relative ? { axis: { format: '+.0%' } } : {}) };
  const band = points.filter((p) => p.lower != null && p.upper != null);
  const truth = points.filter((p) => p.truth != null);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: { text: `Lift by day${opts.metric ? `: ${opts.metric}` : ''}`, subtitle: 'a novelty effect shows as a lift that starts high and fades' + (truth.length ? '; red: true lift' : '') },
    width: opts.width ?? 460,
    height: 220,
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
      ...(band.length ? [{ data: { values: band }, mark: { type: 'area' as const, opacity: 0.18 }, encoding: { x, y: { field: 'lower', ...y }, y2: { field: 'upper' }, color } }] : []),
      ...(truth.length ? [{ data: { values: truth }, mark: { type: 'line' as const, color: TRUTH_COLOR, strokeDash: [4, 2] }, encoding: { x, y: { field: 'truth', ...y }, detail: { field: 'series' } } }] : []),
      { data: { values: [...points] }, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'lift', ...y }, color } },
    ],
  } as TopLevelSpec;
}
