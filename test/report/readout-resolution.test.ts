// The text prints floating-point leftovers of differences of sums (s1/n −
// s0/n, averaged over replications) as 0: a value below RESOLUTION × its
// column's largest (for the truth and its parts also below
// EVENT_RESOLUTION / users) is 0 in the days table and in the readout's
// decomposition table; the JSON objects keep the raw values.
import { describe, expect, it } from 'vitest';
import { atResolution, EVENT_RESOLUTION, formatDays, formatReadout, RESOLUTION } from '../../src/report/readout-text.js';
import type { Days } from '../../src/report/readout-days.js';
import type { Readout } from '../../src/report/readout.js';

describe('atResolution', () => {
  it('sets values below RESOLUTION × the largest |value|, or below the floor, to 0 and keeps the rest', () => {
    expect(atResolution([3.725e-13, 0.004, -0.002, -4.337e-19, NaN])).toEqual([0, 0.004, -0.002, 0, NaN]);
    // just above the relative resolution: kept
    expect(atResolution([1, 2 * RESOLUTION])).toEqual([1, 2 * RESOLUTION]);
    // a column of leftovers alone is not rounded by itself, but is by the floor
    expect(atResolution([1e-13, -2e-13])).toEqual([1e-13, -2e-13]);
    expect(atResolution([1e-13, -2e-13], EVENT_RESOLUTION / 20_000)).toEqual([0, 0]);
    expect(atResolution([])).toEqual([]);
  });
});

const row = (text: string, first: string) => text.split('\n').find((l) => new RegExp(`^│ +${first} +│`).test(l))!;

describe('the days table', () => {
  const days: Days = {
    metric: 'calls',
    horizon: 3,
    users: 20_000,
    replications: 40,
    truth: [3.725e-13, 0.0042, 0.0035],
    rule: 'r',
    designs: [
      {
        design: 'user',
        type: 'user-bernoulli',
        replications: 40,
        bias: [-4.337e-19, -0.003, -0.0026],
        biasSe: [0.0001, 0.0001, 0.0001],
        rmse: [0.003, 0.003, 0.0027],
        rmseSe: [0.0001, 0.0001, 0.0001],
        biasStableFrom: null,
        rmseStableFrom: null,
      },
    ],
  };
  it('prints the leftovers as 0 and keeps the JSON raw', () => {
    const text = formatDays(days);
    expect(text).not.toMatch(/e-1\d/);
    expect(row(text, '0')).toMatch(/^│ +0 +│ +0 +│ +0 ±0\.0001000 +│/);
    expect(row(text, '1')).toContain('+0.004200');
    expect(days.truth[0]).toBe(3.725e-13);
    expect(text).toContain(`a value below ${RESOLUTION} × its column's largest`);
  });
  it("flags fewer than 30 replications (†) as the run's table does; 30 or more: no flag unless a design has fewer defined", () => {
    const few = formatDays({ ...days, replications: 2, designs: days.designs.map((g) => ({ ...g, replications: 2 })) });
    expect(few).toContain('every design over 2 replications † (those of spillover run)');
    expect(few).toContain('  † 2 replications (fewer than 30)');
    expect(few).toContain('read them as rough');
    const text = formatDays(days);
    expect(text).not.toContain('†');
    const one = formatDays({ ...days, designs: [...days.designs, { ...days.designs[0]!, design: 'louvain', replications: 12 }] });
    expect(one).toContain('  louvain (user-bernoulli) †: bias');
    expect(one).toContain(
      '  † louvain: its bias, RMSE and stable days rest on 12 defined replications (fewer than 30): read them as rough',
    );
  });
});

describe("the readout's decomposition table", () => {
  const day = (truth: number, noContagion: number, neither: number) => ({
    truth,
    noContagion,
    neither,
    contagion: truth - noContagion,
    novelty: noContagion - neither,
    bias: -0.0001,
  });
  // day 0: truth and no contagion differ by a leftover, so the contagion part is +7.451e-13
  const days = [day(0.0001 + 7.451e-13, 0.0001, 0.00005), day(0.0002, 0.00015, 0.0001)];
  const r = {
    scenario: 's',
    design: { name: 'user', type: 'user-bernoulli', p: 0.5, userLevel: true },
    seed: 1,
    users: 20_000,
    horizon: 2,
    rows: [
      {
        name: 'calls',
        role: 'primary',
        better: 1,
        control: 1,
        treatment: 1,
        diff: 0,
        lo: 0,
        hi: 0,
        se: 0,
        rel: 0,
        relLo: 0,
        relHi: 0,
        significant: false,
        flag: null,
        truth: 0,
        truthRel: 0,
      },
    ],
    novelty: {
      metric: 'calls',
      byDay: [0, 1].map(() => ({ control: 1, treatment: 1, diff: 0, lo: 0, hi: 0, se: 0, rel: 0, relLo: 0, relHi: 0, significant: false })),
      all: { control: 1, treatment: 1, diff: 0, lo: 0, hi: 0, se: 0, rel: 0, relLo: 0, relHi: 0, significant: false },
      afterWarmup: { control: 1, treatment: 1, diff: 0, lo: 0, hi: 0, se: 0, rel: 0, relLo: 0, relHi: 0, significant: false },
      truthByDay: days.map((d) => ({ treatment: 1, control: 1, diff: d.truth, rel: 0 })),
      biasByDay: [-0.0001, -0.0001],
      stableFrom: null,
      stableRule: 'r',
    },
    segments: [
      {
        dimension: 'activity',
        label: 'other 90%',
        users: 1,
        lift: { control: 1, treatment: 1, diff: 0, lo: 0, hi: 0, se: 0, rel: 0, relLo: 0, relHi: 0, significant: false },
      },
    ],
    events: null,
    adoption: null,
    decomposition: { order: 'o', days },
    rule: { minLift: 0.02, warmup: 1, topShare: 0.1 },
    decision: { launch: false, checks: [] },
    lesson: null,
  } as unknown as Readout;
  it('prints the contagion leftover as 0 and keeps the JSON raw', () => {
    expect(days[0]!.contagion).not.toBe(0);
    const text = formatReadout(r);
    const lines = text.slice(text.indexOf('novelty and contagion told apart'));
    expect(lines).not.toMatch(/e-1\d/);
    // day | truth | no contagion | neither | contagion | novelty | bias
    expect(row(lines, '0')).toMatch(/│ +0 +│ +\+0\.00005000 +│ +-0\.0001000 +│$/);
    expect(row(lines, '1')).toMatch(/│ +\+0\.00005000 +│ +\+0\.00005000 +│ +-0\.0001000 +│$/);
  });
});
