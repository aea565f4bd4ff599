// Bias against standard deviation for every design x estimator, with RMSE
// contours (RMSE^2 = bias^2 + SD^2): the trade-off in one picture. A point
// close to the zero-bias line and far left is both unbiased and precise.
import type { TopLevelSpec } from 'vega-lite';
import type { Diagnosis } from '../../sim/summary.js';
import { comboLabel } from '../bins.js';
import { config, designColor, uniq } from './style.js';

type Point = { combo: string; design: string; estimator: string; sd: number; bias: number; rmse: number };

/** 1-2-5 levels from about the smallest to the largest RMSE, at most `max` of them. */
export function rmseLevels(rmses: number[], max = 6): number[] {
  const pos = rmses.filter((r) => r > 0);
  if (pos.length === 0) return [];
  const lo = Math.min(...pos) * 0.8;
  const hi = Math.max(...pos) * 1.05;
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(1));
      if (v >= lo && v <= hi) all.push(v);
    }
  }
  if (all.length === 0) return [Number(hi.toPrecision(1))];
  const step = Math.ceil(all.length / max);
  return all.filter((_, i) => (all.length - 1 - i) % step === 0);
}

export function biasSdPoints(diagnosis: readonly Diagnosis[], metric: string): { shown: Point[]; hidden: string[] } {
  const shown: Point[] = [];
  const hidden: string[] = [];
  for (const d of diagnosis) {
    if (d.metric !== metric) continue;
    const combo = comboLabel(d.design, d.estimator);
    if (d.bias === null || d.sd === null || d.rmse === null) hidden.push(`${combo} (undefined)`);
    else shown.push({ combo, design: d.design, estimator: d.estimator, sd: d.sd, bias: d.bias, rmse: d.rmse });
  }
  return { shown, hidden };
}

export function biasSdChart(
  diagnosis: readonly Diagnosis[],
  metric: string,
  opts: { width?: number; height?: number; designs?: readonly string[] } = {},
): TopLevelSpec {
  const points = biasSdPoints(diagnosis, metric);
  const hidden = points.hidden;
  let shown = points.shown;
  const positive = shown.map((p) => p.sd).filter((s) => s > 0);
  // log axis when the spreads differ by more than 20x, else a plain one
  const log = positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 20;
  if (log) {
    for (const p of shown.filter((q) => q.sd === 0)) hidden.push(`${p.combo} (SD 0)`);
    shown = shown.filter((q) => q.sd > 0);
  }
  const sds = shown.map((p) => p.sd);
  const xMin = log ? Math.min(...positive) / 1.5 : 0;
  const maxAbs = Math.max(...shown.map((p) => Math.abs(p.bias)), 1e-12) * 1.25;
  // on a linear axis SD and bias share one range, so equal RMSE reads as a circle
  const xMax = log ? Math.max(...sds) * 1.5 : Math.max(...sds, maxAbs / 1.25, 1e-12) * 1.1;
  const levels = rmseLevels(shown.map((p) => p.rmse));
  const contour: { level: string; sd: number; bias: number; i: number }[] = [];
  for (const r of levels) {
    const steps = 120;
    for (let i = 0; i <= steps; i++) {
      // sweep the angle from +90 to -90 degrees: sd = r cos t, bias = r sin t
      const t = Math.PI / 2 - (Math.PI * i) / steps;
      const sd = r * Math.cos(t);
      if (sd >= xMin && sd <= xMax) contour.push({ level: `RMSE ${r}`, sd, bias: r * Math.sin(t), i });
    }
  }
  // label each visible contour near the top of the plot
  const labels = levels
    .filter((r) => r > xMin)
    .map((r) => {
      const bias = Math.min(r, 0.92 * maxAbs);
      return { level: `RMSE ${r}`, sd: Math.min(xMax, Math.max(r > bias ? Math.sqrt(r * r - bias * bias) : r * 0.3, xMin)), bias };
    });
  const x = {
    field: 'sd',
    type: 'quantitative' as const,
    title: 'standard deviation of the estimate',
    scale: { type: log ? ('log' as const) : ('linear' as const), domain: [xMin, xMax], nice: false },
  };
  const y = {
    field: 'bias',
    type: 'quantitative' as const,
    title: 'bias (mean estimate − truth)',
    scale: { domain: [-maxAbs, maxAbs], nice: false },
  };
  // colours by the scenario's designs when given, so a design keeps its colour in every chart
  const designs = opts.designs ?? uniq(shown.map((p) => p.design));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: `Bias against spread: ${metric}`,
      subtitle: [
        `grey curves: equal RMSE${log ? '; log scale for SD' : ''}`,
        ...(hidden.length ? [`not shown: ${hidden.join(', ')}`] : []),
      ],
    },
    width: opts.width ?? 460,
    height: opts.height ?? 320,
    layer: [
      { data: { values: [{ bias: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'bias', type: 'quantitative' } } },
      {
        data: { values: contour },
        mark: { type: 'line', color: '#aaa', strokeDash: [4, 3], strokeWidth: 1, clip: true },
        encoding: { x, y, detail: { field: 'level' }, order: { field: 'i' } },
      },
      {
        data: { values: labels },
        mark: { type: 'text', color: '#888', fontSize: 10, align: 'left', dx: 3, dy: -5 },
        encoding: { x, y, text: { field: 'level' } },
      },
      {
        data: { values: shown },
        mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: { field: 'design', type: 'nominal', scale: designColor(designs), title: 'design' },
          shape: { field: 'estimator', type: 'nominal', title: 'estimator' },
          tooltip: [{ field: 'combo' }, { field: 'bias', format: '.4f' }, { field: 'sd', format: '.4f' }, { field: 'rmse', format: '.4f' }],
        },
      },
    ],
  } as TopLevelSpec;
}
