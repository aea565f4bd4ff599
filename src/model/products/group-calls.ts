// Group video calls from group threads (issue 4). Metrics are per user, so
// every design and estimator can use them: a successful call counts 1/P for
// each of its P participants (summing to calls), quality ratios are per
// participation or per attempt, communication is per user per day.
import { meanMetric, ratioMetric } from '../model.js';
import { groupCallsSchema, type GroupCallsParams } from './schema.js';
import type { ModelKind } from '../schema.js';
import {
  CALL_KEYS,
  callRates,
  drawComms,
  makeCallsScratch,
  makeTally,
  type CallsDraw,
  type CallsSink,
  type CallTally,
} from './calls-data.js';
import { simulateCalls } from './calls-sim.js';
import { Cohort } from './cohort.js';
import type { MetricInfo } from './product.js';
import { defineProductModel, type ProductContext, type ProductParts } from './define.js';
import { makeAdoption } from './adoption.js';

const I = (role: MetricInfo['role'], better: 1 | -1, label: string): MetricInfo => ({ role, better, label });

export const CALL_METRICS = [
  [meanMetric('successful_group_calls_per_1k_users', 1000), I('primary', 1, 'successful group calls per 1k users')],
  [meanMetric('group_call_participation'), I('secondary', 1, 'share of users in a connected group call')],
  [ratioMetric('d7_group_call_retention'), I('secondary', 1, 'D7 group-call retention')],
  [ratioMetric('drop_rate'), I('guardrail', -1, 'drops per participation')],
  [ratioMetric('call_setup_failure_rate'), I('guardrail', -1, 'call attempts that never connected')],
  [ratioMetric('mean_call_minutes'), I('secondary', 1, 'minutes per connected call')],
  [ratioMetric('participants_per_successful_call'), I('secondary', 1, 'participants per successful call')],
  [meanMetric('one_to_one_call_minutes'), I('secondary', 1, '1:1 call minutes per user-day')],
  [meanMetric('messages'), I('secondary', 1, 'messages per user-day')],
  [meanMetric('total_communication_minutes'), I('guardrail', 1, 'communication minutes per user-day (net value)')],
  [ratioMetric('reports_per_1k_participations', 1000), I('guardrail', -1, 'reports and blocks per 1k call participations')],
  [meanMetric('daily_active_users'), I('guardrail', 1, 'share of user-days active')],
  [meanMetric('d28_app_retention'), I('guardrail', 1, 'active in the last 7 days of the horizon')],
] as const;

export const groupCalls = defineProductModel({
  type: 'group-calls',
  keyPrefix: 'calls',
  keys: CALL_KEYS,
  metrics: CALL_METRICS,
  parts({ graph, threads: th, n, p }: ProductContext<GroupCallsParams>): ProductParts<(typeof CALL_KEYS)[number], CallsDraw, CallsSink> {
    const H = p.horizon;
    const tally = makeTally(n);
    const scratch = makeCallsScratch(n, p.cap);
    const cohort = new Cohort(n);
    const adoption = p.adoption ? makeAdoption(n, H) : null;

    function write(t: CallTally, num: Float64Array[], den: Float64Array[]): void {
      const [succ, part, d7, drop, fail, mins, ppc, one, msg, total, rep, dau, d28] = num as [Float64Array, ...Float64Array[]];
      for (let i = 0; i < n; i++) {
        succ[i] = t.successShare[i]!;
        part![i] = t.participated[i]!;
        d7![i] = cohort.isRetained(i, H);
        den[2]![i] = cohort.inCohort(i, H);
        drop![i] = t.drops[i]!;
        den[3]![i] = t.participations[i]!;
        fail![i] = t.setupFails[i]!;
        den[4]![i] = t.attempts[i]!;
        mins![i] = t.durationSum[i]!;
        den[5]![i] = t.connected[i]!;
        ppc![i] = t.successCalls[i]!;
        den[6]![i] = t.successShare[i]!;
        one![i] = t.oneToOneMinutes[i]! / H;
        msg![i] = t.messages[i]! / H;
        total![i] = (t.groupMinutes[i]! + t.oneToOneMinutes[i]! + p.minutesPerMessage * t.messages[i]!) / H;
        rep![i] = t.reports[i]!;
        den[10]![i] = t.participations[i]!;
        dau![i] = t.activeDays[i]! / H;
        d28![i] = t.lastActive[i]! >= H - 7 ? 1 : 0;
      }
    }

    return {
      draw: (base, key) => {
        const rates = callRates(th, base.traits, p, base.keys.start);
        const comms = drawComms(base.traits.activity, p, key('oneToOne'), key('message'), base.keys.active, rates.baseP);
        // the adoption key's stream is its own: drawing it changes no other number
        return { ...base, comms, rates, adoptKey: p.adoption ? key('adopt') : 0, lapseKey: p.adoption?.lapse ? key('lapse') : 0 };
      },
      sink: (daily) => ({ daily, durations: [], treated: [], participants: [] }),
      simulate(draw, world, has, num, den, sink) {
        // the arm of each call is recorded only for the readout
        const arm = sink ? (t: number, s: number) => (world.threadOn ? world.threadOn[t]! : world.dose[s] === 1 ? 1 : 0) : null;
        simulateCalls(th, p, draw, has, tally, scratch, cohort, sink, arm, adoption, graph.csr);
        write(tally, num, den);
      },
      extras: (sink) => ({
        events: { name: 'call_minutes (median)', value: Float64Array.from(sink.durations), treated: Uint8Array.from(sink.treated) },
        participants: Uint16Array.from(sink.participants),
        ...(adoption ? { adoption: { day: Int16Array.from(adoption.day), lapsed: Int16Array.from(adoption.lapsed) } } : {}),
      }),
    };
  },
});

export const groupCallsKind: ModelKind<typeof groupCallsSchema> = {
  type: 'group-calls',
  schema: groupCallsSchema,
  product: true,
  create: groupCalls,
};
