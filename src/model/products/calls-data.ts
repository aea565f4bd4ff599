// What the group-calls simulation reads and writes: the purpose keys of its
// random draws, the per-replication draw (traits, keys, and the baseline 1:1
// calls and messages, which do not depend on the feature, drawn once for all
// worlds), the per-user tallies and the optional per-call records.
import type { GroupCallsParams } from './schema.js';
import { dayKey, poisson, u01 } from '../../random/hash.js';
import type { Traits } from './traits.js';

export const CALL_KEYS = ['active', 'start', 'starter', 'order', 'connect', 'join', 'drop', 'duration', 'report', 'substitute'] as const;
export type CallKeys = Record<(typeof CALL_KEYS)[number], number>;

export interface CallsDraw {
  readonly traits: Traits;
  readonly keys: CallKeys;
  /** the 1:1 calls and messages each user would make each day if active (day-major), drawn once for all worlds */
  readonly comms: { readonly calls: Uint16Array; readonly messages: Uint16Array };
}

/** Baseline 1:1 calls and messages per user-day: Poisson(rate · activity). */
export function drawComms(act: Float64Array, p: GroupCallsParams, keyCalls: number, keyMessages: number): CallsDraw['comms'] {
  const n = act.length;
  const calls = new Uint16Array(n * p.horizon);
  const messages = new Uint16Array(n * p.horizon);
  const mc = Float64Array.from(act, (a) => p.oneToOneRate * a);
  const mm = Float64Array.from(act, (a) => p.messageRate * a);
  const ec = mc.map((x) => Math.exp(-x));
  const em = mm.map((x) => Math.exp(-x));
  for (let d = 0; d < p.horizon; d++) {
    const kc = dayKey(keyCalls, d);
    const km = dayKey(keyMessages, d);
    for (let i = 0; i < n; i++) {
      calls[d * n + i] = Math.min(65535, poisson(mc[i]!, u01(kc, i), ec[i]!));
      messages[d * n + i] = Math.min(65535, poisson(mm[i]!, u01(km, i), em[i]!));
    }
  }
  return { calls, messages };
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
