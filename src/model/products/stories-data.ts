// What the group-stories simulation reads and writes: the purpose keys of
// its random draws, the per-replication draw, the per-user tallies, and the
// user-side index of thread memberships.
import type { Threads } from '../../graph/csr.js';
import type { GroupStoriesParams } from './schema.js';
import { sigmoid } from '../../random/hash.js';
import type { Traits } from './traits.js';

export const STORY_KEYS = [
  'active',
  'post',
  'which',
  'public',
  'cannibal',
  'see',
  'open',
  'dm',
  'reply',
  'mute',
  'pubOpen',
  'pubDm',
  'pubReply',
] as const;
export type StoryKeys = Record<(typeof STORY_KEYS)[number], number>;

export interface StoriesDraw {
  readonly traits: Traits;
  readonly keys: StoryKeys;
  /** per-user and per-thread constants of this draw, computed once for all worlds */
  readonly rates: StoryRates;
  /** purpose keys of the adoption and lapse uniforms (0 when adoption, or lapsing, is off) */
  readonly adoptKey: number;
  readonly lapseKey: number;
}

/** What every world of a replication computes from the traits alone. */
export interface StoryRates {
  /** logit and probability of being active without remembered experiences, per user */
  readonly baseLogit: Float64Array;
  readonly baseP: Float64Array;
  /** group and public posting probabilities before novelty and contagion, per user */
  readonly gp: Float64Array;
  readonly pp: Float64Array;
  /** open, DM and reply probabilities of a group story, per thread */
  readonly pOpen: Float64Array;
  readonly pDm: Float64Array;
  readonly pReply: Float64Array;
}

export function storyRates(th: Threads, traits: Traits, p: GroupStoriesParams): StoryRates {
  const { activity: act, tie } = traits;
  const n = act.length;
  const baseLogit = new Float64Array(n);
  const baseP = new Float64Array(n);
  const gp = new Float64Array(n);
  const pp = new Float64Array(n);
  const groupExp = p.groupPostActivityExp ?? p.postActivityExp;
  for (let i = 0; i < n; i++) {
    baseLogit[i] = p.activeIntercept + p.activeSlope * Math.log(act[i]!);
    baseP[i] = sigmoid(baseLogit[i]!);
    gp[i] = p.groupPostRate * act[i]! ** groupExp;
    pp[i] = Math.min(0.95, p.publicPostRate * act[i]! ** p.postActivityExp);
  }
  const pOpen = new Float64Array(th.count);
  const pDm = new Float64Array(th.count);
  const pReply = new Float64Array(th.count);
  for (let t = 0; t < th.count; t++) {
    pOpen[t] = sigmoid(p.openIntercept + p.openTie * tie[t]!);
    pDm[t] = sigmoid(p.groupDmIntercept + p.groupDmTie * tie[t]!);
    pReply[t] = sigmoid(p.reciprocalIntercept + p.reciprocalTie * tie[t]!);
  }
  return { baseLogit, baseP, gp, pp, pOpen, pDm, pReply };
}

/** Per-world working arrays, allocated once per model and reused by every world and day. */
export interface StoriesScratch {
  readonly good: Float64Array;
  readonly bad: Float64Array;
  readonly active: Uint8Array;
  /** the thread a user posted a group story to today, or -1 */
  readonly postedTo: Int32Array;
  readonly seenToday: Float64Array;
  readonly seenYesterday: Float64Array;
  /** per membership */
  readonly muted: Uint8Array;
  readonly seenIn: Uint16Array;
  /** per thread: today's group stories; the threads with one, in order of first post */
  readonly threadPosts: Uint16Array;
  readonly postedThreads: Uint32Array;
  /** today's public posters, and per user how many of their friends are among them */
  readonly publicPosters: Uint32Array;
  readonly friendPosts: Uint32Array;
}

export function makeStoriesScratch(n: number, th: Threads): StoriesScratch {
  return {
    good: new Float64Array(n),
    bad: new Float64Array(n),
    active: new Uint8Array(n),
    postedTo: new Int32Array(n),
    seenToday: new Float64Array(n),
    seenYesterday: new Float64Array(n),
    muted: new Uint8Array(th.members.length),
    seenIn: new Uint16Array(th.members.length),
    threadPosts: new Uint16Array(th.count),
    postedThreads: new Uint32Array(th.count),
    publicPosters: new Uint32Array(n),
    friendPosts: new Uint32Array(n),
  };
}

export interface StoryTally {
  posterDays: Float64Array;
  groupPosts: Float64Array;
  publicPosts: Float64Array;
  impressions: Float64Array;
  opens: Float64Array;
  dms: Float64Array;
  reciprocated: Float64Array;
  mutes: Float64Array;
  activeDays: Float64Array;
  lastActive: Int16Array;
}

export function makeStoryTally(n: number): StoryTally {
  const f = () => new Float64Array(n);
  return {
    posterDays: f(),
    groupPosts: f(),
    publicPosts: f(),
    impressions: f(),
    opens: f(),
    dms: f(),
    reciprocated: f(),
    mutes: f(),
    activeDays: f(),
    lastActive: new Int16Array(n),
  };
}

/** userMem[q]: the membership index (into th.members) of user-side entry q (th.userThreads[q]). */
export function userMemberships(th: Threads): Uint32Array {
  const out = new Uint32Array(th.userThreads.length);
  const fill = th.userOffsets.slice(0, th.userOffsets.length - 1);
  for (let t = 0; t < th.count; t++) for (let x = th.offsets[t]!; x < th.offsets[t + 1]!; x++) out[fill[th.members[x]!]!++] = x;
  return out;
}
