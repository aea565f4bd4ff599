// Group stories, day by day, on typed arrays. Per day: who is active; who
// posts a group story (to one of the groups where they have the feature; more
// after seeing group stories the day before) and who posts a public story
// (a share of the public stories a user with the feature in the group they
// picked would post go to that group instead: cannibalisation); members see, open and reply to group
// stories (members without the feature see them less, if at all), friends see
// public stories; viewers who saw many group stories that day mute some
// groups, less so close ones. Cost per day: O(users + members of groups with
// a post + friends of public posters); randomness is hash(purpose key, unit,
// day). With adoption on, the novelty boost of a user's posting runs from
// their own adoption day (adoption.ts). Nothing is allocated per world or per day: working arrays come from
// the model (StoriesScratch), per-replication constants from the draw.
import type { CSR, Threads } from '../../graph/csr.js';
import type { GroupStoriesParams } from './schema.js';
import { binomial, dayKey, u01 } from '../../random/hash.js';
import { belowSigmoid } from './sigmoid-bracket.js';
import type { StoriesDraw, StoriesScratch, StoryTally } from './stories-data.js';
import { adoptStep, flushFriends, startAdoption, type Adoption } from './adoption.js';

export function simulateStories(
  g: CSR,
  th: Threads,
  userMem: Uint32Array,
  p: GroupStoriesParams,
  draw: StoriesDraw,
  has: Uint8Array,
  tally: StoryTally,
  scratch: StoriesScratch,
  daily: Float32Array | null,
  adoption: Adoption | null = null,
): void {
  const { tie } = draw.traits;
  const { baseLogit, baseP, gp, pp, pOpen, pDm, pReply } = draw.rates;
  const keys = draw.keys;
  const n = baseP.length;
  const H = p.horizon;
  // parameters in locals: the zod output object is slow to read in hot loops
  const {
    contagion,
    cannibalisation,
    spillover,
    spilloverVisibility,
    publicOpen,
    publicDm,
    publicReciprocal,
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
  posterDays.fill(0);
  groupPosts.fill(0);
  publicPosts.fill(0);
  impressions.fill(0);
  opens.fill(0);
  dms.fill(0);
  reciprocated.fill(0);
  mutes.fill(0);
  activeDays.fill(0);
  lastActive.fill(-1);
  const { offsets, members, userOffsets, userThreads } = th;
  const { good, bad, active, postedTo, seenToday, seenYesterday, muted, seenIn, threadPosts, postedThreads, publicPosters, friendPosts } =
    scratch;
  good.fill(0);
  bad.fill(0);
  seenToday.fill(0);
  muted.fill(0);
  seenIn.fill(0);
  threadPosts.fill(0);
  friendPosts.fill(0);
  const see = spillover ? spilloverVisibility : 0;
  // adoption (opt-in): until a user adopts, they post no group story (public ones as before)
  const ap = p.adoption;
  // novelty by days since a user's adoption; contagion reads what others did, so it is a network effect
  const {
    adopted: ad,
    exposures,
    day: aday,
    novelty: nov,
    contagious,
  } = startAdoption(adoption, ap, th, has, novelty, noveltyDays, networkEffects);
  let nPosted = 0;
  let nPublic = 0;

  // day -1 only starts day 0; day d ends in the pass over users that starts day d + 1
  for (let d = -1; d < H; d++) {
    const dSee = dayKey(keys.see, d);
    const dOpen = dayKey(keys.open, d);
    const dDm = dayKey(keys.dm, d);
    const dReply = dayKey(keys.reply, d);
    const dMute = dayKey(keys.mute, d);
    const dPubOpen = dayKey(keys.pubOpen, d);
    const dPubDm = dayKey(keys.pubDm, d);
    const dPubReply = dayKey(keys.pubReply, d);
    // public stories reach the posters' friends: count them per viewer (a
    // viewer's count is the number of friends who posted, as reading the
    // viewer's own friend list would give: the graph is undirected)
    for (let c = 0; c < nPublic; c++) {
      const j = publicPosters[c]!;
      for (let q = g.offsets[j]!; q < g.offsets[j + 1]!; q++) friendPosts[g.nbrs[q]!]! += 1;
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
        if (exposures) exposures[m]! += seen;
      }
    }
    // muting: fatigue from all group stories seen today, softened by tie strength
    // (touches bad, mutes and muted only: independent of the public stories below)
    for (let c = 0; c < nPosted; c++) {
      const t = postedThreads[c]!;
      threadPosts[t] = 0;
      for (let x = offsets[t]!; x < offsets[t + 1]!; x++) {
        if (seenIn[x] === 0) continue;
        const m = members[x]!;
        // without network effects fatigue counts only this group's stories, not other groups'
        const load = networkEffects ? seenToday[m]! : seenIn[x]!;
        seenIn[x] = 0;
        if (belowSigmoid(u01(dMute, x), muteIntercept + mutePerStory * load - muteTie * tie[t]!)) {
          muted[x] = 1;
          mutes[m]! += 1;
          bad[m]! += 1;
        }
      }
    }
    nPosted = 0;
    nPublic = 0;
    // one pass over users: public stories seen today, memories fading, then the start of day e = d + 1
    const today = d >= 0;
    const e = d + 1;
    const next = e < H;
    const dActive = next ? dayKey(keys.active, e) : 0;
    const dPost = next ? dayKey(keys.post, e) : 0;
    const dWhich = next ? dayKey(keys.which, e) : 0;
    const dPublic = next ? dayKey(keys.public, e) : 0;
    const dCannibal = next ? dayKey(keys.cannibal, e) : 0;
    const boost = 1 + novelty * Math.exp(-e / noveltyDays);
    const dAdopt = next && adoption ? dayKey(draw.adoptKey, e) : 0;
    const dLapse = next && adoption ? dayKey(draw.lapseKey, e) : 0;
    for (let i = 0; i < n; i++) {
      if (today) {
        const imp = friendPosts[i]!;
        if (imp !== 0) {
          friendPosts[i] = 0;
          if (active[i]) {
            const o = binomial(imp, publicOpen, u01(dPubOpen, i));
            const dm = binomial(o, publicDm, u01(dPubDm, i));
            const r = binomial(dm, publicReciprocal, u01(dPubReply, i));
            impressions[i]! += imp;
            opens[i]! += o;
            dms[i]! += dm;
            reciprocated[i]! += r;
            good[i]! += r;
          }
        }
        const gd = good[i]!;
        const bd = bad[i]!;
        if (gd !== 0 || bd !== 0) {
          const gn = gd * memoryDecay;
          const bn = bd * memoryDecay;
          good[i] = gn < 1e-3 ? 0 : gn;
          bad[i] = bn < 1e-3 ? 0 : bn;
        }
      }
      if (!next) continue;
      // who adopts at the start of day e, from the group stories they saw on day d
      if (adoption) adoptStep(adoption, ap!, contagious, dAdopt, dLapse, e, i);
      const u = u01(dActive, i);
      const gd = good[i]!;
      const bd = bad[i]!;
      const act = gd === 0 && bd === 0 ? u < baseP[i]! : belowSigmoid(u, baseLogit[i]! + retentionUp * gd - retentionDown * bd);
      if (act) ((activeDays[i]! += 1), (lastActive[i] = e));
      // without network effects what others see of a user must not depend on the user's experiences
      const av = networkEffects ? act : u < baseP[i]!;
      active[i] = av ? 1 : 0;
      postedTo[i] = -1;
      seenYesterday[i] = Math.min(5, seenToday[i]!);
      seenToday[i] = 0;
      if (!av) continue;
      // the user picks one of their groups; the post happens if the feature is on there
      // (so the chance of posting to a group does not depend on the user's other groups)
      const k = userOffsets[i + 1]! - userOffsets[i]!;
      const q = k > 0 ? userOffsets[i]! + Math.floor(u01(dWhich, i) * k) : -1;
      const feat = q >= 0 && has[userMem[q]!] === 1 && (ad === null || ad[i] === 1);
      // contagion reads what others posted, so it is a network effect
      const lift = networkEffects ? 1 + contagion * seenYesterday[i]! : 1;
      const wouldPost = u01(dPublic, i) < pp[i]!;
      // cannibalisation: a share of the public stories a user with the feature would post go to the group instead
      const moved = feat && wouldPost && u01(dCannibal, i) < cannibalisation;
      if (feat && (moved || u01(dPost, i) < gp[i]! * (ad === null ? boost : nov![e - aday![i]!]!) * lift)) {
        const t = userThreads[q]!;
        postedTo[i] = t;
        if (threadPosts[t]!++ === 0) postedThreads[nPosted++] = t;
        groupPosts[i]! += 1;
      }
      const pub = wouldPost && !moved;
      if (pub) publicPosts[i]! += 1;
      // what friends see; without network effects, the post the feature could not cannibalise
      if (networkEffects ? pub : wouldPost) publicPosters[nPublic++] = i;
      if (postedTo[i]! >= 0 || pub) {
        if (!act) ((activeDays[i]! += 1), (lastActive[i] = e)); // posted, so active whatever feedback said
        posterDays[i]! += 1;
        if (daily) daily[e * n + i] = 1;
      }
    }
    // the friends rule: the counts of adopting friends for day e + 1
    if (adoption && adoption.nChanged > 0) flushFriends(adoption, g);
  }
}
