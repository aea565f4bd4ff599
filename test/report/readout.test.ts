// The readout reports what the difference-in-means estimator says, arm by
// arm, and its launch call follows the stated rule.
import { describe, expect, it } from 'vitest';
import { readout, type ReadoutRule } from '../../src/report/readout.js';
import { formatReadout } from '../../src/report/readout-text.js';
import { buildPlan } from '../../src/sim/plan.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { doseOf } from '../../src/design/index.js';
import { outcomeBuffers } from '../../src/model/index.js';
import { stream } from '../../src/random/streams.js';
import { UserError } from '../../src/errors.js';

const rule: ReadoutRule = { minLift: 0.02, warmup: 3, topShare: 0.1 };
const spec = (design: Record<string, unknown>, model: Record<string, unknown> = { type: 'group-calls', horizon: 10, startRate: 0.03 }) =>
  parseScenario({
    seed: 3,
    graph: { generator: 'sbm', blocks: 4, blockSize: 100, pIn: 0.1, pOut: 0.002 },
    threads: { meanThreadsPerUser: 3 },
    model,
    designs: [design],
    estimators: ['dm'],
  });

describe('readout, user-level design', () => {
  const plan = buildPlan(spec({ type: 'user-bernoulli', name: 'user', p: 0.5 }));
  const r = readout(plan, rule);
  const primary = r.rows.find((m) => m.role === 'primary')!;

  it('control and treatment are the arm means of a mean metric', () => {
    // the same draws as readout(): its streams are (seed, "readout", purpose)
    const m = plan.model;
    const n = plan.graph.csr.n;
    const design = plan.designs[0]!.design;
    const z = new Uint8Array(design.units.count);
    design.drawUnits(stream(3, 'readout', 'assign', design.name), z);
    const dose = doseOf(design.units, z, new Float64Array(n));
    const out = outcomeBuffers(m, n);
    m.outcomes(
      m.draw((p) => stream(3, 'readout', p)),
      { dose, threadOn: null },
      out.num,
      out.den,
    );
    const k = m.metrics.findIndex((x) => x.name === 'daily_active_users');
    const arm = (v: number) => {
      let s = 0,
        c = 0;
      for (let i = 0; i < n; i++) if (dose[i] === v) ((s += out.num[k]![i]!), c++);
      return s / c;
    };
    const row = r.rows.find((x) => x.name === 'daily_active_users')!;
    expect(row.control).toBeCloseTo(arm(0), 12);
    expect(row.treatment).toBeCloseTo(arm(1), 12);
  });
  it('the lift over all days of the novelty view is the primary lift', () => {
    expect(r.novelty.byDay).toHaveLength(10);
    expect(r.novelty.all.rel).toBeCloseTo(primary.rel, 5); // per-day values are kept in float32
  });
  it('each segment dimension with a full partition covers every user once', () => {
    const users = (d: string) => r.segments.filter((s) => s.dimension === d).reduce((a, s) => a + s.users, 0);
    for (const d of ['activity', 'group size', 'connectivity']) expect(users(d)).toBe(r.users);
  });
  it('the launch call is the conjunction of the three checks, the first being the stated primary rule', () => {
    expect(r.decision.launch).toBe(r.decision.checks.every((c) => c.pass));
    expect(r.decision.checks[0]!.pass).toBe(primary.significant && primary.rel >= rule.minLift);
    expect(r.decision.checks[1]!.pass).toBe(!r.rows.some((m) => m.role === 'guardrail' && m.flag === 'harm'));
  });
  it('formats as text with every metric and the call', () => {
    const text = formatReadout(r);
    for (const m of r.rows) expect(text).toContain(m.name);
    expect(text).toMatch(/launch call: (LAUNCH|DO NOT LAUNCH)/);
  });
});

describe('readout, other designs and models', () => {
  it('reads a thread-level experiment (fractional doses)', () => {
    const r = readout(
      buildPlan(spec({ type: 'thread', name: 'thread', p: 0.5 }, { type: 'group-stories', horizon: 10, groupPostRate: 0.05 })),
      rule,
    );
    const p = r.rows.find((m) => m.name === 'group_story_posts')!;
    // no group posts without the feature; the control level is the dose fit
    // extrapolated to dose 0, so near 0 rather than exactly 0
    expect(p.treatment).toBeGreaterThan(0);
    expect(Math.abs(p.control)).toBeLessThan(0.25 * p.treatment);
  });
  it('refuses a model without a readout, with a clear message', () => {
    const plan = buildPlan(spec({ type: 'user-bernoulli', p: 0.5 }, { type: 'linear-in-means', beta: 1, gamma: 1 }));
    expect(() => readout(plan, rule)).toThrow(UserError);
    expect(() => readout(plan, rule)).toThrow(/product model/);
  });
});
