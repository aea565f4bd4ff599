// One experiment as a product team would read it: per metric control,
// treatment, difference, relative change with a 95% interval; guardrails
// flagged; the primary metric's lift by day (novelty) with and without a
// warm-up window; lifts by segment; and a launch call from a stated rule.
// Every number is the scenario's difference-in-means estimator (the same
// code the Monte Carlo uses). Because this is a simulation, the readout also
// shows the true effect (everyone vs no one, same draw), which a real team
// never sees.
import { assignment, populationOf } from '../design/index.js';
import { metricValue, outcomeBuffers } from '../model/index.js';
import { isProductModel, type MetricInfo, type ProductModel } from '../model/products/product.js';
import { stream } from '../random/streams.js';
import * as names from '../random/names.js';
import { UserError } from '../errors.js';
import type { Plan } from '../sim/plan.js';
import { segmentMasks } from './segments.js';
import { contrast, unitWeights, type Contrast } from './contrast.js';

export type { Contrast } from './contrast.js';

export interface MetricRow extends Contrast, MetricInfo {
  name: string;
  /** significant move in the bad direction (guardrails) or the good one */
  flag: 'harm' | 'gain' | null;
  truth: number;
  truthRel: number;
}

export interface ReadoutRule {
  /** smallest relative lift of the primary metric worth launching */
  minLift: number;
  /** days dropped from the start in the warm-up view */
  warmup: number;
  /** share of most active users the lift must not be confined to */
  topShare: number;
}

export interface Readout {
  scenario: string;
  /** userLevel: users are randomized one by one, so treated and control users share groups */
  design: { name: string; type: string; p: number; userLevel: boolean };
  seed: number | string;
  users: number;
  horizon: number;
  rows: MetricRow[];
  novelty: { byDay: Contrast[]; all: Contrast; afterWarmup: Contrast };
  segments: { dimension: string; label: string; users: number; lift: Contrast }[];
  events: { name: string; control: number; treatment: number } | null;
  rule: ReadoutRule;
  decision: { launch: boolean; checks: { rule: string; pass: boolean; detail: string }[] };
}

export function readout(plan: Plan, rule: ReadoutRule): Readout {
  const model = plan.model;
  if (!isProductModel(model))
    throw new UserError(
      `readout needs a product model (group-calls or group-stories); this scenario's model is "${model.type}"`,
      'ESCENARIO',
    );
  const pm = model as ProductModel<unknown>;
  const pd = plan.designs[0]!;
  const run = pd.estimators.find((e) => e.id === 'dm')!.run;
  const { seed } = plan.scenario;
  const n = plan.graph.csr.n;
  const design = pd.design;
  // its segments, novelty and truth are over every user
  if (populationOf(design))
    throw new UserError(
      `readout compares every treated user with every control user; design "${design.name}" is about its analysis population only (ego clusters): use run`,
      'EARG',
    );
  const draw = pm.draw((purpose) => stream(seed, ...names.readout(purpose)));
  const unitZ = new Uint8Array(design.units.count);
  design.drawUnits(stream(seed, ...names.readoutAssign(design.name)), unitZ);
  const { dose, threadOn } = assignment(design, unitZ, null, { dose: new Float64Array(n), treated: new Uint8Array(n) });
  const out = outcomeBuffers(pm, n);
  const extras = pm.readout(draw, { dose, threadOn }, out.num, out.den);
  const c = unitWeights(design, n);

  // the truth: everyone treated against no one, with the same draw
  const w1 = outcomeBuffers(pm, n);
  const w0 = outcomeBuffers(pm, n);
  pm.outcomes(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, w1.num, w1.den);
  pm.outcomes(draw, { dose: new Float64Array(n), threadOn: null }, w0.num, w0.den);

  const rows: MetricRow[] = pm.metrics.map((m, k) => {
    const ct = contrast(run, dose, unitZ, out.num[k]!, m.ratio ? out.den[k]! : null, c, m.scale);
    const info = pm.info[k]!;
    const v1 = metricValue(m, w1.num[k]!, w1.den[k]);
    const v0 = metricValue(m, w0.num[k]!, w0.den[k]);
    const flag = !ct.significant ? null : Math.sign(ct.diff) === info.better ? 'gain' : 'harm';
    return { name: m.name, ...info, ...ct, flag, truth: v1 - v0, truthRel: v0 !== 0 ? (v1 - v0) / v0 : NaN };
  });

  // novelty: the primary metric's numerator day by day (scale is irrelevant to relative lifts)
  const H = extras.horizon;
  const day = (d: number) => Float64Array.from(extras.daily.subarray(d * n, (d + 1) * n));
  const byDay = Array.from({ length: H }, (_, d) => contrast(run, dose, unitZ, day(d), null, c, 1));
  const window = (from: number) => {
    const y = new Float64Array(n);
    for (let d = from; d < H; d++) for (let i = 0; i < n; i++) y[i]! += extras.daily[d * n + i]!;
    return contrast(run, dose, unitZ, y, null, c, 1 / (H - from));
  };
  if (rule.warmup >= H) throw new UserError(`--warmup ${rule.warmup} leaves no day of the ${H}-day horizon; use at most ${H - 1}`, 'EARG');
  const warm = rule.warmup;
  const novelty = { byDay, all: window(0), afterWarmup: window(warm) };

  // segments: the primary metric restricted to a segment by a 0/1 denominator
  const kp = pm.info.findIndex((x) => x.role === 'primary');
  const mp = pm.metrics[kp]!;
  const segments = segmentMasks(extras.covariates, rule.topShare).map((s) => {
    const den = new Float64Array(n);
    const y = new Float64Array(n);
    let users = 0;
    for (let i = 0; i < n; i++) {
      if (!s.mask[i]) continue;
      users++;
      den[i] = mp.ratio ? out.den[kp]![i]! : 1;
      y[i] = out.num[kp]![i]!;
    }
    return { dimension: s.dimension, label: s.label, users, lift: contrast(run, dose, unitZ, y, den, c, mp.scale) };
  });

  let events: Readout['events'] = null;
  if (extras.events) {
    const { value, treated } = extras.events;
    events = {
      name: extras.events.name,
      control: median(value.filter((_, j) => !treated[j])),
      treatment: median(value.filter((_, j) => treated[j] === 1)),
    };
  }

  const primary = rows[kp]!;
  const harms = rows.filter((r) => r.role === 'guardrail' && r.flag === 'harm');
  const rest = segments.find((s) => s.dimension === 'activity' && s.label.startsWith('other'))!;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const change = (c: Contrast) => (Number.isFinite(c.rel) ? pct(c.rel) : `Δ ${c.diff.toPrecision(3)}`);
  const checks = [
    {
      rule: `primary lift significant and at least ${pct(rule.minLift)}`,
      pass: primary.significant && primary.rel >= rule.minLift,
      detail: `${primary.name} ${pct(primary.rel)} [${pct(primary.relLo)}, ${pct(primary.relHi)}]`,
    },
    {
      rule: 'no guardrail significantly harmed',
      pass: harms.length === 0,
      detail: harms.length ? harms.map((h) => `${h.name} ${change(h)}`).join(', ') : 'none',
    },
    {
      rule: `lift not confined to the ${pct(rule.topShare)} most active users`,
      pass: rest.lift.lo > 0,
      detail: `${rest.label}: ${pct(rest.lift.rel)} [${pct(rest.lift.relLo)}, ${pct(rest.lift.relHi)}]`,
    },
  ];
  return {
    scenario: plan.scenario.name,
    design: {
      name: design.name,
      type: design.type,
      p: design.p,
      userLevel: design.structure.kind === 'fixed' && design.units.identity === true,
    },
    seed,
    users: n,
    horizon: H,
    rows,
    novelty,
    segments,
    events,
    rule,
    decision: { launch: checks.every((x) => x.pass), checks },
  };
}

function median(a: Float64Array): number {
  if (a.length === 0) return NaN;
  const s = Float64Array.from(a).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
