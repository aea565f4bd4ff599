// Group stories (issue 4): invite-only groups share one story visible only
// to their members. Posting metrics belong to the poster, viewing metrics
// (opens, DMs, replies, mutes) to the viewer, so a control user who sees a
// treated friend's group story carries that spillover in their own row.
import { meanMetric, ratioMetric } from '../model.js';
import { groupStoriesSchema, type GroupStoriesParams } from './schema.js';
import type { ModelKind } from '../schema.js';
import type { MetricInfo } from './product.js';
import { defineProductModel, type ProductContext, type ProductParts } from './define.js';
import { makeStoriesScratch, makeStoryTally, STORY_KEYS, storyRates, userMemberships, type StoriesDraw } from './stories-data.js';
import { simulateStories } from './stories-sim.js';

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

export const groupStories = defineProductModel({
  type: 'group-stories',
  keyPrefix: 'stories',
  keys: STORY_KEYS,
  metrics: STORY_METRICS,
  parts({
    graph,
    threads: th,
    n,
    p,
  }: ProductContext<GroupStoriesParams>): ProductParts<(typeof STORY_KEYS)[number], StoriesDraw, Float32Array> {
    const H = p.horizon;
    const userMem = userMemberships(th);
    const tally = makeStoryTally(n);
    const scratch = makeStoriesScratch(n, th);
    return {
      draw: (base) => ({ ...base, rates: storyRates(th, base.traits, p) }),
      sink: (daily) => daily,
      simulate(draw, _world, has, num, den, daily) {
        simulateStories(graph.csr, th, userMem, p, draw, has, tally, scratch, daily);
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
          den[6]![i] = th.userOffsets[i + 1]! - th.userOffsets[i]!;
          ret![i] = t.lastActive[i]! >= H - 7 ? 1 : 0;
          dau![i] = t.activeDays[i]! / H;
        }
      },
    };
  },
});

export const groupStoriesKind: ModelKind<typeof groupStoriesSchema> = {
  type: 'group-stories',
  schema: groupStoriesSchema,
  product: true,
  create: groupStories,
};
