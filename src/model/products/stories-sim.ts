// Group stories, day by day, on typed arrays. Per day: who is active; who
// posts a group story (to one of the groups where they have the feature; more
// after seeing group stories the day before) and who posts a public story
// (a share of group posts replace one); members see, open and reply to group
// stories (members without the feature see them less, if at all), friends see
// public stories; viewers who saw many group stories that day mute some
// groups, less so close ones. Cost per day: O(users + friendships + members
// of groups with a post); randomness is hash(purpose key, unit, day).
import type { CSR, Threads } from '../../graph/csr.js';
import type { GroupStoriesParams } from './schema.js';
import { binomial, dayKey, sigmoid, u01 } from '../../random/hash.js';
import { STORY_KEYS, type StoriesDraw, type StoryTally } from './stories-data.js';

export function simulateStories(
  g: CSR,
  th: Threads,
  userMem: Uint32Array,
  p: GroupStoriesParams,
  draw: StoriesDraw,
  has: Uint8Array,
  tally: StoryTally,
  daily: Float32Array | null,
): void {
  const { activity: act, tie } = draw.traits;
  const n = act.length;
  const H = p.horizon;
  // parameters in locals: the zod output object is slow to read in hot loops
  const {
    activeIntercept,
    activeSlope,
    groupPostRate,
    postActivityExp,
    contagion,
    publicPostRate,
    cannibalisation,
    spillover,
    spilloverVisibility,
    publicOpen,
    openIntercept,
    openTie,
    publicDm,
    groupDmIntercept,
    groupDmTie,
    publicReciprocal,
    reciprocalIntercept,
    reciprocalTie,
    muteIntercept,
    mutePerStory,
    muteTie,
    retentionUp,
    retentionDown,
    memoryDecay,
    novelty,
    noveltyDays,
    networkEffects,
  } = p;
  const { posterDays, groupPosts, publicPosts, impressions, opens, dms, reciprocated, mutes, activeDays, lastActive } = tally;
  for (const a of Object.values(tally)) a.fill(0);
  lastActive.fill(-1);
  const { offsets, members, userOffsets } = th;
  const good = new Float64Array(n);
  const bad = new Float64Array(n);
  const active = new Uint8Array(n);
  const postedTo = new Int32Array(n);
  const postedPublic = new Uint8Array(n);
  const seenToday = new Float64Array(n);
  const seenYesterday = new Float64Array(n);
  const muted = new Uint8Array(members.length);
  const seenIn = new Uint16Array(members.length);
  const threadPosts = new Uint16Array(th.count);
  const postedThreads = new Uint32Array(th.count);
  const baseLogit = new Float64Array(n);
  const baseP = new Float64Array(n);
  const gp = new Float64Array(n);
  const pp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    baseLogit[i] = activeIntercept + activeSlope * Math.log(act[i]!);
    baseP[i] = sigmoid(baseLogit[i]!);
    gp[i] = groupPostRate * act[i]! ** postActivityExp;
    pp[i] = Math.min(0.95, publicPostRate * act[i]! ** postActivityExp);
  }
  const pOpen = new Float64Array(th.count);
  const pDm = new Float64Array(th.count);
  const pReply = new Float64Array(th.count);
  for (let t = 0; t < th.count; t++) {
    pOpen[t] = sigmoid(openIntercept + openTie * tie[t]!);
    pDm[t] = sigmoid(groupDmIntercept + groupDmTie * tie[t]!);
    pReply[t] = sigmoid(reciprocalIntercept + reciprocalTie * tie[t]!);
  }
  const see = spillover ? spilloverVisibility : 0;

  for (let d = 0; d < H; d++) {
    const dk = STORY_KEYS.map((k) => dayKey(draw.keys[k], d));
    const [
      dActive = 0,
      dPost = 0,
      dWhich = 0,
      dPublic = 0,
      dCannibal = 0,
      dSee = 0,
      dOpen = 0,
      dDm = 0,
      dReply = 0,
      dMute = 0,
      dPubOpen = 0,
      dPubDm = 0,
      dPubReply = 0,
    ] = dk;
    const boost = 1 + novelty * Math.exp(-d / noveltyDays);
    let nPosted = 0;
    for (let i = 0; i < n; i++) {
      const u = u01(dActive, i);
      const gd = good[i]!;
      const bd = bad[i]!;
      const on = u < (gd === 0 && bd === 0 ? baseP[i]! : sigmoid(baseLogit[i]! + retentionUp * gd - retentionDown * bd));
      if (on) ((activeDays[i]! += 1), (lastActive[i] = d));
      // without network effects what others see of a user must not depend on the user's experiences
      const av = networkEffects ? on : u < baseP[i]!;
      active[i] = av ? 1 : 0;
      postedTo[i] = -1;
      postedPublic[i] = 0;
      seenYesterday[i] = Math.min(5, seenToday[i]!);
      seenToday[i] = 0;
      if (!av) continue;
      // the user picks one of their groups; the post happens if the feature is on there
      // (so the chance of posting to a group does not depend on the user's other groups)
      const k = userOffsets[i + 1]! - userOffsets[i]!;
      // contagion reads what others posted, so it is a network effect
      const lift = networkEffects ? 1 + contagion * seenYesterday[i]! : 1;
      if (k > 0 && u01(dPost, i) < gp[i]! * boost * lift) {
        const q = userOffsets[i]! + Math.floor(u01(dWhich, i) * k);
        if (has[userMem[q]!]) {
          const t = th.userThreads[q]!;
          postedTo[i] = t;
          if (threadPosts[t]!++ === 0) postedThreads[nPosted++] = t;
          groupPosts[i]! += 1;
        }
      }
      const wouldPost = u01(dPublic, i) < pp[i]!;
      const pub = wouldPost && !(postedTo[i]! >= 0 && u01(dCannibal, i) < cannibalisation);
      if (pub) publicPosts[i]! += 1;
      // what friends see; without network effects, the post the feature could not cannibalise
      postedPublic[i] = (networkEffects ? pub : wouldPost) ? 1 : 0;
      if (postedTo[i]! >= 0 || pub) {
        if (!on) ((activeDays[i]! += 1), (lastActive[i] = d)); // posted, so active whatever feedback said
        posterDays[i]! += 1;
        if (daily) daily[d * n + i] = 1;
      }
    }
    // group stories: members see the others' posts of the day
    for (let c = 0; c < nPosted; c++) {
      const t = postedThreads[c]!;
      for (let x = offsets[t]!; x < offsets[t + 1]!; x++) {
        const m = members[x]!;
        if (!active[m] || muted[x]) continue;
        const S = threadPosts[t]! - (postedTo[m] === t ? 1 : 0);
        const vis = has[x] ? 1 : see;
        if (S === 0 || vis === 0) continue;
        const seen = vis === 1 ? S : binomial(S, vis, u01(dSee, x));
        if (seen === 0) continue;
        const o = binomial(seen, pOpen[t]!, u01(dOpen, x));
        const dm = binomial(o, pDm[t]!, u01(dDm, x));
        const r = binomial(dm, pReply[t]!, u01(dReply, x));
        impressions[m]! += seen;
        opens[m]! += o;
        dms[m]! += dm;
        reciprocated[m]! += r;
        good[m]! += r;
        seenIn[x] = seen;
        seenToday[m]! += seen;
      }
    }
    // public stories: friends' public posts of the day
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      let imp = 0;
      for (let q = g.offsets[i]!; q < g.offsets[i + 1]!; q++) imp += postedPublic[g.nbrs[q]!]!;
      if (imp === 0) continue;
      const o = binomial(imp, publicOpen, u01(dPubOpen, i));
      const dm = binomial(o, publicDm, u01(dPubDm, i));
      const r = binomial(dm, publicReciprocal, u01(dPubReply, i));
      impressions[i]! += imp;
      opens[i]! += o;
      dms[i]! += dm;
      reciprocated[i]! += r;
      good[i]! += r;
    }
    // muting: fatigue from all group stories seen today, softened by tie strength
    for (let c = 0; c < nPosted; c++) {
      const t = postedThreads[c]!;
      threadPosts[t] = 0;
      for (let x = offsets[t]!; x < offsets[t + 1]!; x++) {
        if (seenIn[x] === 0) continue;
        const m = members[x]!;
        // without network effects fatigue counts only this group's stories, not other groups'
        const load = networkEffects ? seenToday[m]! : seenIn[x]!;
        seenIn[x] = 0;
        if (u01(dMute, x) < sigmoid(muteIntercept + mutePerStory * load - muteTie * tie[t]!)) {
          muted[x] = 1;
          mutes[m]! += 1;
          bad[m]! += 1;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const gd = good[i]! * memoryDecay;
      const bd = bad[i]! * memoryDecay;
      good[i] = gd < 1e-3 ? 0 : gd;
      bad[i] = bd < 1e-3 ? 0 : bd;
    }
  }
}
