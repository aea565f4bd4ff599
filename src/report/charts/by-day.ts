// How long to run (issue 17), over `run --by-day R`'s replications: each
// design's bias (or RMSE) against the day of the experiment, with a ±2
// Monte Carlo SE band and a diamond on the day from which it is stable; and,
// with adoption on, the adoption curves: each design's treatment and control
// arms and the truth's two worlds (red), the share using the feature by day.
import type { TopLevelSpec } from 'vega-lite';
import type { Days } from '../readout-days.js';
import { config, designColor, TRUTH_COLOR } from './style.js';

const fin = (x: number) => Number.isFinite(x);

/** One point per design and day where the value is defined, with its ±2 MC SE band (lo, hi null where the SE is not defined: no band there, not a zero-width one). */
export function dayValues(days: Days, which: 'bias' | 'rmse') {
  return days.designs.flatMap((g) => {
    const v = which === 'bias' ? g.bias : g.rmse;
    const se = which === 'bias' ? g.biasSe : g.rmseSe;
    return v.flatMap((x, day) => {
      if (!fin(x)) return [];
      const s = se[day]!;
      return [{ design: g.design, day, value: x, se: s, lo: fin(s) ? x - 2 * s : null, hi: fin(s) ? x + 2 * s : null }];
    });
  });
}

export function byDayChart(
  days: Days,
  which: 'bias' | 'rmse',
  opts: { width?: number; height?: number; designs?: readonly string[] } = {},
): TopLevelSpec {
  const values = dayValues(days, which);
  // colours by the scenario's designs when given, so a design keeps its colour in every chart
  const designs = opts.designs ?? days.designs.map((g) => g.design);
  const scale = designColor(designs);
  const hue = (name: string) => scale.range[designs.indexOf(name)] ?? '#888';
  const stable = days.designs.flatMap((g) => {
    const d = which === 'bias' ? g.biasStableFrom : g.rmseStableFrom;
    const v = d === null ? NaN : (which === 'bias' ? g.bias : g.rmse)[d]!;
    return d !== null && fin(v) ? [{ design: g.design, day: d, value: v }] : [];
  });
  const x = { field: 'day', type: 'quantitative' as const, title: 'day of the experiment', axis: { tickMinStep: 1 } };
  // short: a y title longer than the plot is tall pads the picture
  const y = {
    type: 'quantitative' as const,
    title: `${which === 'bias' ? 'bias' : 'RMSE'} per user and day`,
    scale: { zero: which === 'rmse' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: `${which === 'bias' ? 'Bias' : 'RMSE'} by day: ${days.metric}`,
      subtitle: [
        `${which === 'bias' ? 'difference in means − the day’s truth' : 'root mean squared error'}, numerator per user and day, ${days.replications} replications`,
        '±2 Monte Carlo SE bands; ◆ the day from which it is stable',
      ],
    },
    width: opts.width ?? 460,
    height: opts.height ?? 240,
    layer: [
      ...(which === 'bias'
        ? [
            {
              data: { values: [{ zero: 0 }] },
              mark: { type: 'rule' as const, color: '#999' },
              encoding: { y: { field: 'zero', type: 'quantitative' as const } },
            },
          ]
        : []),
      // one band layer per design in its fixed colour: an encoded band would share (and pale) the lines' legend
      ...days.designs.map((g) => ({
        // a day without an SE (lo, hi null) breaks the band there: no band, not a zero-width one
        data: { values: values.filter((p) => p.design === g.design) },
        mark: { type: 'area' as const, opacity: 0.18, color: hue(g.design), invalid: 'break-paths-filter-domains' as const },
        encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' } },
      })),
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'value', ...y },
          color: { field: 'design', type: 'nominal', scale, title: 'design' },
          tooltip: [
            { field: 'design' },
            { field: 'day' },
            { field: 'value', format: '.4g' },
            { field: 'se', title: 'MC SE', format: '.2g' },
          ],
        },
      },
      {
        data: { values: stable },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 150, stroke: '#222', strokeWidth: 1 },
        // the lines' colour encoding, title included, so the two layers share one legend
        encoding: { x, y: { field: 'value', ...y }, color: { field: 'design', type: 'nominal', scale, title: 'design' } },
      },
    ],
  } as TopLevelSpec;
}

/** The adoption curves' points: per design its two arms, and the truth's two worlds; empty without adoption. */
export function adoptionValues(days: Days) {
  const out: { series: string; arm: 'treated' | 'control'; line: string; day: number; share: number; se: number }[] = [];
  const add = (series: string, arm: 'treated' | 'control', line: string, share: number[], se: number[]) =>
    share.forEach((s, day) => {
      if (fin(s)) out.push({ series, arm, line, day, share: s, se: se[day]! });
    });
  for (const g of days.designs) {
    if (!g.adoption) continue;
    add(g.design, 'treated', `${g.design}: treatment arm`, g.adoption.treatment.share, g.adoption.treatment.se);
    add(g.design, 'control', `${g.design}: control arm`, g.adoption.control.share, g.adoption.control.se);
  }
  if (days.adoption) {
    add('truth', 'treated', 'all treated (truth)', days.adoption.allTreated.share, days.adoption.allTreated.se);
    add('truth', 'control', 'all control (truth)', days.adoption.allControl.share, days.adoption.allControl.se);
  }
  return out;
}

export function adoptionChart(days: Days, opts: { width?: number; height?: number; designs?: readonly string[] } = {}): TopLevelSpec {
  const values = adoptionValues(days);
  const designs = opts.designs ?? days.designs.map((g) => g.design);
  const d = designColor(designs);
  // the truth's worlds in the truth's red, never a design's colour
  const scale = { domain: [...d.domain, 'truth'], range: [...d.range, TRUTH_COLOR] };
  const top = Math.max(0.01, ...values.map((p) => p.share));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    title: {
      text: 'Adoption by day',
      subtitle: [
        `share using the feature (adopted, not lapsed) by the end of the day, ${days.replications} replications`,
        'solid: treatment arm, all treated; dashed: control arm, all control; red: the truth’s worlds',
      ],
    },
    width: opts.width ?? 460,
    height: opts.height ?? 240,
    data: { values },
    // no points: a line mark's legend then shows each arm's dash
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'day', type: 'quantitative', title: 'day of the experiment', axis: { tickMinStep: 1 } },
      y: {
        field: 'share',
        type: 'quantitative',
        title: 'share adopted',
        scale: { domain: [0, Math.min(1, top * 1.1)], nice: false },
        axis: { format: '.0%' },
      },
      color: { field: 'series', type: 'nominal', scale, title: 'design' },
      strokeDash: {
        field: 'arm',
        type: 'nominal',
        scale: {
          domain: ['treated', 'control'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
        title: 'arm / world',
      },
      detail: { field: 'line' },
      tooltip: [
        { field: 'line', title: 'curve' },
        { field: 'day' },
        { field: 'share', format: '.1%' },
        { field: 'se', title: 'MC SE', format: '.1%' },
      ],
    },
  } as TopLevelSpec;
}
