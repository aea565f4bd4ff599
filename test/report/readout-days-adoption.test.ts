// How long to run, with adoption on: daysByDesign's adoption curves. The
// truth's two worlds are checked against a computation written here (each
// replication's model draw re-simulated through the model API, adopters
// counted by day from each user's adoption and lapse days); the arms against
// what contagion implies; and without adoption the curves are absent, not zeros.
import { describe, expect, it } from 'vitest';
import { daysByDesign, type Curve } from '../../src/report/readout-days.js';
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { outcomeBuffers } from '../../src/model/index.js';
import type { ProductModel } from '../../src/model/products/product.js';
import { fastStream } from '../../src/random/fast.js';

const H = 10;
const R = 16;
const scenario = (adoption: Record<string, unknown> | null) =>
  parseScenario({
    seed: 11,
    graph: { generator: 'sbm', blocks: 4, blockSize: 80, pIn: 0.12, pOut: 0.002 },
    threads: { meanThreadsPerUser: 3 },
    model: { type: 'group-calls', horizon: H, startRate: 0.05, ...(adoption ? { adoption } : {}) },
    designs: [
      { type: 'user-bernoulli', name: 'user', p: 0.5 },
      { type: 'thread', name: 'thread', p: 0.5 },
    ],
    estimators: ['dm'],
  });

/** the largest 4-Monte-Carlo-SE margin between two curves' day d */
const margin = (a: Curve, b: Curve, d: number) => 4 * Math.hypot(a.se[d]!, b.se[d]!);

describe('daysByDesign: adoption curves (contagion on)', () => {
  const plan = buildPlan(scenario({ hazard: 0.02, perExposure: 0.5, lapse: 0.02 }));
  const days = daysByDesign(plan, R);
  const pm = plan.model as ProductModel<unknown>;
  const n = plan.graph.csr.n;

  it("the truth's worlds: the mean over replications of the share adopted and not lapsed, and the daily truth ± its SE, computed here from run's model draws", () => {
    const sums = { all: new Float64Array(H), none: new Float64Array(H) };
    const squares = { all: new Float64Array(H), none: new Float64Array(H) };
    // each replication's daily truth: the two worlds' daily means' difference
    const truthR = Array.from({ length: R }, () => new Float64Array(H));
    for (let r = 0; r < R; r++) {
      // replication r's draw, from the streams spillover run uses: (seed, "rep", r, purpose)
      const draw = pm.draw((purpose) => fastStream(11, 'rep', r, purpose));
      for (const [world, dose] of [
        ['all', new Float64Array(n).fill(1)],
        ['none', new Float64Array(n)],
      ] as const) {
        const b = outcomeBuffers(pm, n);
        const x = pm.readout(draw, { dose, threadOn: null }, b.num, b.den);
        const a = x.adoption!;
        for (let d = 0; d < H; d++) {
          let m = 0;
          for (let i = 0; i < n; i++) m += x.daily[d * n + i]! / n;
          truthR[r]![d]! += world === 'all' ? m : -m;
          let k = 0;
          for (let i = 0; i < n; i++) if (a.day[i]! >= 0 && a.day[i]! <= d && !(a.lapsed[i]! >= 0 && a.lapsed[i]! <= d)) k++;
          sums[world][d]! += k / n;
          squares[world][d]! += (k / n) ** 2;
        }
      }
    }
    const check = (c: Curve, s: Float64Array, q: Float64Array) => {
      expect(c.replications).toBe(R);
      for (let d = 0; d < H; d++) {
        const m = s[d]! / R;
        expect(c.share[d]).toBeCloseTo(m, 12);
        expect(c.se[d]).toBeCloseTo(Math.sqrt(Math.max(0, (q[d]! / R - m * m) * (R / (R - 1))) / R), 9);
      }
    };
    // the daily truth and its Monte Carlo SE (SD/√R), from the worlds simulated here
    for (let d = 0; d < H; d++) {
      const xs = truthR.map((t) => t[d]!);
      const m = xs.reduce((u, v) => u + v, 0) / R;
      const sd = Math.sqrt(xs.reduce((u, v) => u + (v - m) ** 2, 0) / (R - 1));
      expect(days.truth[d]).toBeCloseTo(m, 12);
      expect(days.truthSe![d]).toBeCloseTo(sd / Math.sqrt(R), 12);
    }
    expect(days.truthSe!.some((se) => se > 0)).toBe(true);
    check(days.adoption!.allTreated, sums.all, squares.all);
    check(days.adoption!.allControl, sums.none, squares.none);
    // not a check of zeros: a sizeable share adopts in the all-treated world, some lapse
    expect(days.adoption!.allTreated.share[H - 1]).toBeGreaterThan(0.2);
  });

  it('all treated ≥ all control, and a user-level treatment arm adopts no faster than the all-treated world (4 MC SEs)', () => {
    const { allTreated, allControl } = days.adoption!;
    const user = days.designs.find((g) => g.design === 'user')!.adoption!;
    for (let d = 0; d < H; d++) {
      expect(allTreated.share[d]! + margin(allTreated, allControl, d)).toBeGreaterThanOrEqual(allControl.share[d]!);
      // fewer friends with the feature, fewer exposures: contagion is what the treatment arm misses
      expect(user.treatment.share[d]!).toBeLessThanOrEqual(allTreated.share[d]! + margin(user.treatment, allTreated, d));
    }
    // without the feature nobody adopts: the all-control world and the user-level control arm stay at 0
    expect(allControl.share.every((x) => x === 0)).toBe(true);
    expect(user.control.share.every((x) => x === 0)).toBe(true);
    // by the last day the gap is there beyond the noise
    expect(allTreated.share[H - 1]! - user.treatment.share[H - 1]!).toBeGreaterThan(margin(user.treatment, allTreated, H - 1));
  });

  it('every design has both arms, averaged over the replications where the arm has users', () => {
    for (const g of days.designs) {
      expect(g.adoption!.treatment.share).toHaveLength(H);
      expect(g.adoption!.control.share).toHaveLength(H);
      expect(g.adoption!.treatment.replications).toBe(R);
      expect(g.adoption!.treatment.share[H - 1]).toBeGreaterThan(0.05);
    }
    // the per-day truth is still there
    expect(days.truth).toHaveLength(H);
  });
});

describe('daysByDesign without adoption', () => {
  it('has no adoption curves at all (absent, not zeros)', () => {
    const days = daysByDesign(buildPlan(scenario(null)), 3);
    expect(days.adoption).toBeUndefined();
    for (const g of days.designs) expect(g.adoption).toBeUndefined();
    expect(JSON.stringify(days)).not.toContain('adoption');
  });
});
