// Group calls, day by day, on typed arrays. Per day: who is active (baseline
// plus remembered good and bad calls), at most one call per thread (the first
// start among members calling at rates rising with activity and tie
// strength; the feature adds a novelty boost), invitations in a
// random rotation of the members, joins up to the cap, drops, success, then
// 1:1 calls and messages thinned on call days (substitution). Cost per day is
// O(users + memberships); randomness is hash(purpose key, unit, day).
import type { Threads } from '../../graph/csr.js';
import type { GroupCallsParams } from './schema.js';
import type { Cohort } from './cohort.js';
import { CALL_KEYS, type CallsDraw, type CallsSink, type CallTally } from './calls-data.js';
import { dayKey, logisticZ, sigmoid, stochasticRound, u01 } from '../../random/hash.js';

export function simulateCalls(
  th: Threads,
  p: GroupCallsParams,
  draw: CallsDraw,
  has: Uint8Array,
  tally: CallTally,
  cohort: Cohort,
  sink: CallsSink | null,
  armOfThread: (t: number, starter: number) => number,
): void {
  const { activity: act, quality, tie } = draw.traits;
  const n = act.length;
  const H = p.horizon;
  // parameters and arrays in locals: the zod output object is slow to read in hot loops
  const {
    activeIntercept,
    activeSlope,
    cap,
    connectFail,
    dropIntercept,
    dropPerParticipant,
    dropPoorConn,
    durationMedian,
    durationSd,
    durationTie,
    inactiveJoin,
    joinIntercept,
    joinTie,
    legacyStartRate,
    legacyStartTie,
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
    startActivityExp,
    startRate,
    startTie,
    substitution,
    successParticipants,
  } = p;
  const {
    successShare,
    successCalls,
    participated,
    participations,
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
  for (const a of Object.values(tally)) a.fill(0);
  lastActive.fill(-1);
  cohort.reset();
  const good = new Float64Array(n);
  const bad = new Float64Array(n);
  const avail = new Uint8Array(n);
  const inCall = new Uint8Array(n);
  const parts = new Uint32Array(cap);
  const dropped = new Float64Array(cap); // share of the call a participant stayed (1 = no drop)
  // per-user and per-thread constants, computed once rather than per day
  const startPow = new Float64Array(n);
  const baseLogit = new Float64Array(n);
  const baseP = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    startPow[i] = act[i]! ** startActivityExp;
    baseLogit[i] = activeIntercept + activeSlope * Math.log(act[i]!);
    baseP[i] = sigmoid(baseLogit[i]!);
  }
  const tieF = new Float64Array(th.count);
  const legacyTieF = new Float64Array(th.count);
  const joinP = new Float64Array(th.count);
  for (let t = 0; t < th.count; t++) {
    tieF[t] = Math.exp(startTie * (tie[t]! - 0.5));
    legacyTieF[t] = Math.exp(legacyStartTie * (tie[t]! - 0.5));
    joinP[t] = sigmoid(joinIntercept + joinTie * tie[t]!);
  }

  for (let d = 0; d < H; d++) {
    const dk = CALL_KEYS.map((k) => draw.keys[k]).map((k) => dayKey(k, d));
    const [dActive = 0, dStart = 0, dStarter = 0, dOrder = 0, dConnect = 0, dJoin = 0, dDrop = 0, dDuration = 0, dReport = 0, dSub = 0] =
      dk;
    const featureRate = startRate * (1 + novelty * Math.exp(-d / noveltyDays));
    for (let i = 0; i < n; i++) {
      const u = u01(dActive, i);
      const g = good[i]!;
      const b = bad[i]!;
      const pOn = g === 0 && b === 0 ? baseP[i]! : sigmoid(baseLogit[i]! + retentionUp * g - retentionDown * b);
      const on = u < pOn;
      if (on) ((activeDays[i]! += 1), (lastActive[i] = d));
      // without network effects others' availability must not depend on their experiences
      avail[i] = networkEffects ? (on ? 1 : 0) : u < baseP[i]! ? 1 : 0;
      inCall[i] = 0;
    }
    for (let t = 0; t < th.count; t++) {
      const a = offsets[t]!;
      const k = offsets[t + 1]! - a;
      // this thread's start rates through the in-thread button and through the older surface
      const fr = featureRate * tieF[t]!;
      const lr = legacyStartRate * legacyTieF[t]!;
      // members start calls as Poisson processes; the day's call is the first
      // start, which happens with prob 1 - exp(-total rate) and is member j's
      // with prob rate_j / total (exponential race)
      let total = 0;
      for (let x = a; x < a + k; x++) {
        const j = members[x]!;
        if (avail[j]) total += (has[x] ? fr : lr) * startPow[j]!;
      }
      if (!(total > 0) || u01(dStart, t) >= 1 - Math.exp(-total)) continue;
      let pick = u01(dStarter, t) * total;
      let best = a + k - 1;
      for (let x = a; x < a + k; x++) {
        const j = members[x]!;
        if (!avail[j]) continue;
        pick -= (has[x] ? fr : lr) * startPow[j]!;
        if (pick < 0) {
          best = x;
          break;
        }
      }
      while (!avail[members[best]!]) best--; // rounding left pick >= 0: take the last available member
      const s = members[best]!;
      const featureCall = has[best] === 1;
      attempts[s]! += 1;
      if (u01(dConnect, best) < connectFail * (1 - quality[s]!)) {
        setupFails[s]! += 1;
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
        if (P >= cap)
          bad[m]! += 1; // turned away by the cap
        else parts[P++] = x;
      }
      if (P < 2) {
        setupFails[s]! += 1;
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
        participations[m]! += 1;
        participated[m] = 1;
        groupMinutes[m]! += D * stayed;
        inCall[m] = 1;
        if (stayed < 1) tally.drops[m]! += 1;
        if (success) {
          successShare[m]! += 1 / P;
          successCalls[m]! += 1;
          cohort.mark(m, d);
          if (sink) sink.daily[d * n + m]! += 1 / P;
        }
        if (success && stayed === 1) good[m]! += 1;
        else bad[m]! += 1;
        if (u01(dReport, x) < pr) reports[m]! += 1;
      }
      connected[s]! += 1;
      durationSum[s]! += D;
      if (sink) (sink.durations.push(D), sink.treated.push(armOfThread(t, s)), sink.participants.push(P));
    }
    const keep = 1 - substitution;
    for (let i = 0; i < n; i++) {
      // a call makes its participants active that day (answering the ring opens the app)
      if (inCall[i] && lastActive[i] !== d) ((activeDays[i]! += 1), (lastActive[i] = d));
      if (lastActive[i] === d) {
        let calls = draw.comms.calls[d * n + i]!;
        let msgs = draw.comms.messages[d * n + i]!;
        if (inCall[i]) {
          // thinning, not subtraction: a count can shrink but never go below 0
          const u = u01(dSub, i);
          calls = stochasticRound(calls * keep, u);
          msgs = stochasticRound(msgs * keep, 1 - u);
        }
        oneToOneMinutes[i]! += calls * minutesPerCall;
        messages[i]! += msgs;
      }
      // forget faded memories exactly, so most users stay on the fast path above
      const g = good[i]! * memoryDecay;
      const b = bad[i]! * memoryDecay;
      good[i] = g < 1e-3 ? 0 : g;
      bad[i] = b < 1e-3 ? 0 : b;
    }
  }
}
