// The HT variance of a mixture of K fixed clusterings against K (log
// scale), one line per mixture design, with the RGCR limit (the same
// clusterer drawn afresh every time, K → ∞) as a horizontal line and a
// band of ± 2 Monte Carlo SE around it.
import type { TopLevelSpec } from 'vega-lite';
import { config, designColor, uniq } from './style.js';

export interface CurvePoint {
  design: string;
  k: number;
  variance: number;
}

export interface CurveLimit {
  design: string;
  variance: number;
  se: number;
}

export function varianceCurveChart(
  points: readonly CurvePoint[],
  limits: readonly CurveLimit[],
  opts: { metric: string; exposure: string; width?: number },
): TopLevelSpec {
  const designs = uniq([...points.map((p) => p.design), ...limits.map((l) => l.design)]);
  const bands = limits.map((l) => ({ design: l.design, variance: l.variance, lo: l.variance - 2 * l.se, hi: l.variance + 2 * l.se }));
  // a log axis when everything drawn is positive (variances usually span a wide range); else linear
  const positive = points.every((p) => p.variance > 0) && bands.every((b) => b.lo > 0);
  // a little room around the data, not the next power of ten
  const all = [...points.map((p) => p.variance), ...bands.flatMap((b) => [b.lo, b.hi])];
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const domain = positive ? [lo / 1.15, hi * 1.15] : [lo - 0.05 * (hi - lo || 1), hi + 0.05 * (hi - lo || 1)];
  const y = {
    type: 'quantitative' as const,
    title: 'Var(HT)',
    scale: { type: positive ? ('log' as const) : ('linear' as const), domain, nice: false },
  };
  const color = { field: 'design', type: 'nominal' as const, scale: designColor(designs), title: 'design' };
  const ks = points.map((p) => p.k);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: `HT variance against the number K of mixed clusterings: ${opts.metric}`,
      subtitle: [
        `${opts.exposure} exposure; exact for each K.`,
        'Dashed: RGCR (a fresh clustering every draw), the K → ∞ limit, ± 2 Monte Carlo SE.',
      ],
    },
    width: opts.width ?? 420,
    height: 280,
    layer: [
      ...(bands.length
        ? [
            {
              data: { values: bands },
              mark: { type: 'rect' as const, opacity: 0.12 },
              encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' }, color },
            },
            {
              data: { values: bands },
              mark: { type: 'rule' as const, strokeDash: [6, 4] },
              encoding: { y: { field: 'variance', ...y }, color },
            },
          ]
        : []),
      {
        data: { values: points },
        mark: { type: 'line' as const, point: true },
        encoding: {
          x: {
            field: 'k',
            type: 'quantitative' as const,
            title: 'K (clusterings in the mixture)',
            scale: { type: 'log' as const, domain: [Math.min(...ks, 1), Math.max(...ks, 2)] },
          },
          y: { field: 'variance', ...y },
          color,
        },
      },
    ],
  } as TopLevelSpec;
}
