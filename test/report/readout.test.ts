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

describe('readout with the lesson: every design on the same simulated users against the truth', () => {
  const storiesModel = { type: 'group-stories', horizon: 14, groupPostRate: 0.03, publicPostRate: 0.03, muteIntercept: -1.5 };
  const designs = [
    { type: 'user-bernoulli', name: 'user', p: 0.5 },
    { type: 'thread', name: 'thread', p: 0.5 },
    { type: 'cluster', name: 'blocks', p: 0.5, clustering: { method: 'blocks' } },
  ];
  const scenario = parseScenario({
    seed: 9,
    graph: { generator: 'sbm', blocks: 4, blockSize: 100, pIn: 0.1, pOut: 0.002 },
    threads: { meanThreadsPerUser: 3 },
    model: storiesModel,
    designs,
    estimators: ['dm'],
  });
  const plan = buildPlan(scenario);
  const r = readout(plan, rule, { design: 0, compare: true });
  const l = r.lesson!;

  it('the truth column is all treated minus all control, computed here from the model on the same draw', () => {
    const m = plan.model;
    const n = plan.graph.csr.n;
    const draw = m.draw((p) => stream(9, 'readout', p));
    const value = (on: boolean) => {
      const out = outcomeBuffers(m, n);
      m.outcomes(draw, { dose: new Float64Array(n).fill(on ? 1 : 0), threadOn: null }, out.num, out.den);
      return m.metrics.map((x, k) => {
        let a = 0,
          b = 0;
        for (let i = 0; i < n; i++) ((a += out.num[k]![i]!), (b += x.ratio ? out.den[k]![i]! : 1));
        return (x.scale * a) / b;
      });
    };
    const v1 = value(true);
    const v0 = value(false);
    expect(l.rows.map((x) => x.name)).toEqual(m.metrics.map((x) => x.name));
    l.rows.forEach((row, k) => {
      expect(row.truth).toBeCloseTo(v1[k]! - v0[k]!, 12);
      if (v0[k] !== 0) expect(row.truthRel).toBeCloseTo((v1[k]! - v0[k]!) / v0[k]!, 10);
    });
  });
  it('share recovered = the design’s estimate / the truth, where the truth moves by 1% or more', () => {
    let shares = 0;
    for (const row of l.rows)
      for (const x of row.reads) {
        const defined = row.truth !== 0 && !(Number.isFinite(row.truthRel) && Math.abs(row.truthRel) < 0.01);
        if (!defined) expect(x.share).toBeNaN();
        else (expect(x.share).toBeCloseTo(x.diff / row.truth, 12), shares++);
        expect(x.covers).toBe(x.lo <= row.truth && row.truth <= x.hi);
      }
    expect(shares).toBeGreaterThan(0);
  });
  it('each design’s column is what the readout of that design reads; the read design’s is the table above', () => {
    expect(l.designs.map((d) => d.name)).toEqual(['user', 'thread', 'blocks']);
    for (const [k, d] of scenario.designs.entries()) {
      const own = readout(buildPlan({ ...scenario, designs: [d] }), rule);
      expect(own.lesson).toBeNull();
      for (const row of l.rows) {
        const x = row.reads.find((y) => y.design === designs[k]!.name)!;
        const mine = own.rows.find((y) => y.name === row.name)!;
        expect(x.diff).toBeCloseTo(mine.diff, 12);
        if (k === 0) expect(x.diff).toBeCloseTo(r.rows.find((y) => y.name === row.name)!.diff, 12);
      }
    }
  });
  it('hidden guardrails are those the truth harms by the launch threshold or more and the read design does not flag', () => {
    const expected = l.rows
      .filter((x) => x.role === 'guardrail' && Math.sign(x.truth) === -x.better)
      .filter((x) => (Number.isFinite(x.truthRel) ? Math.abs(x.truthRel) >= rule.minLift : x.truth !== 0))
      .filter((x) => r.rows.find((y) => y.name === x.name)!.flag !== 'harm')
      .map((x) => x.name);
    expect(l.hidden).toEqual(expected);
  });
  it('the text shows the lesson and, when the read design is biased, what to do instead', () => {
    const text = formatReadout(r);
    expect(text).toContain('the lesson:');
    for (const d of l.designs) expect(text).toContain(d.name);
    if (l.instead) expect(text).toContain(`instead: randomize as the "${l.instead.design}" design does`);
  });
  it('novelty counts story_post_days, whose lift over all days it equals', () => {
    expect(r.novelty.metric).toBe('story_post_days');
    expect(r.novelty.all.rel).toBeCloseTo(r.rows.find((x) => x.name === 'story_post_days')!.rel, 5);
  });
});
