// How long to run (issue 17): every design of a product scenario day by day
// over Monte Carlo replications. Replication r uses the model draw and the
// designs' assignments of `spillover run`'s replication r (streams
// (seed, "rep", r, …)); per design and day, the difference in means of the
// readout's daily series (the primary's numerator per user and day, or the
// model's daily metric) minus that day's truth (all treated − all control,
// same draw). Per design: the mean bias and RMSE by day with Monte Carlo
// SEs, and the day from which each is stable (the readout's stated rule,
// with Monte Carlo SEs: every later day within 2 SEs of the mean over the
// last STABLE_WINDOW days). With the model's adoption on, also the adoption
// curves averaged over the replications: per design its treatment and
// control arms' share using the feature by the end of each day, and the
// truth's all-treated and all-control worlds'.
import { assignment, populationOf } from '../design/index.js';
import type { ProductModel } from '../model/products/product.js';
import { outcomeBuffers } from '../model/index.js';
import { adoptedByDay } from '../model/products/adoption.js';
import { fastStream } from '../random/fast.js';
import * as names from '../random/names.js';
import type { Plan } from '../sim/plan.js';
import { contrast, unitWeights } from './contrast.js';
import { DECOMPOSITION_ORDER, decompositionModels, stableFrom, stableRuleText, truthOf } from './readout.js';

export interface DesignDays {
  design: string;
  type: string;
  /** replications where the design's difference is defined (a cluster design with every cluster in one arm has none) */
  replications: number;
  /** mean over replications of (difference − truth), by day, with its Monte Carlo SE */
  bias: number[];
  biasSe: number[];
  /** root mean squared error by day, with its Monte Carlo SE (delta method) */
  rmse: number[];
  rmseSe: number[];
  /** first day from which bias / RMSE are stable (null: not even on the last day) */
  biasStableFrom: number | null;
  rmseStableFrom: number | null;
  /** adoption on: the share of the design's treatment arm (dose 1) and control arm (dose 0) using the feature by day; absent otherwise */
  adoption?: { treatment: Curve; control: Curve };
}

/**
 * A share using the feature (adopted, not lapsed) by the end of each day,
 * mean over the replications where its group of users is not empty, with
 * its Monte Carlo SE (NaN with fewer than two such replications).
 */
export interface Curve {
  share: number[];
  se: number[];
  replications: number;
}

export interface Days {
  metric: string;
  horizon: number;
  /** the graph's users (the text's resolution of the truth: one event is 1/users per user and day) */
  users: number;
  replications: number;
  /** the day's true difference, mean over replications, and its Monte Carlo SE (NaN with one replication) */
  truth: number[];
  truthSe?: number[];
  designs: DesignDays[];
  rule: string;
  /** adoption on: the truth's all-treated and all-control worlds' share using the feature by day; absent otherwise */
  adoption?: { allTreated: Curve; allControl: Curve };
  /** designs left out: those with an analysis population (ego clusters), whose truth is over that population, not every user */
  omitted?: string[];
  /** daysByDesign(..., { decompose: true }) with adoption on: the readout's decomposition of the daily truth, over the replications; absent otherwise */
  decomposition?: DaysDecomposition;
}

export const PARTS = ['truth', 'noContagion', 'neither', 'contagion', 'novelty'] as const;
export type Part = (typeof PARTS)[number];
/** A mean over the replications and its Monte Carlo SE (SD / √R; NaN with one replication). */
export interface MeanSe {
  mean: number;
  se: number;
}

/**
 * The readout's decomposition of the daily truth (truth = contagion +
 * novelty + neither; Decomposition in readout.ts) in every replication, on
 * that replication's draw: per part and day the mean over the replications
 * ± SD/√R (the truth's mean is `truth` above, the same numbers), and the
 * same per span of days the text shows (every day up to 14 days, else
 * weeks; the span's mean in each replication, then mean ± SD/√R).
 */
export interface DaysDecomposition {
  order: string;
  replications: number;
  days: Record<Part, MeanSe[]>;
  /** per span also each design's bias (difference − truth), mean over the replications where it is defined ± SD/√R: the part it misses */
  spans: ({ from: number; to: number; bias: ({ design: string } & MeanSe)[] } & Record<Part, MeanSe>)[];
}

/** Every day up to two weeks, else weeks (the last may be shorter): [from, to) */
export function spansOf(H: number): [number, number][] {
  return H <= 14
    ? Array.from({ length: H }, (_, d) => [d, d + 1])
    : Array.from({ length: Math.ceil(H / 7) }, (_, w) => [7 * w, Math.min(H, 7 * w + 7)]);
}

function meanSe(x: readonly number[]): MeanSe {
  const R = x.length;
  let s = 0;
  for (const v of x) s += v;
  const m = s / R;
  let v2 = 0;
  for (const v of x) v2 += (v - m) ** 2;
  return { mean: m, se: R > 1 ? Math.sqrt(v2 / (R - 1) / R) : NaN };
}

/** Accumulates per-replication curves (one value per day) into their mean and Monte Carlo SE. */
class CurveSum {
  private readonly s: Float64Array;
  private readonly s2: Float64Array;
  private k = 0;
  constructor(private readonly H: number) {
    this.s = new Float64Array(H);
    this.s2 = new Float64Array(H);
  }
  add(c: readonly number[]): void {
    this.k++;
    for (let d = 0; d < this.H; d++) ((this.s[d]! += c[d]!), (this.s2[d]! += c[d]! * c[d]!));
  }
  curve(): Curve {
    const k = this.k;
    const share: number[] = [];
    const se: number[] = [];
    for (let d = 0; d < this.H; d++) {
      const m = this.s[d]! / k;
      share.push(k > 0 ? m : NaN);
      // sample variance from the sums; clamped at 0 against rounding
      se.push(k > 1 ? Math.sqrt(Math.max(0, (this.s2[d]! - k * m * m) / (k - 1)) / k) : NaN);
    }
    return { share, se, replications: k };
  }
}

export interface DaysOptions {
  /** also the readout's decomposition of the daily truth over the replications (adoption on; two more truths per replication) */
  decompose?: boolean;
}

export function daysByDesign(plan: Plan, replications: number, opts: DaysOptions = {}): Days {
  const pm = plan.model as ProductModel<unknown>;
  const n = plan.graph.csr.n;
  const seed = plan.scenario.seed;
  const H = pm.horizon;
  const designs = plan.designs.filter((pd) => !populationOf(pd.design));
  // err[k][r * H + d]
  const err = designs.map(() => new Float64Array(replications * H));
  const truth = new Float64Array(H);
  // replications where design k's difference is defined
  const ok = designs.map(() => new Uint8Array(replications));
  const out = outcomeBuffers(pm, n);
  let metric = '';
  // adoption curves, made on the first replication that has adoption state (the model's adoption on)
  let worlds: { all: CurveSum; none: CurveSum } | null = null;
  let arms: { treatment: CurveSum; control: CurveSum }[] | null = null;
  // the decomposition: per replication and day each part, parts[k][r * H + d]
  const models = opts.decompose ? decompositionModels(plan) : null;
  const parts = models ? PARTS.map(() => new Float64Array(replications * H)) : null;
  // each replication's daily truth, for its Monte Carlo SE
  const truthR = new Float64Array(replications * H);
  // per design, what every replication reuses (assignments overwrite their buffers, as in sim/replicate.ts)
  const per = designs.map((pd) => ({
    unitZ: new Uint8Array(pd.design.units.count),
    buffers: { dose: new Float64Array(n), treated: new Uint8Array(n) },
    run: pd.estimators.find((e) => e.id === 'dm')!.run,
    c: unitWeights(pd.design, n),
  }));
  const y = new Float64Array(n); // one day of the daily series
  for (let r = 0; r < replications; r++) {
    const rng = (purpose: string) => fastStream(seed, ...names.rep(r, purpose));
    const draw = pm.draw(rng);
    const t = truthOf(pm, draw, n);
    t.byDay.forEach((x, d) => {
      truth[d]! += x.diff / replications;
      truthR[r * H + d] = x.diff;
    });
    if (models && parts) {
      // the same draw (the replication's streams) without contagion, and without contagion and novelty
      const { noContagion, neither } = models.daily(rng);
      for (let d = 0; d < H; d++) {
        const x = t.byDay[d]!.diff;
        const row = [x, noContagion[d]!, neither[d]!, x - noContagion[d]!, noContagion[d]! - neither[d]!];
        row.forEach((v, k) => (parts[k]![r * H + d] = v));
      }
    }
    if (t.adoption) {
      worlds ??= { all: new CurveSum(H), none: new CurveSum(H) };
      worlds.all.add(adoptedByDay(t.adoption.all.day, H, null, t.adoption.all.lapsed));
      worlds.none.add(adoptedByDay(t.adoption.none.day, H, null, t.adoption.none.lapsed));
    }
    designs.forEach((pd, k) => {
      const design = pd.design;
      const { unitZ, buffers, run, c } = per[k]!;
      const info = design.drawUnits(fastStream(seed, ...names.repAssign(r, design.name)), unitZ) ?? null;
      const { dose, threadOn } = assignment(design, unitZ, info, buffers);
      const x = pm.readout(draw, { dose, threadOn }, out.num, out.den);
      metric = x.dailyMetric;
      let defined = 1;
      for (let d = 0; d < H; d++) {
        y.set(x.daily.subarray(d * n, (d + 1) * n));
        err[k]![r * H + d] = contrast(run, dose, unitZ, y, null, c, 1).diff - t.byDay[d]!.diff;
        if (!Number.isFinite(err[k]![r * H + d]!)) defined = 0;
      }
      ok[k]![r] = defined;
      if (x.adoption) {
        // the arms as the readout takes them: dose 1 and dose 0 (under thread designs users with a mixed dose are in neither)
        arms ??= designs.map(() => ({ treatment: new CurveSum(H), control: new CurveSum(H) }));
        const a = arms[k]!;
        const one: number[] = [],
          zero: number[] = [];
        for (let i = 0; i < n; i++)
          if (dose[i] === 1) one.push(i);
          else if (dose[i] === 0) zero.push(i);
        if (one.length > 0) a.treatment.add(adoptedByDay(x.adoption.day, H, one, x.adoption.lapsed));
        if (zero.length > 0) a.control.add(adoptedByDay(x.adoption.day, H, zero, x.adoption.lapsed));
      }
    });
  }
  const adoptionArms = arms as { treatment: CurveSum; control: CurveSum }[] | null;
  const adoptionWorlds = worlds as { all: CurveSum; none: CurveSum } | null;
  return {
    metric,
    horizon: H,
    users: n,
    replications,
    truth: Array.from(truth),
    truthSe: Array.from({ length: H }, (_, d) => meanSe(Array.from({ length: replications }, (_, r) => truthR[r * H + d]!)).se),
    ...(plan.designs.length > designs.length
      ? { omitted: plan.designs.filter((pd) => populationOf(pd.design)).map((pd) => pd.design.name) }
      : {}),
    rule: stableRuleText("every day's value is within 2 Monte Carlo SEs"),
    designs: designs.map((pd, k) => {
      const use = ok[k]!;
      const R = use.reduce((a, x) => a + x, 0);
      const bias: number[] = [],
        biasSe: number[] = [],
        rmse: number[] = [],
        rmseSe: number[] = [];
      for (let d = 0; d < H; d++) {
        let s = 0,
          s2 = 0;
        for (let r = 0; r < replications; r++) {
          if (!use[r]) continue;
          const e = err[k]![r * H + d]!;
          s += e;
          s2 += e * e;
        }
        const m = s / R;
        const msq = s2 / R;
        let v = 0,
          vq = 0;
        for (let r = 0; r < replications; r++) {
          if (!use[r]) continue;
          const e = err[k]![r * H + d]!;
          v += (e - m) ** 2;
          vq += (e * e - msq) ** 2;
        }
        bias.push(m);
        biasSe.push(Math.sqrt(v / (R - 1) / R));
        rmse.push(Math.sqrt(msq));
        // delta method: SE(sqrt(M)) = SE(M) / (2 sqrt(M))
        rmseSe.push(msq > 0 ? Math.sqrt(vq / (R - 1) / R) / (2 * Math.sqrt(msq)) : 0);
      }
      return {
        design: pd.design.name,
        type: pd.design.type,
        replications: R,
        bias,
        biasSe,
        rmse,
        rmseSe,
        biasStableFrom: stableFrom(bias, biasSe),
        rmseStableFrom: stableFrom(rmse, rmseSe),
        ...(adoptionArms ? { adoption: { treatment: adoptionArms[k]!.treatment.curve(), control: adoptionArms[k]!.control.curve() } } : {}),
      };
    }),
    ...(adoptionWorlds ? { adoption: { allTreated: adoptionWorlds.all.curve(), allControl: adoptionWorlds.none.curve() } } : {}),
    ...(parts
      ? {
          decomposition: decomposition(
            parts,
            truth,
            replications,
            H,
            designs.map((pd, k) => ({ design: pd.design.name, err: err[k]!, ok: ok[k]! })),
          ),
        }
      : {}),
  };
}

/** Per part and day, and per span of days, the mean over the replications ± SD/√R; the truth's daily means are `truth` itself. */
function decomposition(
  parts: Float64Array[],
  truth: Float64Array,
  R: number,
  H: number,
  errs: { design: string; err: Float64Array; ok: Uint8Array }[],
): DaysDecomposition {
  // a design's mean error over days [a, b) in each replication where it is defined
  const biasOver = (g: (typeof errs)[number], a: number, b: number) => {
    const xs: number[] = [];
    for (let r = 0; r < R; r++) {
      if (!g.ok[r]) continue;
      let s = 0;
      for (let d = a; d < b; d++) s += g.err[r * H + d]!;
      xs.push(s / (b - a));
    }
    return xs.length ? meanSe(xs) : { mean: NaN, se: NaN };
  };
  const perRep = (k: number, a: number, b: number) =>
    Array.from({ length: R }, (_, r) => {
      let s = 0;
      for (let d = a; d < b; d++) s += parts[k]![r * H + d]!;
      return s / (b - a);
    });
  const days = Object.fromEntries(
    PARTS.map((p, k) => [
      p,
      Array.from({ length: H }, (_, d) => {
        const x = meanSe(perRep(k, d, d + 1));
        // the same numbers as Days.truth
        return p === 'truth' ? { mean: truth[d]!, se: x.se } : x;
      }),
    ]),
  ) as Record<Part, MeanSe[]>;
  const spans = spansOf(H).map(([a, b]) => ({
    from: a,
    to: b,
    ...(Object.fromEntries(PARTS.map((p, k) => [p, meanSe(perRep(k, a, b))])) as Record<Part, MeanSe>),
    bias: errs.map((g) => ({ design: g.design, ...biasOver(g, a, b) })),
  }));
  return { order: DECOMPOSITION_ORDER, replications: R, days, spans };
}
