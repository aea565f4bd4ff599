// The report's "How long to run" section (run --by-day): drawn from the days
// a results file carries as byDay (or given as extras), one bias and one
// RMSE line with its band per design, a diamond per design on its stable
// day, and the adoption chart only when the days have adoption curves.
import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/report.js';
import type { Days } from '../../src/report/readout-days.js';
import { countItems } from '../helpers/svg.js';
import { smallRun } from '../helpers/small-run.js';

const H = 6;
const days: Days = {
  metric: 'y',
  horizon: H,
  users: 100,
  replications: 5,
  truth: [1, 2, 3, 3, 3, 3],
  rule: 'the first day from which every day’s value is within 2 Monte Carlo SEs of its mean over the last 7 days',
  designs: [
    {
      design: 'user',
      type: 'user-bernoulli',
      replications: 5,
      bias: [-0.1, -0.3, -0.5, -0.5, -0.5, -0.5],
      biasSe: Array(H).fill(0.05),
      rmse: [0.2, 0.4, 0.6, 0.6, 0.6, 0.6],
      rmseSe: Array(H).fill(0.05),
      biasStableFrom: 2,
      rmseStableFrom: 2,
    },
    {
      design: 'cluster',
      type: 'cluster',
      replications: 4,
      bias: [0, 0, 0, 0, 0, 0],
      biasSe: Array(H).fill(0.1),
      rmse: [0.3, 0.3, 0.3, 0.3, 0.3, 0.3],
      rmseSe: Array(H).fill(0.1),
      biasStableFrom: 0,
      rmseStableFrom: null,
    },
  ],
};
const curve = (share: number[]) => ({ share, se: share.map(() => 0.01), replications: 5 });
const ramp = (top: number) => Array.from({ length: H }, (_, d) => (top * (d + 1)) / H);
const withAdoption: Days = {
  ...days,
  designs: days.designs.map((g) => ({ ...g, adoption: { treatment: curve(ramp(0.3)), control: curve(Array(H).fill(0)) } })),
  adoption: { allTreated: curve(ramp(0.4)), allControl: curve(Array(H).fill(0)) },
};

const figureSvg = (html: string, id: string) => new RegExp(`<figure id="${id}">(<svg.*?</svg>)`, 's').exec(html)?.[1] ?? null;

describe('report: how long to run', async () => {
  const { results, rows } = smallRun();

  it('draws bias and RMSE by day from the byDay a results file carries, with a band and a stable-day diamond per design', async () => {
    const html = await reportHtml({ ...results, byDay: days } as typeof results, rows);
    expect(html).toContain('<h2 id="by-day">How long to run</h2>');
    expect(html).toContain('<td>cluster</td><td>cluster</td><td>4 †</td><td>day 0</td><td>not for 7 days by the last day</td>');
    // 5 replications: flagged (fewer than 30) as the run's tables flag them
    expect(html).toContain('<p class="note few-replications">† 5 replications (fewer than 30): read the bias, RMSE');
    const bias = figureSvg(html, 'by-day-bias')!;
    expect(countItems(bias, 'line mark')).toBe(2);
    expect(countItems(bias, 'area mark')).toBe(2);
    // a point per design and day on the lines, and a diamond per design with a stable day (bias: both; RMSE: user only)
    expect(countItems(bias, 'point')).toBe(2 * H + 2);
    const rmse = figureSvg(html, 'by-day-rmse')!;
    expect(rmse).toContain('RMSE by day: y');
    expect(countItems(rmse, 'point')).toBe(2 * H + 1);
    expect(figureSvg(html, 'by-day-adoption')).toBeNull();
  });

  it('draws the adoption curves when the days have them: two arms per design and the truth’s two worlds', async () => {
    const html = await reportHtml(results, rows, { days: withAdoption });
    const svg = figureSvg(html, 'by-day-adoption')!;
    expect(countItems(svg, 'line mark')).toBe(2 * 2 + 2);
    expect(svg).toContain('all treated (truth)');
  });

  it('has no such section without days, and still reads a carried lift-by-day array as before', async () => {
    const html = await reportHtml(results, rows);
    expect(html).not.toContain('id="by-day');
    const lift = [{ metric: 'y', points: [{ series: 'user', day: 0, lift: 0.1 }] }];
    const old = await reportHtml({ ...results, byDay: lift } as typeof results, rows);
    expect(old).not.toContain('id="by-day');
    expect(old).toContain('id="days-y"');
  });
});
