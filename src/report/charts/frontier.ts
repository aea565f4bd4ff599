// The design frontier's pictures. The map: interference across, the
// cluster parameter down, each cell coloured by the design with the lowest
// RMSE there and labelled with the cluster design's RMSE as a multiple of the
// user-level design's (below 1: cluster randomization pays); the recommended
// cell of each column is ringed. The panels: bias, SD, RMSE and power of
// every design · estimator against the number of clusters, one column per
// interference level. SD and RMSE are on log axes and bias on a symmetric
// log axis, so an estimator orders of magnitude noisier (HT under user-level
// randomization) does not flatten the others.
import type { TopLevelSpec } from 'vega-lite';
import { USABLE_SHARE, type Frontier } from '../../sim/frontier.js';
import type { SweepRow, SweepValue } from '../../sim/sweep.js';
import { comboLabel } from '../bins.js';
import { config, designColor } from './style.js';

const show = (v: SweepValue) => String(v);

/** The cluster axis's labels: "value (N clusters)". */
export function clusterLabels(f: Frontier, rows: readonly SweepRow[]): Map<string, string> {
  const cp = f.axes.clusters.path;
  const labels = new Map<string, string>();
  for (const v of f.axes.clusters.values) {
    const units = rows.find((r) => r.design === f.varied && r.point[cp] === v)?.units;
    labels.set(show(v), units !== undefined && units !== null ? `${show(v)} (${units.toLocaleString('en-US')} clusters)` : show(v));
  }
  return labels;
}

/** One cell per interference level x cluster value: the winner, the RMSE ratio, whether it is the recommendation. */
export function frontierCells(f: Frontier, rows: readonly SweepRow[], metric: string): Record<string, unknown>[] {
  const labels = clusterLabels(f, rows);
  const ip = f.axes.interference.path;
  const cp = f.axes.clusters.path;
  const cells: Record<string, unknown>[] = [];
  for (const level of f.levels.filter((l) => l.metric === metric)) {
    for (const v of f.axes.clusters.values) {
      const here = rows.filter(
        (r) =>
          r.metric === metric &&
          r.point[ip] === level.interference &&
          r.point[cp] === v &&
          r.rmse !== null &&
          1 - r.undefinedShare >= USABLE_SHARE,
      );
      const best = here.reduce<SweepRow | null>((b, r) => (b === null || r.rmse! < b.rmse! ? r : b), null);
      const cmp = level.comparisons.find((c) => c.cluster === v);
      const rec = level.recommended;
      cells.push({
        interference: show(level.interference),
        cluster: labels.get(show(v)),
        winner: best?.design ?? 'none',
        ratio: cmp ? cmp.rmse / cmp.referenceRmse : null,
        text: cmp ? `${(cmp.rmse / cmp.referenceRmse).toPrecision(2)}×${cmp.clear ? '' : '*'}` : '—',
        recommended: rec !== null && rec.design === f.varied && rec.cluster === v,
      });
    }
  }
  return cells;
}

export function frontierMapChart(f: Frontier, rows: readonly SweepRow[], metric: string, designs: readonly string[]): TopLevelSpec {
  // the grid's cells, and a top row naming each level's recommendation
  const REC = 'recommended';
  const values = [
    ...frontierCells(f, rows, metric).map((c) => ({ ...c, kind: 'cell' })),
    ...f.levels
      .filter((l) => l.metric === metric)
      .map((l) => ({
        kind: 'rec',
        interference: show(l.interference),
        cluster: REC,
        text: l.recommended ? `${l.recommended.design} · ${l.recommended.estimator}` : 'none qualifies',
        recommended: false,
      })),
  ];
  const labels = [REC, ...clusterLabels(f, rows).values()];
  const x = {
    field: 'interference',
    type: 'ordinal' as const,
    sort: f.axes.interference.values.map(show),
    title: f.axes.interference.path,
    axis: { labelAngle: 0 },
  };
  const y = { field: 'cluster', type: 'ordinal' as const, sort: labels, title: `${f.axes.clusters.path} (${f.varied})` };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: `Design frontier: ${metric}`,
      subtitle: [
        `colour: the design with the lowest RMSE there; label: ${f.varied}'s RMSE over ${f.reference}'s (below 1×: cluster randomization pays).`,
        `Top row and ring: the recommendation at that interference level (lowest RMSE with power ≥ ${f.powerMin} and coverage ≥ ${f.coverageMin}). * within 2 Monte Carlo SEs.`,
      ],
    },
    data: { values },
    width: { step: 120 },
    height: { step: 34 },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'cell'" }],
        mark: { type: 'rect', opacity: 0.75 },
        encoding: {
          x,
          y,
          color: { field: 'winner', type: 'nominal', scale: designColor(designs), title: 'lowest RMSE' },
        },
      },
      {
        transform: [{ filter: 'datum.recommended' }],
        mark: { type: 'rect', fill: null, stroke: '#111', strokeWidth: 3 },
        encoding: { x, y },
      },
      {
        transform: [{ filter: "datum.kind === 'cell'" }],
        mark: { type: 'text', fontSize: 11, color: '#111' },
        encoding: { x, y, text: { field: 'text' } },
      },
      {
        transform: [{ filter: "datum.kind === 'rec'" }],
        mark: { type: 'text', fontSize: 11, color: '#111', fontWeight: 'bold' },
        encoding: { x, y, text: { field: 'text' } },
      },
    ],
  } as TopLevelSpec;
}

type Diagnosand = 'bias' | 'sd' | 'rmse' | 'power';

/** Bias, SD, RMSE and power against the number of clusters, a column per interference level. */
export function frontierLinesChart(f: Frontier, rows: readonly SweepRow[], metric: string, designs: readonly string[]): TopLevelSpec {
  const ip = f.axes.interference.path;
  const cp = f.axes.clusters.path;
  // the varied design's cluster count at each cluster value is every row's x
  const unitsAt = new Map(
    f.axes.clusters.values.map((v) => [show(v), rows.find((r) => r.design === f.varied && r.point[cp] === v)?.units ?? null]),
  );
  const recs = f.levels.filter((l) => l.metric === metric);
  const values = rows
    .filter((r) => r.metric === metric && unitsAt.get(show(r.point[cp]!)) !== null)
    .map((r) => {
      const rec = recs.find((l) => l.interference === r.point[ip])?.recommended;
      return {
        interference: show(r.point[ip]!),
        clusters: unitsAt.get(show(r.point[cp]!)),
        design: r.design,
        estimator: r.estimator,
        combo: comboLabel(r.design, r.estimator),
        bias: r.bias,
        sd: r.sd !== null && r.sd > 0 ? r.sd : null,
        rmse: r.rmse !== null && r.rmse > 0 ? r.rmse : null,
        power: r.power === null ? null : r.power * (1 - r.undefinedShare),
        recommended:
          rec !== undefined &&
          rec !== null &&
          rec.design === r.design &&
          rec.estimator === r.estimator &&
          (rec.cluster === null || rec.cluster === r.point[cp]),
      };
    });
  const sds = values
    .map((v) => v.sd)
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  // the symmetric log axis is linear within the typical SD, logarithmic beyond
  const constant = sds.length ? sds[Math.floor(sds.length / 2)]! : 1;
  const scales: Record<Diagnosand, Record<string, unknown>> = {
    bias: { type: 'symlog', constant },
    sd: { type: 'log' },
    rmse: { type: 'log' },
    power: { domain: [0, 1] },
  };
  const titles: Record<Diagnosand, string> = {
    bias: 'bias (symlog)',
    sd: 'SD (log)',
    rmse: 'RMSE (log)',
    power: 'power',
  };
  const row = (d: Diagnosand, last: boolean) => ({
    facet: {
      column: {
        field: 'interference',
        type: 'ordinal',
        sort: f.axes.interference.values.map(show),
        title: d === 'bias' ? ip : null,
        header: d === 'bias' ? {} : { labels: false },
      },
    },
    spacing: 10,
    spec: {
      width: 170,
      height: 130,
      layer: [
        ...(d === 'bias' || d === 'power'
          ? [
              {
                mark: { type: 'rule', color: '#999', strokeDash: d === 'power' ? [4, 3] : [] },
                encoding: { y: { datum: d === 'power' ? f.powerMin : 0 } },
              },
            ]
          : []),
        {
          transform: [{ filter: `datum.${d} !== null` }],
          mark: { type: 'line', point: true, strokeWidth: 1.5 },
          encoding: {
            x: {
              field: 'clusters',
              type: 'quantitative',
              scale: { type: 'log', nice: false, padding: 10 },
              title: last ? `clusters in ${f.varied} (log)` : null,
              axis: last ? {} : { labels: false },
            },
            y: { field: d, type: 'quantitative', scale: scales[d], title: titles[d] },
            color: { field: 'design', type: 'nominal', scale: designColor(designs), title: 'design' },
            strokeDash: { field: 'estimator', type: 'nominal', title: 'estimator' },
            shape: { field: 'estimator', type: 'nominal', title: 'estimator' },
            detail: { field: 'combo' },
          },
        },
        {
          transform: [{ filter: `datum.recommended && datum.${d} !== null` }],
          mark: { type: 'point', shape: 'circle', size: 160, stroke: '#111', strokeWidth: 2, fill: null },
          encoding: { x: { field: 'clusters', type: 'quantitative' }, y: { field: d, type: 'quantitative' } },
        },
      ],
    },
  });
  const order: Diagnosand[] = ['bias', 'sd', 'rmse', 'power'];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: `Bias, SD, RMSE and power against the number of clusters: ${metric}`,
      subtitle: `One column per ${ip}; designs the cluster axis does not change are flat. Ringed: the recommendation. Power counts an undefined estimate as no finding; dashed: ${f.powerMin}.`,
    },
    data: { values },
    vconcat: order.map((d, i) => row(d, i === order.length - 1)),
    resolve: { scale: { color: 'shared', strokeDash: 'shared', shape: 'shared' } },
  } as TopLevelSpec;
}
