// Group video calls from group threads (issue 4). Metrics are per user, so
// every design and estimator can use them: a successful call counts 1/P for
// each of its P participants (summing to calls), quality ratios are per
// participation or per attempt, communication is per user per day.
import type { SocialGraph } from '../../graph/csr.js';
import { UserError } from '../../errors.js';
import { meanMetric, outcomeBuffers, ratioMetric, type ModelContext, type World } from '../model.js';
import type { GroupCallsParams } from './schema.js';
import { CALL_KEYS, drawComms, makeTally, type CallKeys, type CallsDraw, type CallsSink, type CallTally } from './calls-data.js';
import { simulateCalls } from './calls-sim.js';
import { Cohort } from './cohort.js';
import { keyFrom } from './hash.js';
import { featureByMembership, personalWorlds, type MetricInfo, type ProductModel } from './product.js';
import { drawTraits, friendPairShare, userGroupCovariates } from './traits.js';

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

export function groupCalls(ctx: ModelContext, p: GroupCallsParams): ProductModel<CallsDraw> {
  const graph: SocialGraph = ctx.graph;
  const th = graph.threads;
  if (!th) throw new UserError('model "group-calls" needs group threads; add a "threads" section to the scenario', 'ESCENARIO');
  const n = graph.csr.n;
  const H = p.horizon;
  const share = friendPairShare(graph.csr, th);
  const has = new Uint8Array(th.members.length);
  const tally = makeTally(n);
  const cohort = new Cohort(n);
  const metrics = CALL_METRICS.map((m) => m[0]);
  let tmp: ReturnType<typeof outcomeBuffers> | null = null;

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

  function run(draw: CallsDraw, world: World, num: Float64Array[], den: Float64Array[], sink: CallsSink | null): void {
    featureByMembership(world, th!.offsets, th!.members, has);
    const arm = (t: number, s: number) => (world.threadOn ? world.threadOn[t]! : world.dose[s] === 1 ? 1 : 0);
    simulateCalls(th!, p, draw, has, tally, cohort, sink, arm);
    write(tally, num, den);
  }

  return {
    type: 'group-calls',
    metrics,
    info: CALL_METRICS.map((m) => m[1]),
    horizon: H,
    draw(rng) {
      const traits = drawTraits(graph, share, p, rng);
      const keys = Object.fromEntries(CALL_KEYS.map((k) => [k, keyFrom(rng(`calls/${k}`))])) as CallKeys;
      const comms = drawComms(traits.activity, p, keyFrom(rng('calls/oneToOne')), keyFrom(rng('calls/message')));
      return { traits, keys, comms };
    },
    outcomes(draw, world, num, den) {
      if (p.networkEffects || world.threadOn) return run(draw, world, num, den, null);
      tmp ??= outcomeBuffers(this, n);
      personalWorlds(n, world, num, den, tmp, (w, a, b) => run(draw, w, a, b, null));
    },
    readout(draw, world, num, den) {
      const sink: CallsSink = { daily: new Float32Array(H * n), durations: [], treated: [], participants: [] };
      run(draw, world, num, den, sink);
      const { meanTie, maxSize } = userGroupCovariates(th, draw.traits.tie);
      return {
        horizon: H,
        daily: sink.daily,
        covariates: { activity: draw.traits.activity, lowConn: draw.traits.lowConn, meanTie, maxSize },
        events: { name: 'call_minutes (median)', value: Float64Array.from(sink.durations), treated: Uint8Array.from(sink.treated) },
        participants: Uint16Array.from(sink.participants),
      };
    },
  };
}
