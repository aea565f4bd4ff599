// The readout's truth by day: each day's truth is the difference of the
// all-treated and all-control worlds' daily means on the readout's draw, and
// summed over the days it is the whole-horizon truth of the additive metric
// the daily series counts, both computed here from the two worlds' outputs.
import { describe, expect, it } from 'vitest';
import { readout, stableFrom, type ReadoutRule } from '../../src/report/readout.js';
import { formatDays, formatReadout } from '../../src/report/readout-text.js';
import { daysByDesign } from '../../src/report/readout-days.js';
import { replicator } from '../../src/sim/replicate.js';
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { outcomeBuffers } from '../../src/model/index.js';
import type { ProductModel } from '../../src/model/products/product.js';
import { stream } from '../../src/random/streams.js';

const rule: ReadoutRule = { minLift: 0.02, warmup: 3, topShare: 0.1 };
const H = 12;
const spec = (model: Record<string, unknown>) =>
  parseScenario({
    seed: 5,
    graph: { generator: 'sbm', blocks: 4, blockSize: 100, pIn: 0.1, pOut: 0.002 },
    threads: { meanThreadsPerUser: 3 },
    model,
    designs: [{ type: 'user-bernoulli', name: 'user', p: 0.5 }],
    estimators: ['dm'],
  });

const mean = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
};

// metric: the additive metric the daily series counts; perDay: its numerator is the daily sum / H (a per-day mean) or the sum itself
const cases = [
  { model: { type: 'group-calls', horizon: H, startRate: 0.03 }, metric: 'successful_group_calls_per_1k_users', perDay: false },
  { model: { type: 'group-stories', horizon: H, groupPostRate: 0.05 }, metric: 'story_post_days', perDay: true },
];

describe.each(cases)('readout truth by day, $model.type', ({ model, metric, perDay }) => {
  const plan = buildPlan(spec(model));
  const r = readout(plan, rule);
  const pm = plan.model as ProductModel<unknown>;
  const n = plan.graph.csr.n;
  const draw = pm.draw((p) => stream(5, 'readout', p));
  const all = { dose: new Float64Array(n).fill(1), threadOn: null };
  const none = { dose: new Float64Array(n), threadOn: null };

  it("each day's truth is the two worlds' daily means' difference", () => {
    const b1 = outcomeBuffers(pm, n);
    const b0 = outcomeBuffers(pm, n);
    const x1 = pm.readout(draw, all, b1.num, b1.den);
    const x0 = pm.readout(draw, none, b0.num, b0.den);
    expect(r.novelty.metric).toBe(metric);
    expect(r.novelty.truthByDay).toHaveLength(H);
    let moved = 0;
    for (let d = 0; d < H; d++) {
      const m1 = mean(x1.daily.subarray(d * n, (d + 1) * n));
      const m0 = mean(x0.daily.subarray(d * n, (d + 1) * n));
      const t = r.novelty.truthByDay[d]!;
      expect(t.treatment).toBeCloseTo(m1, 12);
      expect(t.control).toBeCloseTo(m0, 12);
      expect(t.diff).toBeCloseTo(m1 - m0, 12);
      if (m1 !== m0) moved++;
    }
    expect(moved).toBeGreaterThan(H / 2); // the feature changes most days: the check is not of zeros
  });

  it('summed over the days, the truth by day is the whole-horizon truth of the additive metric', () => {
    // the whole-horizon truth from the model's outcomes (not its readout), unscaled
    const k = pm.metrics.findIndex((m) => m.name === metric);
    const o1 = outcomeBuffers(pm, n);
    const o0 = outcomeBuffers(pm, n);
    pm.outcomes(draw, all, o1.num, o1.den);
    pm.outcomes(draw, none, o0.num, o0.den);
    const whole = mean(o1.num[k]!) - mean(o0.num[k]!);
    const summed = r.novelty.truthByDay.reduce((s, t) => s + t.diff, 0) / (perDay ? H : 1);
    expect(Math.abs(whole)).toBeGreaterThan(1e-3);
    // daily values are float32: 1e-6 relative
    expect(Math.abs(summed - whole)).toBeLessThan(1e-6 * Math.max(1, Math.abs(whole)) + 1e-7);
    // and the metric's row carries the same truth, scaled
    expect(r.rows[k]!.truth).toBeCloseTo(whole * pm.metrics[k]!.scale, 9);
  });

  it("the bias by day is the design's daily difference minus the day's truth, and the text shows both", () => {
    r.novelty.biasByDay.forEach((b, d) => expect(b).toBeCloseTo(r.novelty.byDay[d]!.diff - r.novelty.truthByDay[d]!.diff, 12));
    const text = formatReadout(r);
    expect(text).toContain('truth*');
    expect(text).toMatch(/In this one experiment the bias (is stable from day \d+|has not stabilised for 7 days by the last day)/);
  });
});

describe('stableFrom (first day from which every bias is within 2 SE of the last 7 days mean, for at least 7 days)', () => {
  it('a bias that settles at day 5', () => {
    // 5 moving days, then 9 at -1: the first stable day (5) is before horizon − 7 = 7
    const bias = [-5, -4, -3, -2, -1.5, -1, -1, -1, -1, -1, -1, -1, -1, -1];
    const se = bias.map(() => 0.2);
    expect(stableFrom(bias, se)).toBe(5); // -1.5 is 0.5 > 0.4 from -1
    expect(
      stableFrom(
        bias,
        se.map(() => 0.3),
      ),
    ).toBe(4); // 0.5 <= 0.6
  });
  it('a bias still moving on the last day is not stable', () => {
    const bias = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10];
    expect(
      stableFrom(
        bias,
        bias.map(() => 0.1),
      ),
    ).toBeNull();
  });
  it('a bias that settles inside the last 7 days is not stable: it must stay within the band for 7 days', () => {
    // the same settling as above, but on a 9-day horizon: the first stable day, 5, is after 9 − 7 = 2
    const bias = [-5, -4, -3, -2, -1.5, -1, -1, -1, -1];
    expect(
      stableFrom(
        bias,
        bias.map(() => 0.2),
      ),
    ).toBeNull();
    // settled on day 2 = horizon − 7 exactly: stable
    const early = [-5, -3, -1, -1, -1, -1, -1, -1, -1];
    expect(
      stableFrom(
        early,
        early.map(() => 0.2),
      ),
    ).toBe(2);
    // settled one day later (day 3, inside the last 7 days): not stable
    expect(stableFrom([-5, -3, -2, -1, -1, -1, -1, -1, -1], Array(9).fill(0.2))).toBeNull();
  });
  it('a flat bias is stable from day 0', () => {
    expect(stableFrom([1, 1, 1, 1, 1, 1, 1, 1, 1], Array(9).fill(0))).toBe(0);
  });
});

describe('readout adoption curves (adoption on)', () => {
  const plan = buildPlan(spec({ type: 'group-calls', horizon: H, startRate: 0.03, adoption: { hazard: 0.05, perExposure: 0.3 } }));
  const r = readout(plan, rule);
  const pm = plan.model as ProductModel<unknown>;
  const n = plan.graph.csr.n;
  const draw = pm.draw((p) => stream(5, 'readout', p));

  it("the truth's worlds: counted here from each user's adoption day; no one adopts in the all-control world", () => {
    const b = outcomeBuffers(pm, n);
    const day = pm.readout(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, b.num, b.den).adoption!.day;
    const a = r.adoption!;
    for (let d = 0; d < H; d++) {
      let k = 0;
      for (let i = 0; i < n; i++) if (day[i]! >= 0 && day[i]! <= d) k++;
      expect(a.allTreated[d]).toBeCloseTo(k / n, 12);
      expect(a.allControl[d]).toBe(0);
    }
    expect(a.allTreated[H - 1]).toBeGreaterThan(0.3); // 1 − 0.95^12 ≈ 0.46 without contagion
  });

  it('under a user-level design only the treatment arm adopts, and the text shows the curves', () => {
    const a = r.adoption!;
    expect(a.control.every((s) => s === 0)).toBe(true);
    expect(a.treatment[H - 1]).toBeGreaterThan(0.3);
    for (let d = 1; d < H; d++) expect(a.treatment[d]).toBeGreaterThanOrEqual(a.treatment[d - 1]!);
    expect(formatReadout(r)).toContain('adoption: share of users using the feature');
  });

  it('without adoption the readout has no curves', () => {
    expect(readout(buildPlan(spec({ type: 'group-calls', horizon: H, startRate: 0.03 })), rule).adoption).toBeNull();
  });
});

describe("how long to run: every design by day over run's replications", () => {
  // two designs; the days view sums back to spillover run's rows (same streams)
  const plan = buildPlan(
    parseScenario({
      seed: 5,
      graph: { generator: 'sbm', blocks: 10, blockSize: 40, pIn: 0.2, pOut: 0.002 },
      threads: { meanThreadsPerUser: 3 },
      model: { type: 'group-calls', horizon: H, startRate: 0.03 },
      designs: [
        { type: 'user-bernoulli', name: 'user', p: 0.5 },
        { type: 'cluster', name: 'louvain', clustering: { method: 'louvain' }, p: 0.5 },
      ],
      estimators: ['dm'],
    }),
  );
  const R = 6;
  const days = daysByDesign(plan, R);
  const rep = replicator(plan);
  const rows = Array.from({ length: R }, (_, r) => rep(r))
    .flat()
    .filter((x) => x.metric === 'successful_group_calls_per_1k_users' && x.estimator === 'dm');

  it("summed over the days, the truth is the run's truth and each design's bias is the run's mean error (primary, per 1k)", () => {
    expect(days.designs.map((d) => d.design)).toEqual(['user', 'louvain']);
    const user = rows.filter((x) => x.design === 'user');
    const truth = user.reduce((a, x) => a + x.truth, 0) / R / 1000;
    expect(Math.abs(days.truth.reduce((a, x) => a + x, 0) - truth)).toBeLessThan(1e-6 * Math.abs(truth) + 1e-9);
    expect(Math.abs(truth)).toBeGreaterThan(1e-3);
    for (const g of days.designs) {
      // replications where the run's estimate is undefined are left out of the days view too
      const mine = rows.filter((x) => x.design === g.design && x.estimate !== null);
      expect(g.replications).toBe(mine.length);
      expect(mine.length).toBeGreaterThan(R / 2);
      const err = mine.reduce((a, x) => a + x.estimate! - x.truth, 0) / mine.length / 1000;
      expect(Math.abs(g.bias.reduce((a, x) => a + x, 0) - err)).toBeLessThan(1e-6 * Math.abs(truth) + 1e-9);
    }
  });

  it('RMSE is at least |bias| each day, and the text names every design with its stable days', () => {
    for (const g of days.designs) g.rmse.forEach((x, d) => expect(x).toBeGreaterThanOrEqual(Math.abs(g.bias[d]!) - 1e-15));
    const text = formatDays(days);
    for (const g of days.designs)
      expect(text).toMatch(new RegExp(`${g.design} \\(${g.type}\\): bias (stable from day \\d+|not stable for 7 days by the last day)`));
  });
});

describe('daysByDesign leaves out designs with an analysis population, and says so', () => {
  it('an ego-cluster design is listed as omitted, in the JSON and the text', () => {
    const s = parseScenario({
      seed: 5,
      graph: { generator: 'sbm', blocks: 4, blockSize: 100, pIn: 0.1, pOut: 0.002 },
      threads: { meanThreadsPerUser: 3 },
      model: { type: 'group-calls', horizon: 8, startRate: 0.03 },
      designs: [
        { type: 'user-bernoulli', name: 'user', p: 0.5 },
        { type: 'ego-cluster', name: 'egos', p: 0.5 },
      ],
      estimators: ['dm'],
    });
    const days = daysByDesign(buildPlan(s), 2);
    expect(days.designs.map((g) => g.design)).toEqual(['user']);
    expect(days.omitted).toEqual(['egos']);
    expect(formatDays(days)).toContain('not shown: egos (an analysis population');
    const plain = daysByDesign(buildPlan({ ...s, designs: [s.designs[0]!] }), 2);
    expect(plain.omitted).toBeUndefined();
    expect(formatDays(plain)).not.toContain('not shown');
  });
});
