// What the group-stories simulation reads and writes: the purpose keys of
// its random draws, the per-replication draw, the per-user tallies, and the
// user-side index of thread memberships.
import type { Threads } from '../../graph/csr.js';
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
