// The picture that shows the bias: for each design x estimator, the
// histogram of its estimates over the replications, with the true effect as
// a red line. A biased design's bars sit away from the line however many
// replications run.
import type { TopLevelSpec } from 'vega-lite';
import type { Histograms } from '../bins.js';
import { config, designColor, TRUTH_COLOR, uniq } from './style.js';

// one decimal below 1%, so a rare undefined estimate does not read as 0%
const pct = (x: number) => `${(100 * x).toFixed(x < 0.01 ? 1 : 0)}%`;

function note(c: Histograms['combos'][number]): string {
  const parts: string[] = [];
  const n = c.defined + c.undefined;
  if (c.undefined > 0) parts.push(`${pct(c.undefined / n)} undefined`);
  if (c.below + c.above > 0) parts.push(`${c.below + c.above} beyond axis`);
  return parts.join(', ');
}

/** The chart's data: bars and one summary record per design x estimator. */
export function estimatesValues(h: Histograms): Record<string, unknown>[] {
  return [
    ...h.bins.map((b) => ({ kind: 'bin', ...b })),
    ...h.combos.map((c) => ({ kind: 'stat', combo: c.combo, design: c.design, truth: c.truth, mean: c.mean, note: note(c) })),
  ];
}

export function estimatesChart(h: Histograms, opts: { title?: string; width?: number; rowHeight?: number } = {}): TopLevelSpec {
  const order = h.combos.map((c) => c.combo);
  const designs = uniq(h.combos.map((c) => c.design));
  const values = estimatesValues(h);
  const x = { scale: { domain: h.domain, nice: false, zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: opts.title ?? `Estimates of ${h.metric} in each replication`,
      subtitle: 'red line: true global effect; dashed: mean estimate. Bars away from the red line = bias.',
    },
    // named, so a live view can swap the values in place (web/)
    data: { name: 'estimates', values },
    facet: { row: { field: 'combo', type: 'nominal', sort: order, title: null, header: { labels: false } } },
    spacing: 4,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: opts.width ?? 460,
      height: opts.rowHeight ?? 44,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'bin'" }],
          mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
          encoding: {
            x: { field: 'lo', type: 'quantitative', title: `estimate of the effect on ${h.metric}`, ...x },
            x2: { field: 'hi' },
            y: { field: 'count', type: 'quantitative', title: null, axis: { ticks: false, labels: false, grid: false, domain: false } },
            y2: { datum: 0 },
            color: { field: 'design', type: 'nominal', scale: designColor(designs), legend: null },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'stat' && datum.mean !== null" }],
          mark: { type: 'rule', color: '#222', strokeDash: [3, 2], strokeWidth: 1.2, clip: true },
          encoding: { x: { field: 'mean', type: 'quantitative', ...x } },
        },
        {
          transform: [{ filter: "datum.kind === 'stat'" }],
          mark: { type: 'rule', color: TRUTH_COLOR, strokeWidth: 2, clip: true },
          encoding: { x: { field: 'truth', type: 'quantitative', ...x } },
        },
        {
          // row labels as text marks: facet header labels do not right-align
          transform: [{ filter: "datum.kind === 'stat'" }],
          mark: { type: 'text', align: 'right', baseline: 'middle', dx: -8, fontSize: 12, color: '#222' },
          encoding: { text: { field: 'combo' }, x: { value: 0 }, y: { value: (opts.rowHeight ?? 44) / 2 } },
        },
        {
          transform: [{ filter: "datum.kind === 'stat' && datum.note !== ''" }],
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 10, color: '#555' },
          encoding: { text: { field: 'note' }, x: { value: opts.width ?? 460 }, y: { value: (opts.rowHeight ?? 44) / 2 } },
        },
      ],
    },
  } as TopLevelSpec;
}
