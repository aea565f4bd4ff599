// What the readout and the report say (issue 17's audit): the decomposition's
// truth* is an absolute per-user-day difference; under a thread design the
// arms are users with all / none of their groups treated; the report's
// adoption caption does not say "half in control" of every design; and a day
// whose Monte Carlo SE is not defined draws no band, not a zero-width one.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { readout } from '../../src/report/readout.js';
import { formatReadout } from '../../src/report/readout-text.js';
import { byDayChart, dayValues } from '../../src/report/charts/by-day.js';
import { toSvg } from '../../src/report/render.js';
import { reportHtml } from '../../src/report/report.js';
import type { Days } from '../../src/report/readout-days.js';
import { smallRun } from '../helpers/small-run.js';

const rule = { minLift: 0.02, warmup: 3, topShare: 0.1 };
const plan = (type: 'user-bernoulli' | 'thread') =>
  buildPlan(
    parseScenario({
      seed: 5,
      graph: { generator: 'sbm', blocks: 4, blockSize: 60, pIn: 0.1, pOut: 0.002 },
      threads: { meanThreadsPerUser: 3 },
      model: { type: 'group-calls', horizon: 10, startRate: 0.05, adoption: { hazard: 0.05, perExposure: 0.3 } },
      designs: [{ type, name: type === 'thread' ? 'thread' : 'user', p: 0.5 }],
      estimators: ['dm'],
    }),
  );

describe('the readout text', () => {
  it("says the decomposition's truth* is an absolute difference per user and day, and that it is one draw at 1/users", () => {
    const r = readout(plan('user-bernoulli'), rule);
    const text = formatReadout(r);
    expect(text).not.toContain('truth* as above');
    expect(text).toContain("truth* = the day's true difference of the numerator per user and day (all treated − all control), absolute");
    expect(text).toContain(`moves a day's value by 1/users = ${(1 / r.users).toPrecision(4)}`);
    expect(r.design.threadLevel).toBe(false);
    expect(text).not.toContain('all of their groups treated');
  });
  it('under a thread design says the arms are users with all / none of their groups treated', () => {
    const r = readout(plan('thread'), rule);
    expect(r.design.threadLevel).toBe(true);
    const text = formatReadout(r);
    expect(text).toContain(
      'the treatment arm = users with all of their groups treated (dose 1), the control arm = users with none (dose 0)',
    );
    expect(text).toContain('; arms: users with all (dose 1) and none (dose 0) of their groups treated');
  });
});

const H = 4;
const days: Days = {
  metric: 'y',
  horizon: H,
  users: 100,
  replications: 2,
  truth: [1, 1, 1, 1],
  rule: 'r',
  designs: [
    {
      design: 'user',
      type: 'user-bernoulli',
      replications: 2,
      bias: [-1, -0.8, -0.6, -0.6],
      // day 2's SE is not defined
      biasSe: [0.1, 0.1, NaN, 0.1],
      rmse: [1, 0.8, 0.6, 0.6],
      rmseSe: [0.1, 0.1, 0.1, 0.1],
      biasStableFrom: null,
      rmseStableFrom: null,
    },
  ],
};

describe('the by-day chart', () => {
  it('draws no band on a day without an SE (it was a zero-width band)', async () => {
    const v = dayValues(days, 'bias');
    expect(v[2]).toMatchObject({ day: 2, value: -0.6, lo: null, hi: null });
    expect(v[1]!.lo).toBeCloseTo(-1, 12);
    const svg = await toSvg(byDayChart(days, 'bias'));
    // the band's area path breaks at day 2: two pieces (days 0–1 and day 3)
    const area =
      /aria-roledescription="area mark"[^>]*d="([^"]+)"/.exec(svg) ?? /d="([^"]+)"[^>]*aria-roledescription="area mark"/.exec(svg);
    expect(area).not.toBeNull();
    expect(area![1]!.match(/M/g)!.length).toBe(2);
  });
});

describe("the report's adoption caption", () => {
  it("does not say every design's treated arm has half its friends in control", async () => {
    const { results, rows } = smallRun();
    const curve = (share: number[]) => ({ share, se: share.map(() => 0.01), replications: 2 });
    const withAdoption: Days = {
      ...days,
      designs: days.designs.map((g) => ({ ...g, adoption: { treatment: curve([0.1, 0.2, 0.3, 0.4]), control: curve([0, 0, 0, 0]) } })),
      adoption: { allTreated: curve([0.1, 0.3, 0.5, 0.7]), allControl: curve([0, 0, 0, 0]) },
    };
    const html = await reportHtml({ ...results, byDay: withAdoption } as typeof results, rows);
    expect(html).not.toContain('its friends, half in control, expose it less');
    expect(html).toContain('under a thread design, all and none of their groups treated');
    expect(html).toContain('half of them under a user-level design');
  });
});
