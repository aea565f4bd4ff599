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

/** `reference`: a horizontal line, e.g. the true lift over the whole test. */
export function liftByDayChart(
  points: readonly DayLift[],
  opts: { metric?: string; relative?: boolean; width?: number; reference?: { value: number; label: string } } = {},
): TopLevelSpec {
  const series = uniq(points.map((p) => p.series));
  const color = { field: 'series', type: 'nominal' as const, scale: designColor(series), title: null };
  // one band layer per series in a fixed colour: an encoded band would share
  // (and pale) the lines' legend
  const hues = designColor(series).range;
  const x = { field: 'day', type: 'quantitative' as const, title: 'day of the experiment', axis: { tickMinStep: 1 } };
  const yTitle = opts.relative ? 'lift (relative)' : 'lift';
  const band = points.filter((p) => p.lower != null && p.upper != null);
  const truth = points.filter((p) => p.truth != null);
  const ref = opts.reference;
  const [lo, hi] = focus([...points.map((p) => p.lift), ...truth.map((p) => p.truth!), ...(ref ? [ref.value] : [])]);
  const off = points.filter((p) => p.lift < lo || p.lift > hi).length;
  const y = {
    type: 'quantitative' as const,
    title: yTitle,
    scale: { domain: [lo, hi], nice: false },
    ...(opts.relative ? { axis: { format: '+.0%' } } : {}),
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: `Lift by day${opts.metric ? `: ${opts.metric}` : ''}`,
      subtitle:
        'a novelty effect shows as a lift that starts high and fades' +
        (truth.length ? '; red: true lift' : '') +
        (ref ? `; red dashed: ${ref.label}` : '') +
        (off ? `; ${off} day(s) off the axis` : ''),
    },
    width: opts.width ?? 460,
    height: 220,
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
      ...series.map((name, i) => ({
        data: { values: band.filter((p) => p.series === name) },
        mark: { type: 'area' as const, opacity: 0.18, clip: true, color: hues[i] },
        encoding: { x, y: { field: 'lower', ...y }, y2: { field: 'upper' } },
      })),
      ...(truth.length
        ? [
            {
              data: { values: truth },
              mark: { type: 'line' as const, color: TRUTH_COLOR, strokeDash: [4, 2] },
              encoding: { x, y: { field: 'truth', ...y }, detail: { field: 'series' } },
            },
          ]
        : []),
      ...(ref
        ? [
            {
              data: { values: [{ ref: ref.value }] },
              mark: { type: 'rule' as const, color: TRUTH_COLOR, strokeDash: [6, 3], strokeWidth: 1.5 },
              encoding: { y: { field: 'ref', ...y } },
            },
          ]
        : []),
      {
        data: { values: [...points] },
        mark: { type: 'line', point: true, clip: true },
        encoding: { x, y: { field: 'lift', ...y }, color },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The y range: 0, the reference and the central 90% of the daily lifts, with
 * room around them. A day whose control level is near zero can have a huge
 * relative lift; it is clipped and counted instead of flattening the rest.
 */
function focus(values: number[]): [number, number] {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))] ?? 0;
  const lo = Math.min(0, q(0.05));
  const hi = Math.max(0, q(0.95));
  const pad = 0.35 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}
