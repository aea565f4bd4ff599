// One experiment as a product team would read it: per metric control,
// treatment, difference, relative change with a 95% interval; guardrails
// flagged; the primary metric's lift by day (novelty) with and without a
// warm-up window; lifts by segment; and a launch call from a stated rule.
// Every number is the scenario's difference-in-means estimator (the same
// code the Monte Carlo uses). Because this is a simulation, the readout also
// shows the true effect (everyone vs no one, same draw), which a real team
// never sees, and (the lesson, opt-in) what each of the scenario's designs
// would have read on the same simulated users, as a share of that truth.
// With adoption on, the daily truth is also taken apart into contagion and
// novelty by simulating the truth's worlds again with the same draw and
// those switched off (decompose).
import { assignment, populationOf } from '../design/index.js';
import { createModel, metricValue, outcomeBuffers } from '../model/index.js';
import { isProductModel, type Extras, type MetricInfo, type ProductModel } from '../model/products/product.js';
import { adoptedByDay } from '../model/products/adoption.js';
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
  /** userLevel: users are randomized one by one, so treated and control users share groups; threadLevel: group threads are randomized, a user's dose is the share of their groups treated */
  design: { name: string; type: string; p: number; userLevel: boolean; threadLevel: boolean };
  seed: number | string;
  users: number;
  horizon: number;
  rows: MetricRow[];
  /** `metric`: the metric whose numerator per user and day the view counts (the primary unless the model says otherwise) */
  novelty: {
    metric: string;
    byDay: Contrast[];
    all: Contrast;
    afterWarmup: Contrast;
    /** the truth day by day: the daily numerator's mean per user in the all-treated and all-control worlds (same draw) and their difference */
    truthByDay: DayTruth[];
    /** the read design's bias day by day: its difference (byDay[d].diff) − the day's true difference */
    biasByDay: number[];
    /** first day from which the bias is stable by `stableRule` (null: not even on the last day) */
    stableFrom: number | null;
    stableRule: string;
  };
  segments: { dimension: string; label: string; users: number; lift: Contrast }[];
  events: { name: string; control: number; treatment: number } | null;
  /** share of users adopted by the end of each day (models with adoption on; else null) */
  adoption: AdoptionCurves | null;
  /** the daily truth taken apart into contagion and novelty (models with adoption on; else null) */
  decomposition: Decomposition | null;
  rule: ReadoutRule;
  decision: { launch: boolean; checks: { rule: string; pass: boolean; detail: string }[] };
  /** every design of the plan on the same simulated users, against the truth (readout(..., { compare: true })) */
  lesson: Lesson | null;
}

/** Share of users adopted by the end of each day: the experiment's arms (dose 1, dose 0; under thread designs users with a mixed dose are in neither) and the truth's two worlds. */
export interface AdoptionCurves {
  treatment: number[];
  control: number[];
  allTreated: number[];
  allControl: number[];
}

/**
 * The daily truth (all treated − all control of the daily series, same draw)
 * taken apart by simulating the truth's two worlds again with the same draw:
 * without contagion (adoption.contagion false), then without contagion and
 * without novelty (novelty 0). truth = contagion + novelty + neither, with
 * contagion = truth − noContagion and novelty = noContagion − neither: the
 * contagion part holds the interaction of the two.
 */
export interface Decomposition {
  order: string;
  days: DayParts[];
}

export interface DayParts {
  /** the day's true difference, and the same without contagion, and without contagion and novelty */
  truth: number;
  noContagion: number;
  neither: number;
  /** truth − noContagion */
  contagion: number;
  /** noContagion − neither */
  novelty: number;
  /** the read design's difference − truth (biasByDay) */
  bias: number;
}

/** What one design reads for one metric, against the truth on the same users. */
export interface DesignRead {
  design: string;
  /** the design's difference (dm: treatment − control, or the dose slope under thread designs) and its 95% interval */
  diff: number;
  lo: number;
  hi: number;
  significant: boolean;
  /** diff / truth; NaN where the truth is too small for a share to mean anything (|true relative change| < 1%) */
  share: number;
  /** the truth lies inside the design's 95% interval */
  covers: boolean;
}

export interface LessonRow {
  name: string;
  role: MetricInfo['role'];
  better: 1 | -1;
  /** all treated − all control on the same draw, and relative to all control */
  truth: number;
  truthRel: number;
  reads: DesignRead[];
}

export interface Lesson {
  designs: { name: string; type: string; userLevel: boolean }[];
  /** the design read out above */
  read: string;
  rows: LessonRow[];
  /** guardrails the truth harms by at least the launch threshold (relative) that the read design does not flag */
  hidden: string[];
  /** the read design misses the truth (outside its interval) on the primary or a guardrail */
  biased: boolean;
  /** the design closest to the truth (fewest truths outside its interval, then mean |1 − share|), when it is not the read one and that is biased */
  instead: { design: string; covered: number; of: number } | null;
}

export interface ReadoutOptions {
  /** index into plan.designs of the design read out (default 0) */
  design?: number;
  /** also read every design of the plan on the same draw (the lesson) */
  compare?: boolean;
}

/** A share of the truth only where the truth is a change worth a share (1% relative, or any change from a level of 0). */
export function shareOf(diff: number, truth: number, truthRel: number): number {
  if (!(Math.abs(truth) > 0)) return NaN;
  if (Number.isFinite(truthRel) && Math.abs(truthRel) < 0.01) return NaN;
  return diff / truth;
}

/** One day's truth of the daily series: its mean per user in the all-treated and all-control worlds, their difference and its share of the control level. */
export interface DayTruth {
  treatment: number;
  control: number;
  diff: number;
  rel: number;
}

interface Truth {
  diff: number[];
  rel: number[];
  byDay: DayTruth[];
  /** each user's adoption and lapse days in the all-treated and all-control worlds (adoption on) */
  adoption: { all: NonNullable<Extras['adoption']>; none: NonNullable<Extras['adoption']> } | null;
}

/**
 * The truth of every metric: everyone treated against no one, with the same
 * draw; and day by day, the same contrast of the daily series (the two
 * worlds' readout extras). The readout's outcomes are the model's outcomes:
 * in these two worlds every user shares one state, with or without network effects.
 */
export function truthOf(pm: ProductModel<unknown>, draw: unknown, n: number): Truth {
  const w1 = outcomeBuffers(pm, n);
  const w0 = outcomeBuffers(pm, n);
  const x1 = pm.readout(draw, { dose: new Float64Array(n).fill(1), threadOn: null }, w1.num, w1.den);
  const x0 = pm.readout(draw, { dose: new Float64Array(n), threadOn: null }, w0.num, w0.den);
  const diff: number[] = [];
  const rel: number[] = [];
  pm.metrics.forEach((m, k) => {
    const v1 = metricValue(m, w1.num[k]!, w1.den[k]);
    const v0 = metricValue(m, w0.num[k]!, w0.den[k]);
    diff.push(v1 - v0);
    rel.push(v0 !== 0 ? (v1 - v0) / v0 : NaN);
  });
  const byDay = Array.from({ length: x1.horizon }, (_, d) => {
    let s1 = 0,
      s0 = 0;
    for (let i = d * n; i < (d + 1) * n; i++) ((s1 += x1.daily[i]!), (s0 += x0.daily[i]!));
    const treatment = s1 / n;
    const control = s0 / n;
    return { treatment, control, diff: treatment - control, rel: control !== 0 ? (treatment - control) / control : NaN };
  });
  const adoption = x1.adoption && x0.adoption ? { all: x1.adoption, none: x0.adoption } : null;
  return { diff, rel, byDay, adoption };
}

/**
 * The daily truth without contagion, and without contagion and novelty: the
 * scenario's model made again with those switches, its draw from the same
 * streams (so the same traits and keys), the truth's two worlds simulated.
 */
export function decompose(
  plan: Plan,
  truth: readonly DayTruth[],
  bias: readonly number[],
  rng: Parameters<ProductModel<unknown>['draw']>[0],
): Decomposition | null {
  const models = decompositionModels(plan);
  if (!models) return null;
  const { noContagion, neither } = models.daily(rng);
  return {
    order: DECOMPOSITION_ORDER,
    days: truth.map((t, d) => ({
      truth: t.diff,
      noContagion: noContagion[d]!,
      neither: neither[d]!,
      contagion: t.diff - noContagion[d]!,
      novelty: noContagion[d]! - neither[d]!,
      bias: bias[d]!,
    })),
  };
}

export const DECOMPOSITION_ORDER =
  'truth = contagion + novelty + neither; contagion = truth − truth without contagion (adoption.contagion false; it holds the interaction), novelty = that − truth without contagion and novelty (novelty 0), neither = the rest';

/**
 * The scenario's model made again without contagion, and without contagion
 * and novelty (null without adoption); `daily(rng)` draws each from the
 * given streams (the same draw as the scenario's model from them: the same
 * traits and keys) and returns each one's daily truth (all treated − all
 * control).
 */
export function decompositionModels(
  plan: Plan,
): { daily: (rng: Parameters<ProductModel<unknown>['draw']>[0]) => { noContagion: number[]; neither: number[] } } | null {
  const spec = plan.scenario.model as { adoption?: Record<string, unknown>; novelty?: number };
  if (!spec.adoption) return null;
  const n = plan.graph.csr.n;
  const make = (s: Record<string, unknown>) => createModel({ graph: plan.graph }, s as typeof plan.scenario.model) as ProductModel<unknown>;
  const off = { ...spec, adoption: { ...spec.adoption, contagion: false } };
  const pmOff = make(off);
  const pmNeither = make({ ...off, novelty: 0 });
  const daily = (pm: ProductModel<unknown>, rng: Parameters<ProductModel<unknown>['draw']>[0]) =>
    truthOf(pm, pm.draw(rng), n).byDay.map((t) => t.diff);
  return { daily: (rng) => ({ noContagion: daily(pmOff, rng), neither: daily(pmNeither, rng) }) };
}

/** The window at the end of the horizon whose mean bias is the bias's final level. */
export const STABLE_WINDOW = 7;

/**
 * The first day from which every day's bias lies within 2 of its standard
 * errors (the day's difference's) of the mean bias over the last
 * STABLE_WINDOW days (all days when the horizon is shorter), provided it
 * stays there for at least those STABLE_WINDOW days: null when that first
 * day is later than horizon − STABLE_WINDOW (it would be inside the window
 * it is measured against), including when even the last day lies farther.
 */
export function stableFrom(bias: readonly number[], se: readonly number[]): number | null {
  const H = bias.length;
  const w = Math.min(STABLE_WINDOW, H);
  let level = 0;
  for (let d = H - w; d < H; d++) level += bias[d]!;
  level /= w;
  let from = H;
  while (from > 0 && Math.abs(bias[from - 1]! - level) <= 2 * se[from - 1]!) from--;
  return from <= H - w ? from : null;
}

/** stableFrom's rule in words, for `what` (e.g. "every day's bias is within 2 standard errors"). */
export const stableRuleText = (what: string) =>
  `the first day from which ${what} of its mean over the last ${STABLE_WINDOW} days, and stays so for at least those ${STABLE_WINDOW} days; a first such day after horizon − ${STABLE_WINDOW} is not stable`;

/** One design's experiment on a given draw: its assignment (from the readout's streams) and each metric's contrast. */
export function experimentContrasts(plan: Plan, k: number, draw: unknown): Contrast[] {
  const pm = plan.model as ProductModel<unknown>;
  const pd = plan.designs[k]!;
  const n = plan.graph.csr.n;
  const { dose, unitZ, threadOn } = readoutAssignment(plan, k);
  const out = outcomeBuffers(pm, n);
  pm.outcomes(draw, { dose, threadOn }, out.num, out.den);
  const run = pd.estimators.find((e) => e.id === 'dm')!.run;
  const c = unitWeights(pd.design, n);
  return pm.metrics.map((m, j) => contrast(run, dose, unitZ, out.num[j]!, m.ratio ? out.den[j]! : null, c, m.scale));
}

/** The design's assignment in the readout's experiment: units drawn from the stream (seed, "readout", "assign", design name). */
function readoutAssignment(plan: Plan, k: number): { dose: Float64Array; unitZ: Uint8Array; threadOn: Uint8Array | null } {
  const design = plan.designs[k]!.design;
  const n = plan.graph.csr.n;
  const unitZ = new Uint8Array(design.units.count);
  design.drawUnits(stream(plan.scenario.seed, ...names.readoutAssign(design.name)), unitZ);
  const { dose, threadOn } = assignment(design, unitZ, null, { dose: new Float64Array(n), treated: new Uint8Array(n) });
  return { dose, unitZ, threadOn };
}

export function readout(plan: Plan, rule: ReadoutRule, opts: ReadoutOptions = {}): Readout {
  const model = plan.model;
  if (!isProductModel(model))
    throw new UserError(
      `readout needs a product model (group-calls or group-stories); this scenario's model is "${model.type}"`,
      'ESCENARIO',
    );
  const pm = model as ProductModel<unknown>;
  const kd = opts.design ?? 0;
  const pd = plan.designs[kd]!;
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
  const rng = (purpose: string) => stream(seed, ...names.readout(purpose));
  const draw = pm.draw(rng);
  const { dose, unitZ, threadOn } = readoutAssignment(plan, kd);
  const out = outcomeBuffers(pm, n);
  const extras = pm.readout(draw, { dose, threadOn }, out.num, out.den);
  const c = unitWeights(design, n);

  // the truth: everyone treated against no one, with the same draw
  const truth = truthOf(pm, draw, n);

  const rows: MetricRow[] = pm.metrics.map((m, k) => {
    const ct = contrast(run, dose, unitZ, out.num[k]!, m.ratio ? out.den[k]! : null, c, m.scale);
    const info = pm.info[k]!;
    const flag = !ct.significant ? null : Math.sign(ct.diff) === info.better ? 'gain' : 'harm';
    return { name: m.name, ...info, ...ct, flag, truth: truth.diff[k]!, truthRel: truth.rel[k]! };
  });

  // novelty: the daily metric's numerator day by day (scale is irrelevant to relative lifts)
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
  const biasByDay = byDay.map((c, d) => c.diff - truth.byDay[d]!.diff);
  const novelty = {
    metric: extras.dailyMetric,
    byDay,
    all: window(0),
    afterWarmup: window(warm),
    truthByDay: truth.byDay,
    biasByDay,
    stableFrom: stableFrom(
      biasByDay,
      byDay.map((c) => c.se),
    ),
    stableRule: stableRuleText("every day's bias is within 2 standard errors"),
  };

  const decomposition = extras.adoption ? decompose(plan, truth.byDay, biasByDay, rng) : null;

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

  let adoption: AdoptionCurves | null = null;
  if (extras.adoption && truth.adoption) {
    const arm = (v: number) => Uint32Array.from({ length: n }, (_, i) => i).filter((i) => dose[i] === v);
    adoption = {
      treatment: adoptedByDay(extras.adoption.day, H, arm(1), extras.adoption.lapsed),
      control: adoptedByDay(extras.adoption.day, H, arm(0), extras.adoption.lapsed),
      allTreated: adoptedByDay(truth.adoption.all.day, H, null, truth.adoption.all.lapsed),
      allControl: adoptedByDay(truth.adoption.none.day, H, null, truth.adoption.none.lapsed),
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
  const userLevel = (d: Plan['designs'][number]['design']) => d.structure.kind === 'fixed' && d.units.identity === true;
  return {
    scenario: plan.scenario.name,
    design: {
      name: design.name,
      type: design.type,
      p: design.p,
      userLevel: userLevel(design),
      threadLevel: design.structure.kind === 'fixed' && design.structure.threadUnits > 0,
    },
    seed,
    users: n,
    horizon: H,
    rows,
    novelty,
    segments,
    events,
    adoption,
    decomposition,
    rule,
    decision: { launch: checks.every((x) => x.pass), checks },
    lesson: opts.compare ? lesson(plan, kd, draw, rows, truth, rule, userLevel) : null,
  };
}

/** Every design of the plan on the readout's draw, each from its own assignment stream, against the truth. */
function lesson(
  plan: Plan,
  kd: number,
  draw: unknown,
  rows: MetricRow[],
  truth: Truth,
  rule: ReadoutRule,
  userLevel: (d: Plan['designs'][number]['design']) => boolean,
): Lesson {
  const pm = plan.model as ProductModel<unknown>;
  const designs = plan.designs.filter((d) => !populationOf(d.design));
  const read = plan.designs[kd]!.design.name;
  const byDesign = designs.map((pd) => {
    const k = plan.designs.indexOf(pd);
    return k === kd ? rows : experimentContrasts(plan, k, draw);
  });
  const lessonRows: LessonRow[] = pm.metrics.map((m, j) => ({
    name: m.name,
    role: pm.info[j]!.role,
    better: pm.info[j]!.better,
    truth: truth.diff[j]!,
    truthRel: truth.rel[j]!,
    reads: designs.map((pd, i) => {
      const ct = byDesign[i]![j]!;
      return {
        design: pd.design.name,
        diff: ct.diff,
        lo: ct.lo,
        hi: ct.hi,
        significant: ct.significant,
        share: shareOf(ct.diff, truth.diff[j]!, truth.rel[j]!),
        covers: ct.lo <= truth.diff[j]! && truth.diff[j]! <= ct.hi,
      };
    }),
  }));
  const readOf = (r: LessonRow, d: string) => r.reads.find((x) => x.design === d)!;
  const harmed = (r: LessonRow) =>
    r.role === 'guardrail' &&
    Math.sign(r.truth) === -r.better &&
    (Number.isFinite(r.truthRel) ? Math.abs(r.truthRel) >= rule.minLift : r.truth !== 0);
  const main = rows;
  const hidden = lessonRows.filter((r, j) => harmed(r) && main[j]!.flag !== 'harm').map((r) => r.name);
  const key = lessonRows.filter((r) => r.role !== 'secondary');
  const biased = key.some((r) => !readOf(r, read).covers && Number.isFinite(readOf(r, read).share));
  // the design closest to the truth: the fewest metrics whose truth lies outside its
  // interval, then the smallest mean |1 − share| (capped so one wild ratio does not decide)
  const misses = (d: string) => lessonRows.filter((r) => Number.isFinite(readOf(r, d).share) && !readOf(r, d).covers).length;
  const score = (d: string) => {
    const s = lessonRows.map((r) => readOf(r, d).share).filter(Number.isFinite);
    return misses(d) * 10 + (s.length ? s.reduce((a, x) => a + Math.min(2, Math.abs(1 - x)), 0) / s.length : 0);
  };
  const best = designs.map((pd) => pd.design.name).reduce((a, d) => (score(d) < score(a) ? d : a), read);
  const withShare = lessonRows.filter((r) => Number.isFinite(readOf(r, best).share)).length;
  return {
    designs: designs.map((pd) => ({ name: pd.design.name, type: pd.design.type, userLevel: userLevel(pd.design) })),
    read,
    rows: lessonRows,
    hidden,
    biased,
    instead: best !== read && (biased || hidden.length > 0) ? { design: best, covered: withShare - misses(best), of: withShare } : null,
  };
}

function median(a: Float64Array): number {
  if (a.length === 0) return NaN;
  const s = Float64Array.from(a).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
