// Group calls, day by day, on typed arrays. Per day: who is active (baseline
// plus remembered good and bad calls), at most one call per thread (the first
// start among members calling at rates rising with activity and tie
// strength; the feature adds a novelty boost), invitations in a
// random rotation of the members, joins up to the cap, drops, success, then
// 1:1 calls and messages thinned on call days (substitution). Cost per day is
// O(users), plus the members of the few threads whose start uniform is low
// enough for a call (found once per replication by callRates); randomness is hash(purpose key, unit,
// day). With adoption on, the novelty boost of a user's start rate runs from
// their own adoption day (adoption.ts). Nothing is allocated per world or per day: working arrays come from
// the model (CallsScratch), per-replication constants from the draw.
import type { CSR, Threads } from '../../graph/csr.js';
import type { GroupCallsParams } from './schema.js';
import type { Cohort } from './cohort.js';
import { belowSigmoid } from './sigmoid-bracket.js';
import { touchUser, type CallsDraw, type CallsScratch, type CallsSink, type CallTally } from './calls-data.js';
import { dayKey, logisticZ, sigmoid, stochasticRound, u01 } from '../../random/hash.js';
import { adoptDay, startAdoption, type Adoption } from './adoption.js';

export function simulateCalls(
  th: Threads,
  p: GroupCallsParams,
  draw: CallsDraw,
  has: Uint8Array,
  tally: CallTally,
  scratch: CallsScratch,
  cohort: Cohort,
  sink: CallsSink | null,
  armOfThread: ((t: number, starter: number) => number) | null,
  adoption: Adoption | null = null,
  /** the social graph: the friends rule of adoption counts adopting friends in it */
  graph: CSR | null = null,
): void {
  const { quality, tie } = draw.traits;
  const { startPow, baseLogit, baseP, tieF, legacyTieF, joinP, candidates, candidateDay } = draw.rates;
  const keys = draw.keys;
  const { calls: commCalls, messages: commMessages, baseOn } = draw.comms;
  const n = baseP.length;
  const H = p.horizon;
  // parameters and arrays in locals: the zod output object is slow to read in hot loops
  const {
    cap,
    connectFail,
    dropIntercept,
    dropPerParticipant,
    dropPoorConn,
    durationMedian,
    durationSd,
    durationTie,
    inactiveJoin,
    legacyStartRate,
    maxDropShare,
    memoryDecay,
    minDuration,
    networkEffects,
    novelty,
    noveltyDays,
    oneToOneMinutes: minutesPerCall,
    reportIntercept,
    reportLowTie,
    reportSize,
    retentionDown,
    retentionUp,
    spillover,
    startRate,
    substitution,
    successParticipants,
  } = p;
  const {
    successShare,
    successCalls,
    participated,
    participations,
    drops: dropCount,
    attempts,
    setupFails,
    connected,
    durationSum,
    groupMinutes,
    oneToOneMinutes,
    messages,
    reports,
    activeDays,
    lastActive,
  } = tally;
  const { offsets, members } = th;
  const { good, bad, avail, inCall, parts, dropped, touched } = scratch;
  successShare.fill(0);
  successCalls.fill(0);
  participated.fill(0);
  participations.fill(0);
  dropCount.fill(0);
  attempts.fill(0);
  setupFails.fill(0);
  connected.fill(0);
  durationSum.fill(0);
  groupMinutes.fill(0);
  oneToOneMinutes.fill(0);
  messages.fill(0);
  reports.fill(0);
  activeDays.fill(0);
  lastActive.fill(-1);
  good.fill(0);
  bad.fill(0);
  inCall.fill(0);
  touched.fill(0);
  cohort.reset();
  const keep = 1 - substitution;
  // adoption (opt-in): until a user adopts, they start calls through the older surface only
  const ap = p.adoption;
  // novelty by days since a user's adoption; contagion reads what others did, so it is a network effect
  const {
    adopted: ad,
    exposures,
    day: aday,
    novelty: nov,
    contagious,
  } = startAdoption(adoption, ap, th, has, novelty, noveltyDays, networkEffects);

  // Users a call has not touched yet live their baseline days (Comms): they
  // are available when baseOn says so, and their tallies are the baseline's.
  // A user a call touches on day d first gets their baseline days 0..d - 1
  // and the start of day d, in the order a world would add them, then joins
  // the touched users, whom each day's pass simulates (touchUser).
  for (let i = 0; i < n; i++) avail[i] = baseOn[i]!;
  const comms = draw.comms;

  for (let d = 0; d < H; d++) {
    const dStart = dayKey(keys.start, d);
    const dStarter = dayKey(keys.starter, d);
    const dOrder = dayKey(keys.order, d);
    const dConnect = dayKey(keys.connect, d);
    const dJoin = dayKey(keys.join, d);
    const dDrop = dayKey(keys.drop, d);
    const dDuration = dayKey(keys.duration, d);
    const dReport = dayKey(keys.report, d);
    const dSub = dayKey(keys.substitute, d);
    const featureRate = startRate * (1 + novelty * Math.exp(-d / noveltyDays));
    // who adopts at the start of day d, from the feature calls they joined on day d - 1
    if (adoption) adoptDay(adoption, ap!, contagious, draw.adoptKey, draw.lapseKey, d, graph);
    // only the thread-days the draw found could have a call (CallRates.candidates)
    for (let c = candidateDay[d]!; c < candidateDay[d + 1]!; c++) {
      const t = candidates[c]!;
      // this thread's start rates through the in-thread button and through the older surface
      const fr = featureRate * tieF[t]!;
      const lr = legacyStartRate * legacyTieF[t]!;
      // members start calls as Poisson processes; the day's call is the first
      // start, which happens with prob 1 - exp(-total rate) and is member j's
      // with prob rate_j / total (exponential race)
      const uStart = u01(dStart, t);
      const a = offsets[t]!;
      const k = offsets[t + 1]! - a;
      let total = 0;
      for (let x = a; x < a + k; x++) {
        const j = members[x]!;
        if (avail[j])
          total +=
            (has[x] && (ad === null || ad[j] === 1) ? (ad === null ? fr : startRate * nov![d - aday![j]!]! * tieF[t]!) : lr) * startPow[j]!;
      }
      if (!(total > 0) || uStart >= 1 - Math.exp(-total)) continue;
      let pick = u01(dStarter, t) * total;
      let best = a + k - 1;
      for (let x = a; x < a + k; x++) {
        const j = members[x]!;
        if (!avail[j]) continue;
        pick -=
          (has[x] && (ad === null || ad[j] === 1) ? (ad === null ? fr : startRate * nov![d - aday![j]!]! * tieF[t]!) : lr) * startPow[j]!;
        if (pick < 0) {
          best = x;
          break;
        }
      }
      while (!avail[members[best]!]) best--; // rounding left pick >= 0: take the last available member
      const s = members[best]!;
      const featureCall = has[best] === 1 && (ad === null || ad[s] === 1);
      attempts[s]! += 1;
      if (u01(dConnect, best) < connectFail * (1 - quality[s]!)) {
        setupFails[s]! += 1;
        if (!touched[s]) touchUser(s, d, H, minutesPerCall, comms, tally, touched);
        bad[s]! += 1;
        continue;
      }
      const pj = joinP[t]!;
      const r = Math.floor(u01(dOrder, t) * k);
      parts[0] = best;
      let P = 1;
      for (let c = 0; c < k; c++) {
        const x = a + ((r + c) % k); // every member once, from a random position
        if (x === best) continue;
        const m = members[x]!;
        if (featureCall && !has[x] && !spillover) continue;
        // the ring reaches members who have not opened the app today too, less often
        if (u01(dJoin, x) >= (avail[m] ? pj : pj * inactiveJoin)) continue;
        if (P >= cap) {
          if (!touched[m]) touchUser(m, d, H, minutesPerCall, comms, tally, touched);
          bad[m]! += 1; // turned away by the cap
        } else parts[P++] = x;
      }
      if (P < 2) {
        setupFails[s]! += 1;
        if (!touched[s]) touchUser(s, d, H, minutesPerCall, comms, tally, touched);
        bad[s]! += 1;
        continue;
      }
      const D = durationMedian * Math.exp(durationSd * logisticZ(u01(dDuration, t)) + durationTie * (tie[t]! - 0.5));
      let drops = 0;
      for (let q = 0; q < P; q++) {
        const m = members[parts[q]!]!;
        const pd = sigmoid(dropIntercept + dropPerParticipant * (P - 3) + dropPoorConn * (1 - quality[m]!));
        const u = u01(dDrop, parts[q]!);
        dropped[q] = u < pd ? u / pd : 1;
        if (u < pd) drops++;
      }
      const success = P >= successParticipants && D >= minDuration && drops <= maxDropShare * P;
      const pr = sigmoid(reportIntercept + reportSize * Math.log(P) + reportLowTie * (1 - tie[t]!));
      for (let q = 0; q < P; q++) {
        const x = parts[q]!;
        const m = members[x]!;
        const stayed = dropped[q]!;
        if (!touched[m]) touchUser(m, d, H, minutesPerCall, comms, tally, touched);
        participations[m]! += 1;
        participated[m] = 1;
        groupMinutes[m]! += D * stayed;
        inCall[m] = 1;
        if (stayed < 1) dropCount[m]! += 1;
        if (success) {
          successShare[m]! += 1 / P;
          successCalls[m]! += 1;
          cohort.mark(m, d);
          if (sink) sink.daily[d * n + m]! += 1 / P;
        }
        if (success && stayed === 1) good[m]! += 1;
        else bad[m]! += 1;
        if (u01(dReport, x) < pr) reports[m]! += 1;
        if (featureCall && exposures) exposures[m]! += 1;
      }
      connected[s]! += 1;
      durationSum[s]! += D;
      if (sink) (sink.durations.push(D), sink.treated.push(armOfThread!(t, s)), sink.participants.push(P));
    }
    // one pass over users (simulating the touched ones): the end of day d, then the start of day d + 1
    const next = d + 1 < H;
    const dActive = next ? dayKey(keys.active, d + 1) : 0;
    const nextRow = (d + 1) * n;
    for (let i = 0; i < n; i++) {
      if (!touched[i]) {
        if (next) avail[i] = baseOn[nextRow + i]!; // untouched: the baseline day
        continue;
      }
      if (inCall[i] === 1) {
        // a call makes its participants active that day (answering the ring opens the app)
        if (lastActive[i] !== d) ((activeDays[i]! += 1), (lastActive[i] = d));
        // thinning, not subtraction: a count can shrink but never go below 0
        const u = u01(dSub, i);
        oneToOneMinutes[i]! += stochasticRound(commCalls[i * H + d]! * keep, u) * minutesPerCall;
        messages[i]! += stochasticRound(commMessages[i * H + d]! * keep, 1 - u);
      } else if (lastActive[i] === d) {
        oneToOneMinutes[i]! += commCalls[i * H + d]! * minutesPerCall;
        messages[i]! += commMessages[i * H + d]!;
      }
      // forget faded memories exactly, so most users stay on the fast path below
      let g = good[i]!;
      let b = bad[i]!;
      if (g !== 0 || b !== 0) {
        g *= memoryDecay;
        b *= memoryDecay;
        g = g < 1e-3 ? 0 : g;
        b = b < 1e-3 ? 0 : b;
        good[i] = g;
        bad[i] = b;
      }
      inCall[i] = 0;
      if (!next) continue;
      const u = u01(dActive, i);
      const on = g === 0 && b === 0 ? u < baseP[i]! : belowSigmoid(u, baseLogit[i]! + retentionUp * g - retentionDown * b);
      if (on) ((activeDays[i]! += 1), (lastActive[i] = d + 1));
      // without network effects others' availability must not depend on their experiences
      avail[i] = networkEffects ? (on ? 1 : 0) : u < baseP[i]! ? 1 : 0;
    }
  }
  // the users no call touched: the baseline's tallies
  const { baseActiveDays, baseLastActive, baseMinutes, baseMessages } = draw.comms;
  for (let i = 0; i < n; i++) {
    if (touched[i]) continue;
    activeDays[i] = baseActiveDays[i]!;
    lastActive[i] = baseLastActive[i]!;
    oneToOneMinutes[i] = baseMinutes[i]!;
    messages[i] = baseMessages[i]!;
  }
}
