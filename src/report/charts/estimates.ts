// The picture that shows the bias: for each design x estimator, the
// histogram of its estimates over the replications, with the true effect as
// a red line. A biased design's bars sit away from the line however many
// replications run.
import type { TopLevelSpec } from 'vega-lite';
import type { Histograms } from '../bins.js';
import { config, designColor, TRUTH_COLOR, uniq } from './style.js';

/**
 * What a row's histogram shows, said on the row: how many estimates it
 * draws, how many fell beyond its axis, and how many undefined ones were
 * left out, so a histogram of 12 values does not pass for one of 1,000.
 */
export function histogramNote(c: Histograms['combos'][number]): string {
  const shown = c.defined - c.below - c.above;
  const parts = [`${shown.toLocaleString('en-US')} shown`];
  if (c.below + c.above > 0) parts.push(`${(c.below + c.above).toLocaleString('en-US')} beyond the axis`);
  if (c.undefined > 0) parts.push(`${c.undefined.toLocaleString('en-US')} undefined, left out`);
  if (c.ownAxis) parts.push('own axis');
  return parts.join(' · ');
}

/** The chart's data: bars and one summary record per design x estimator. */
export function estimatesValues(h: Histograms): Record<string, unknown>[] {
  const own = new Set(h.combos.filter((c) => c.ownAxis).map((c) => c.combo));
  return [
    ...h.bins.map((b) => ({ kind: 'bin', own: own.has(b.combo), ...b })),
    ...h.combos.map((c) => ({
      kind: 'stat',
      own: c.ownAxis,
      combo: c.combo,
      design: c.design,
      truth: c.truth,
      mean: c.mean,
      note: histogramNote(c),
    })),
  ];
}

/**
 * Histograms of every design x estimator, one row each, on one shared axis;
 * an estimator far noisier than the rest (HT or Hájek under user-level
 * randomization) gets a row below them with an axis of its own, so it
 * neither squashes the others nor loses its values off the edge.
 */
export function estimatesChart(
  h: Histograms,
  opts: { title?: string; width?: number; rowHeight?: number; designs?: readonly string[] } = {},
): TopLevelSpec {
  // colours by the scenario's designs when given, so a design keeps its colour in every chart
  const designs = opts.designs ?? uniq(h.combos.map((c) => c.design));
  const values = estimatesValues(h);
  const width = opts.width ?? 460;
  const rowHeight = opts.rowHeight ?? 44;
  const shared = h.combos.filter((c) => !c.ownAxis).map((c) => c.combo);
  const own = h.combos.filter((c) => c.ownAxis).map((c) => c.combo);
  const panel = (order: string[], ownAxes: boolean) => {
    const x = ownAxes ? { scale: { nice: false, zero: false } } : { scale: { domain: h.domain, nice: false, zero: false } };
    const which = ownAxes ? 'datum.own' : '!datum.own';
    return {
      transform: [{ filter: which }],
      facet: { row: { field: 'combo', type: 'nominal', sort: order, title: null, header: { labels: false } } },
      spacing: ownAxes ? 22 : 4,
      resolve: { scale: { y: 'independent', ...(ownAxes ? { x: 'independent' } : {}) } },
      spec: {
        width,
        height: rowHeight,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'bin'" }],
            mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
            encoding: {
              x: {
                field: 'lo',
                type: 'quantitative',
                title: ownAxes ? `own axis: spread more than 3× the others'` : `estimate of the effect on ${h.metric}`,
                ...x,
              },
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
            encoding: { text: { field: 'combo' }, x: { value: 0 }, y: { value: rowHeight / 2 } },
          },
          {
            // how many values the row shows, beyond its axis, and undefined
            transform: [{ filter: "datum.kind === 'stat'" }],
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 10, color: '#555' },
            encoding: { text: { field: 'note' }, x: { value: width }, y: { value: rowHeight / 2 } },
          },
        ],
      },
    };
  };
  const parts = [...(shared.length ? [panel(shared, false)] : []), ...(own.length ? [panel(own, true)] : [])];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: opts.title ?? `Estimates of ${h.metric} in each replication`,
      subtitle: 'red line: true global effect; dashed: mean estimate. Bars away from the red line = bias.',
    },
    // named, so a live view can swap the values in place (web/)
    data: { name: 'estimates', values },
    vconcat: parts,
    spacing: 18,
  } as TopLevelSpec;
}
