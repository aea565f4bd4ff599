// Group stories (issue 4): invite-only groups share one story visible only
// to their members. Posting metrics belong to the poster, viewing metrics
// (opens, DMs, replies, mutes) to the viewer, so a control user who sees a
// treated friend's group story carries that spillover in their own row.
import type { SocialGraph } from '../../graph/csr.js';
import { UserError } from '../../errors.js';
import { meanMetric, outcomeBuffers, ratioMetric, type ModelContext, type World } from '../model.js';
import type { GroupStoriesParams } from './schema.js';
import { keyFrom } from './hash.js';
import { featureByMembership, personalWorlds, type MetricInfo, type ProductModel } from './product.js';
import { makeStoryTally, STORY_KEYS, userMemberships, type StoriesDraw, type StoryKeys } from './stories-data.js';
import { simulateStories } from './stories-sim.js';
import { drawTraits, friendPairShare, userGroupCovariates } from './traits.js';

const I = (role: MetricInfo['role'], better: 1 | -1, label: string): MetricInfo => ({ role, better, label });

export const STORY_METRICS = [
  [meanMetric('story_posters'), I('primary', 1, 'share of user-days posting any story')],
  [meanMetric('group_story_posts'), I('secondary', 1, 'group story posts per user-day')],
  [meanMetric('public_story_posts'), I('secondary', 1, 'public story posts per user-day')],
  [ratioMetric('story_open_rate'), I('secondary', 1, 'opens per story impression')],
  [ratioMetric('dms_per_story_view'), I('secondary', 1, 'DMs per opened story')],
  [ratioMetric('reciprocal_interaction_rate'), I('secondary', 1, 'story DMs answered')],
  [ratioMetric('group_mute_rate'), I('guardrail', -1, 'share of group memberships muted')],
  [meanMetric('retention_7d'), I('guardrail', 1, 'active in the last 7 days of the horizon')],
  [meanMetric('daily_active_users'), I('guardrail', 1, 'share of user-days active')],
] as const;

export function groupStories(ctx: ModelContext, p: GroupStoriesParams): ProductModel<StoriesDraw> {
  const graph: SocialGraph = ctx.graph;
  const th = graph.threads;
  if (!th) throw new UserError('model "group-stories" needs group threads; add a "threads" section to the scenario', 'ESCENARIO');
  const n = graph.csr.n;
  const H = p.horizon;
  const share = friendPairShare(graph.csr, th);
  const userMem = userMemberships(th);
  const has = new Uint8Array(th.members.length);
  const tally = makeStoryTally(n);
  let tmp: ReturnType<typeof outcomeBuffers> | null = null;

  function run(draw: StoriesDraw, world: World, num: Float64Array[], den: Float64Array[], daily: Float32Array | null): void {
    featureByMembership(world, th!.offsets, th!.members, has);
    simulateStories(graph.csr, th!, userMem, p, draw, has, tally, daily);
    const t = tally;
    const [posters, gposts, pposts, open, dmv, recip, mute, ret, dau] = num as [Float64Array, ...Float64Array[]];
    for (let i = 0; i < n; i++) {
      posters[i] = t.posterDays[i]! / H;
      gposts![i] = t.groupPosts[i]! / H;
      pposts![i] = t.publicPosts[i]! / H;
      open![i] = t.opens[i]!;
      den[3]![i] = t.impressions[i]!;
      dmv![i] = t.dms[i]!;
      den[4]![i] = t.opens[i]!;
      recip![i] = t.reciprocated[i]!;
      den[5]![i] = t.dms[i]!;
      mute![i] = t.mutes[i]!;
      den[6]![i] = th!.userOffsets[i + 1]! - th!.userOffsets[i]!;
      ret![i] = t.lastActive[i]! >= H - 7 ? 1 : 0;
      dau![i] = t.activeDays[i]! / H;
    }
  }

  return {
    type: 'group-stories',
    metrics: STORY_METRICS.map((m) => m[0]),
    info: STORY_METRICS.map((m) => m[1]),
    horizon: H,
    draw(rng) {
      const traits = drawTraits(graph, share, p, rng);
      const keys = Object.fromEntries(STORY_KEYS.map((k) => [k, keyFrom(rng(`stories/${k}`))])) as StoryKeys;
      return { traits, keys };
    },
    outcomes(draw, world, num, den) {
      if (p.networkEffects || world.threadOn) return run(draw, world, num, den, null);
      tmp ??= outcomeBuffers(this, n);
      personalWorlds(n, world, num, den, tmp, (w, a, b) => run(draw, w, a, b, null));
    },
    readout(draw, world, num, den) {
      const daily = new Float32Array(H * n);
      run(draw, world, num, den, daily);
      const { meanTie, maxSize } = userGroupCovariates(th, draw.traits.tie);
      return { horizon: H, daily, covariates: { activity: draw.traits.activity, lowConn: draw.traits.lowConn, meanTie, maxSize } };
    },
  };
}
