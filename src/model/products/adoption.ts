// Adoption as a state (opt-in, the scenario's `adoption`; issue 17). Users
// start not adopted. On each day a user who has the feature somewhere (in one
// of their thread memberships: treated users, or members of a treated thread)
// and has not adopted adopts with probability
//   1 − (1 − hazard)·(1 − perExposure)^exposures,
// exposures being the times they met the feature in use the day before
// (calls with the feature joined, group stories seen), from anyone who uses
// it, treated or not: simple contagion, each exposure an independent chance.
// With `contagion: false`, or without network effects, exposures do not count
// and adoption is the baseline hazard alone. With `rule: "threshold"`
// (complex contagion) exposures count only once the user's exposures since
// the start reach `threshold`, and from then on as one chance `perExposure`
// a day (a threshold on the count of exposures, not on distinct friends).
// With `rule: "friends"` (complex contagion on distinct contacts, Centola and
// Granovetter) the user adopts with probability
//   1 − (1 − hazard)·(1 − perExposure·[k ≥ threshold]),
// k being the number of their graph friends (CSR neighbours) using the
// feature (adopted, not lapsed) at the end of the day before, whatever the
// exposures. k is kept per user and updated after each day's steps (+1 to
// every neighbour of a user who adopted that day, −1 for one who lapsed).
// Novelty runs from each user's own adoption day: a user who adopts on day
// d is new to the feature on day d, so the models' novelty factor
// 1 + novelty·exp(−a/noveltyDays) takes a = days since adoption, not since
// the experiment's start (`novelty`, filled per world by setNovelty).
// An adopted user lapses with daily probability `lapse` (default 0): they
// stop using the feature and do not adopt it again. Until they adopt, users do not start calls / post group stories
// with the feature; they still take part in others' (join, view). The
// uniforms are hash(adoption key, user, day), the same in every world.
import type { CSR, Threads } from '../../graph/csr.js';
import { dayKey, u01 } from '../../random/hash.js';

export interface AdoptionParams {
  readonly hazard: number;
  readonly perExposure: number;
  readonly contagion: boolean;
  readonly rule: 'simple' | 'threshold' | 'friends';
  readonly threshold: number;
  readonly lapse: number;
}

/** One world's adoption state, made once per model and reset per world. */
export interface Adoption {
  /** 1 once the user has adopted */
  readonly adopted: Uint8Array;
  /** day of adoption, −1 if never */
  readonly day: Int16Array;
  /** day of lapsing, −1 if never */
  readonly lapsed: Int16Array;
  /** exposures counted for the next adoption step */
  readonly exposures: Float64Array;
  /** exposures since the start of the world (the threshold rule) */
  readonly total: Float64Array;
  /** 1 when the user has the feature in at least one membership (can adopt) */
  readonly eligible: Uint8Array;
  /** the friends rule: each user's friends using the feature at the end of the last day flushed */
  readonly friends: Int32Array;
  /** the friends rule: users who adopted or lapsed since the last flush, changed[0 .. nChanged) */
  readonly changed: Uint32Array;
  nChanged: number;
  /** the novelty factor 1 + novelty·exp(−a/noveltyDays) by days a since adoption, a < horizon (setNovelty) */
  readonly novelty: Float64Array;
}

export function makeAdoption(n: number, horizon = 1): Adoption {
  return {
    adopted: new Uint8Array(n),
    day: new Int16Array(n),
    lapsed: new Int16Array(n),
    exposures: new Float64Array(n),
    total: new Float64Array(n),
    eligible: new Uint8Array(n),
    friends: new Int32Array(n),
    changed: new Uint32Array(n),
    nChanged: 0,
    novelty: new Float64Array(horizon),
  };
}

/** The novelty factor by days since adoption (the same arithmetic as the models' factor by day of the experiment). */
export function setNovelty(a: Adoption, novelty: number, noveltyDays: number): void {
  for (let x = 0; x < a.novelty.length; x++) a.novelty[x] = 1 + novelty * Math.exp(-x / noveltyDays);
}

/** Start a world: nobody adopted; eligible = has the feature in some membership (`has`, thread-major as th.members). */
export function resetAdoption(a: Adoption, th: Threads, has: Uint8Array): void {
  a.adopted.fill(0);
  a.day.fill(-1);
  a.lapsed.fill(-1);
  a.exposures.fill(0);
  a.total.fill(0);
  a.eligible.fill(0);
  a.friends.fill(0);
  a.nChanged = 0;
  for (let x = 0; x < has.length; x++) if (has[x]) a.eligible[th.members[x]!] = 1;
}

/** What a world's simulation reads of the adoption state: its arrays (null when adoption is off) and whether contagion counts. */
export interface WorldAdoption {
  adopted: Uint8Array | null;
  exposures: Float64Array | null;
  day: Int16Array | null;
  novelty: Float64Array | null;
  contagious: boolean;
}

/**
 * Start a world's adoption (both product models): reset the state and its
 * novelty table; contagion counts only with network effects, since it reads
 * what others did. Off (a null state): every array null.
 */
export function startAdoption(
  a: Adoption | null,
  p: AdoptionParams | undefined,
  th: Threads,
  has: Uint8Array,
  novelty: number,
  noveltyDays: number,
  networkEffects: boolean,
): WorldAdoption {
  if (!a) return { adopted: null, exposures: null, day: null, novelty: null, contagious: false };
  resetAdoption(a, th, has);
  setNovelty(a, novelty, noveltyDays);
  return {
    adopted: a.adopted,
    exposures: a.exposures,
    day: a.day,
    novelty: a.novelty,
    contagious: p !== undefined && p.contagion && networkEffects,
  };
}

/** User i's adoption step on day d (from the exposures counted since the last step, which it clears), after a lapse step for adopters (day key dl). */
export function adoptStep(a: Adoption, p: AdoptionParams, contagion: boolean, dk: number, dl: number, d: number, i: number): void {
  const x = a.exposures[i]!;
  a.exposures[i] = 0;
  if (a.adopted[i]) {
    if (p.lapse > 0 && u01(dl, i) < p.lapse) {
      a.adopted[i] = 0;
      a.lapsed[i] = d;
      if (contagion && p.rule === 'friends') a.changed[a.nChanged++] = i;
    }
    return;
  }
  if (!a.eligible[i] || a.lapsed[i]! >= 0) return;
  const total = (a.total[i]! += x);
  const exposed = !contagion
    ? 1
    : p.rule === 'simple'
      ? x > 0
        ? (1 - p.perExposure) ** x
        : 1
      : p.rule === 'threshold'
        ? total >= p.threshold
          ? 1 - p.perExposure
          : 1
        : a.friends[i]! >= p.threshold
          ? 1 - p.perExposure
          : 1;
  const stay = (1 - p.hazard) * exposed;
  if (u01(dk, i) < 1 - stay) {
    a.adopted[i] = 1;
    a.day[i] = d;
    if (contagion && p.rule === 'friends') a.changed[a.nChanged++] = i;
  }
}

/**
 * The friends rule, after a day's steps: each user who adopted that day adds 1
 * to every neighbour's count, each who lapsed takes 1 off (a user changes at
 * most once a day). Cost: the changed users' degrees.
 */
export function flushFriends(a: Adoption, g: CSR): void {
  const { offsets, nbrs } = g;
  const { friends, changed, adopted } = a;
  for (let c = 0; c < a.nChanged; c++) {
    const i = changed[c]!;
    const delta = adopted[i] ? 1 : -1;
    for (let q = offsets[i]!; q < offsets[i + 1]!; q++) friends[nbrs[q]!]! += delta;
  }
  a.nChanged = 0;
}

/** Every user's adoption step on day d, then (the friends rule) the friend counts for day d + 1. */
export function adoptDay(
  a: Adoption,
  p: AdoptionParams,
  contagion: boolean,
  key: number,
  lapseKey: number,
  d: number,
  g: CSR | null = null,
): void {
  const dk = dayKey(key, d);
  const dl = dayKey(lapseKey, d);
  for (let i = 0; i < a.adopted.length; i++) adoptStep(a, p, contagion, dk, dl, d, i);
  if (a.nChanged > 0) flushFriends(a, g!);
}

/** The share of users using the feature by the end of each day (adopted, not lapsed), from adoption and lapse days (−1: never). */
export function adoptedByDay(
  day: Int16Array,
  horizon: number,
  users: ArrayLike<number> | null = null,
  lapsed: Int16Array | null = null,
): number[] {
  const change = new Float64Array(horizon + 1);
  let N = 0;
  const add = (i: number) => {
    N++;
    if (day[i]! >= 0) change[day[i]!]! += 1;
    if (lapsed && lapsed[i]! >= 0) change[lapsed[i]!]! -= 1;
  };
  if (users) for (let k = 0; k < users.length; k++) add(users[k]!);
  else for (let i = 0; i < day.length; i++) add(i);
  const out: number[] = [];
  let s = 0;
  for (let d = 0; d < horizon; d++) out.push((s += change[d]!) / Math.max(1, N));
  return out;
}
