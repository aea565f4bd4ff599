// What a product model adds to OutcomeModel for the readout: each metric's
// role and good direction, per-day values of the primary metric, per-user
// segment covariates and per-call records. The Monte Carlo uses only the
// OutcomeModel part.
import type { OutcomeModel, World } from '../model.js';

export type Role = 'primary' | 'secondary' | 'guardrail';

export interface MetricInfo {
  readonly role: Role;
  /** +1 when up is good, -1 when down is good */
  readonly better: 1 | -1;
  readonly label: string;
}

export interface Covariates {
  readonly activity: Float64Array;
  readonly lowConn: Uint8Array;
  /** mean tie strength over the user's threads (NaN without threads) */
  readonly meanTie: Float64Array;
  /** size of the user's largest thread (0 without threads) */
  readonly maxSize: Float64Array;
}

export interface Extras {
  readonly horizon: number;
  /** the numerator per user per day of metric `dailyMetric` (the primary unless a model says otherwise), day-major: daily[d * n + i] */
  readonly daily: Float32Array;
  /** the metric whose numerator `daily` holds, day by day (its sum over days is that numerator times the horizon, before the scale) */
  readonly dailyMetric: string;
  readonly covariates: Covariates;
  /** optional per-event record with the arm it happened in (e.g. call durations) */
  readonly events?: { readonly name: string; readonly value: Float64Array; readonly treated: Uint8Array };
  /** participants of each connected call (group calls) */
  readonly participants?: Uint16Array;
  /** each user's day of adoption and of lapsing, −1 if never (only with the scenario's adoption on) */
  readonly adoption?: { readonly day: Int16Array; readonly lapsed: Int16Array };
}

export interface ProductModel<D> extends OutcomeModel<D> {
  readonly info: readonly MetricInfo[];
  readonly horizon: number;
  /** outcomes as `outcomes` computes them, plus the readout extras */
  readout(draw: D, world: World, num: Float64Array[], den: Float64Array[]): Extras;
}

export function isProductModel(m: OutcomeModel<any>): m is ProductModel<any> {
  return typeof (m as Partial<ProductModel<any>>).readout === 'function';
}

/** Who has the feature, per thread membership (thread-major, as Threads.members). */
export function featureByMembership(world: World, offsets: Uint32Array, members: Uint32Array, out: Uint8Array): Uint8Array {
  const { dose, threadOn } = world;
  const count = offsets.length - 1;
  for (let t = 0; t < count; t++) {
    const on = threadOn ? threadOn[t]! : -1;
    for (let x = offsets[t]!; x < offsets[t + 1]!; x++) out[x] = on >= 0 ? on : dose[members[x]!] === 1 ? 1 : 0;
  }
  return out;
}

/**
 * No interference, by construction: each user's outcomes are those of the
 * world where everyone shares their own state (all treated when their dose
 * is 1, none otherwise). Used when networkEffects is off and the design is
 * not thread-level (thread-level worlds already give a thread one state).
 */
export function personalWorlds(
  n: number,
  world: World,
  num: Float64Array[],
  den: Float64Array[],
  tmp: PersonalBuffers,
  simulate: (w: World, num: Float64Array[], den: Float64Array[]) => void,
): void {
  simulate(tmp.all, tmp.num, tmp.den);
  simulate(tmp.none, num, den);
  for (let k = 0; k < num.length; k++) {
    for (let i = 0; i < n; i++) {
      if (world.dose[i] !== 1) continue;
      num[k]![i] = tmp.num[k]![i]!;
      if (den[k]!.length) den[k]![i] = tmp.den[k]![i]!;
    }
  }
}

/** personalWorlds' buffers: the all-treated world's outcomes, and the two worlds, made once per model. */
export interface PersonalBuffers {
  readonly num: Float64Array[];
  readonly den: Float64Array[];
  readonly all: World;
  readonly none: World;
}

export function personalBuffers(n: number, buffers: { num: Float64Array[]; den: Float64Array[] }): PersonalBuffers {
  return { ...buffers, all: { dose: new Float64Array(n).fill(1), threadOn: null }, none: { dose: new Float64Array(n), threadOn: null } };
}
