// What the group-calls simulation reads and writes: the purpose keys of its
// random draws, the per-replication draw (traits, keys, and the baseline 1:1
// calls and messages, which do not depend on the feature, drawn once for all
// worlds), the per-user tallies and the optional per-call records.
import type { Threads } from '../../graph/csr.js';
import type { GroupCallsParams } from './schema.js';
import { dayKey, sigmoid, u01 } from '../../random/hash.js';
import { PoissonTable } from './poisson-table.js';
import type { Traits } from './traits.js';

export const CALL_KEYS = ['active', 'start', 'starter', 'order', 'connect', 'join', 'drop', 'duration', 'report', 'substitute'] as const;
export type CallKeys = Record<(typeof CALL_KEYS)[number], number>;

export interface CallsDraw {
  readonly traits: Traits;
  readonly keys: CallKeys;
  /** the 1:1 calls and messages each user would make each day if active (day-major), drawn once for all worlds */
  readonly comms: Comms;
  /** per-user and per-thread constants of this draw, computed once for all worlds */
  readonly rates: CallRates;
  /** purpose keys of the adoption and lapse uniforms (0 when adoption, or lapsing, is off) */
  readonly adoptKey: number;
  readonly lapseKey: number;
}

/**
 * The 1:1 calls and messages, and the baseline days: a user who has never
 * been touched by a group call (no call, no remembered experience) lives
 * the same days in every world, active when the day's activity uniform is
 * below their baseline probability. Worlds read those days from here
 * instead of walking such users.
 */
export interface Comms {
  /** user-major [i * horizon + d]: a user's days are read together */
  readonly calls: Uint16Array;
  readonly messages: Uint16Array;
  /** 1 when user i is active on day d at the baseline, user-major as calls */
  readonly userOn: Uint8Array;
  /** the same, day-major [d * n + i]: a day's availability of the untouched users */
  readonly baseOn: Uint8Array;
  /** an untouched user's tallies after the horizon: active days, last active day, 1:1 minutes, messages */
  readonly baseActiveDays: Float64Array;
  readonly baseLastActive: Int16Array;
  readonly baseMinutes: Float64Array;
  readonly baseMessages: Float64Array;
}

/** What every world of a replication computes from the traits alone. */
export interface CallRates {
  /** activity^startActivityExp, per user */
  readonly startPow: Float64Array;
  /** logit and probability of being active without remembered experiences, per user */
  readonly baseLogit: Float64Array;
  readonly baseP: Float64Array;
  /** exp(startTie·(tie − ½)) and exp(legacyStartTie·(tie − ½)), per thread */
  readonly tieF: Float64Array;
  readonly legacyTieF: Float64Array;
  /** join probability, per thread */
  readonly joinP: Float64Array;
  /**
   * The thread-days whose start uniform is below a bound on the day's total
   * start rate (every member available, each at the larger of the two
   * rates): only these can have a call, in any world. Day d's threads are
   * candidates[candidateDay[d] .. candidateDay[d + 1]), in thread order.
   */
  readonly candidates: Uint32Array;
  readonly candidateDay: Uint32Array;
}

export function callRates(th: Threads, traits: Traits, p: GroupCallsParams, keyStart: number): CallRates {
  const { activity: act, tie } = traits;
  const n = act.length;
  const startPow = new Float64Array(n);
  const baseLogit = new Float64Array(n);
  const baseP = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    startPow[i] = act[i]! ** p.startActivityExp;
    baseLogit[i] = p.activeIntercept + p.activeSlope * Math.log(act[i]!);
    baseP[i] = sigmoid(baseLogit[i]!);
  }
  const tieF = new Float64Array(th.count);
  const legacyTieF = new Float64Array(th.count);
  const joinP = new Float64Array(th.count);
  const threadPow = new Float64Array(th.count); // the members' startPow summed
  for (let t = 0; t < th.count; t++) {
    tieF[t] = Math.exp(p.startTie * (tie[t]! - 0.5));
    legacyTieF[t] = Math.exp(p.legacyStartTie * (tie[t]! - 0.5));
    joinP[t] = sigmoid(p.joinIntercept + p.joinTie * tie[t]!);
    let s = 0;
    for (let x = th.offsets[t]!; x < th.offsets[t + 1]!; x++) s += startPow[th.members[x]!]!;
    threadPow[t] = s;
  }
  // 1 - exp(-total) <= total <= the bound, so a uniform above the bound (with
  // room for rounding: the bound is summed in another order) means no call
  const H = p.horizon;
  const candidateDay = new Uint32Array(H + 1);
  const list: number[] = [];
  for (let d = 0; d < H; d++) {
    const dStart = dayKey(keyStart, d);
    // with adoption on, novelty runs from each user's adoption day, so it can be at its day-0 height on any day
    const featureRate = p.startRate * (1 + p.novelty * (p.adoption ? 1 : Math.exp(-d / p.noveltyDays)));
    for (let t = 0; t < th.count; t++) {
      const fr = featureRate * tieF[t]!;
      const lr = p.legacyStartRate * legacyTieF[t]!;
      if (u01(dStart, t) <= (fr > lr ? fr : lr) * threadPow[t]! * (1 + 1e-9) + 1e-15) list.push(t);
    }
    candidateDay[d + 1] = list.length;
  }
  return { startPow, baseLogit, baseP, tieF, legacyTieF, joinP, candidates: Uint32Array.from(list), candidateDay };
}

/** Per-world working arrays, allocated once per model and reused by every world and day. */
export interface CallsScratch {
  readonly good: Float64Array;
  readonly bad: Float64Array;
  readonly avail: Uint8Array;
  readonly inCall: Uint8Array;
  /** membership indices of one call's participants */
  readonly parts: Uint32Array;
  /** share of the call a participant stayed (1 = no drop) */
  readonly dropped: Float64Array;
  /** 1 for the users a call has touched in this world: the users each day's pass simulates */
  readonly touched: Uint8Array;
}

/**
 * User i, untouched until a call touches them on day d, gets their baseline
 * days 0..d - 1 and the start of day d, added in the order a world adds them.
 */
export function touchUser(
  i: number,
  d: number,
  H: number,
  minutesPerCall: number,
  comms: Comms,
  tally: CallTally,
  touched: Uint8Array,
): void {
  touched[i] = 1;
  const { userOn, calls, messages } = comms;
  let days = 0;
  let last = -1;
  let minutes = 0;
  let msgs = 0;
  const at = i * H;
  for (let e = 0; e < d; e++) {
    if (!userOn[at + e]) continue;
    days += 1;
    last = e;
    minutes += calls[at + e]! * minutesPerCall;
    msgs += messages[at + e]!;
  }
  if (userOn[at + d]) ((days += 1), (last = d));
  tally.activeDays[i] = days;
  tally.lastActive[i] = last;
  tally.oneToOneMinutes[i] = minutes;
  tally.messages[i] = msgs;
}

export function makeCallsScratch(n: number, cap: number): CallsScratch {
  return {
    good: new Float64Array(n),
    bad: new Float64Array(n),
    avail: new Uint8Array(n),
    inCall: new Uint8Array(n),
    parts: new Uint32Array(cap),
    dropped: new Float64Array(cap),
    touched: new Uint8Array(n),
  };
}

/**
 * Baseline 1:1 calls and messages per user-day: Poisson(rate · activity),
 * user by user so each user's two distributions are tabulated once
 * (PoissonTable gives exactly poisson()'s draws); with them the baseline
 * days and an untouched user's tallies, summed in day order as a world
 * sums them.
 */
export function drawComms(
  act: Float64Array,
  p: GroupCallsParams,
  keyCalls: number,
  keyMessages: number,
  keyActive: number,
  baseP: Float64Array,
): Comms {
  const n = act.length;
  const H = p.horizon;
  const m = p.oneToOneMinutes;
  const calls = new Uint16Array(n * H);
  const messages = new Uint16Array(n * H);
  const baseOn = new Uint8Array(n * H);
  const userOn = new Uint8Array(n * H);
  const baseActiveDays = new Float64Array(n);
  const baseLastActive = new Int16Array(n);
  const baseMinutes = new Float64Array(n);
  const baseMessages = new Float64Array(n);
  const kc = new Int32Array(H);
  const km = new Int32Array(H);
  const ka = new Int32Array(H);
  for (let d = 0; d < H; d++) ((kc[d] = dayKey(keyCalls, d)), (km[d] = dayKey(keyMessages, d)), (ka[d] = dayKey(keyActive, d)));
  const tc = new PoissonTable();
  const tm = new PoissonTable();
  for (let i = 0; i < n; i++) {
    const mc = p.oneToOneRate * act[i]!;
    const mm = p.messageRate * act[i]!;
    tc.set(mc, Math.exp(-mc));
    tm.set(mm, Math.exp(-mm));
    const bp = baseP[i]!;
    let days = 0;
    let last = -1;
    let minutes = 0;
    let msgs = 0;
    for (let d = 0; d < H; d++) {
      const c = Math.min(65535, tc.draw(u01(kc[d]!, i)));
      const x = Math.min(65535, tm.draw(u01(km[d]!, i)));
      calls[i * H + d] = c;
      messages[i * H + d] = x;
      if (u01(ka[d]!, i) < bp) {
        baseOn[d * n + i] = 1;
        userOn[i * H + d] = 1;
        days += 1;
        last = d;
        minutes += c * m;
        msgs += x;
      }
    }
    baseActiveDays[i] = days;
    baseLastActive[i] = last;
    baseMinutes[i] = minutes;
    baseMessages[i] = msgs;
  }
  return { calls, messages, userOn, baseOn, baseActiveDays, baseLastActive, baseMinutes, baseMessages };
}

/** Per-user totals over the horizon (reused between worlds; zeroed by the simulation). */
export interface CallTally {
  successShare: Float64Array; // sum of 1/participants over successful calls joined
  successCalls: Float64Array; // successful calls joined
  participated: Float64Array; // 1 if in any connected call
  participations: Float64Array;
  drops: Float64Array;
  attempts: Float64Array; // as starter
  setupFails: Float64Array;
  connected: Float64Array; // as starter
  durationSum: Float64Array; // as starter
  groupMinutes: Float64Array;
  oneToOneMinutes: Float64Array;
  messages: Float64Array;
  reports: Float64Array;
  activeDays: Float64Array;
  lastActive: Int16Array;
}

/** Per-call records, for the readout and tests (connected calls only). */
export interface CallsSink {
  daily: Float32Array; // successShare by day, day-major
  durations: number[];
  treated: number[];
  participants: number[];
}

export function makeTally(n: number): CallTally {
  const f = () => new Float64Array(n);
  return {
    successShare: f(),
    successCalls: f(),
    participated: f(),
    participations: f(),
    drops: f(),
    attempts: f(),
    setupFails: f(),
    connected: f(),
    durationSum: f(),
    groupMinutes: f(),
    oneToOneMinutes: f(),
    messages: f(),
    reports: f(),
    activeDays: f(),
    lastActive: new Int16Array(n),
  };
}
