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
import { makeAdoption } from './adoption.js';

const I = (role: MetricInfo['role'], better: 1 | -1, label: string): MetricInfo => ({ role, better, label });

// Defined as the case defines them: per user over the experiment (posted at
// least once, muted at least one group, posts over the horizon), except the
// daily activity metrics, which are per user-day.
export const STORY_METRICS = [
  [meanMetric('story_posters'), I('primary', 1, 'share of users who posted a story (group or public) during the experiment')],
  [meanMetric('story_post_days'), I('secondary', 1, 'share of user-days with a story post')],
  [meanMetric('group_story_posts'), I('secondary', 1, 'group stories posted per user over the experiment')],
  [meanMetric('public_story_posts'), I('secondary', 1, 'public stories posted per user over the experiment')],
  [ratioMetric('story_open_rate'), I('secondary', 1, 'opens per story impression')],
  [ratioMetric('dms_per_story_view'), I('secondary', 1, 'DMs per opened story')],
  [ratioMetric('reciprocal_interaction_rate'), I('secondary', 1, 'story DMs answered')],
  [meanMetric('group_mute_rate'), I('guardrail', -1, 'share of users who muted a group during the experiment')],
  [meanMetric('retention_7d'), I('guardrail', 1, 'active in the last 7 days of the experiment')],
  [meanMetric('daily_active_users'), I('guardrail', 1, 'share of user-days active')],
] as const;

export const groupStories = defineProductModel({
  type: 'group-stories',
  keyPrefix: 'stories',
  keys: STORY_KEYS,
  metrics: STORY_METRICS,
  // the readout's daily series: a story post on the day (story_post_days' numerator)
  dailyMetric: 'story_post_days',
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
    const adoption = p.adoption ? makeAdoption(n, H) : null;
    return {
      // the adoption key's stream is its own: drawing it changes no other number
      draw: (base, key) => ({
        ...base,
        rates: storyRates(th, base.traits, p),
        adoptKey: p.adoption ? key('adopt') : 0,
        lapseKey: p.adoption?.lapse ? key('lapse') : 0,
      }),
      sink: (daily) => daily,
      simulate(draw, _world, has, num, den, daily) {
        simulateStories(graph.csr, th, userMem, p, draw, has, tally, scratch, daily, adoption);
        const t = tally;
        const [posters, postDays, gposts, pposts, open, dmv, recip, mute, ret, dau] = num as [Float64Array, ...Float64Array[]];
        for (let i = 0; i < n; i++) {
          posters[i] = t.posterDays[i]! > 0 ? 1 : 0;
          postDays![i] = t.posterDays[i]! / H;
          gposts![i] = t.groupPosts[i]!;
          pposts![i] = t.publicPosts[i]!;
          open![i] = t.opens[i]!;
          den[4]![i] = t.impressions[i]!;
          dmv![i] = t.dms[i]!;
          den[5]![i] = t.opens[i]!;
          recip![i] = t.reciprocated[i]!;
          den[6]![i] = t.dms[i]!;
          mute![i] = t.mutes[i]! > 0 ? 1 : 0;
          ret![i] = t.lastActive[i]! >= H - 7 ? 1 : 0;
          dau![i] = t.activeDays[i]! / H;
        }
      },
      extras: () => (adoption ? { adoption: { day: Int16Array.from(adoption.day), lapsed: Int16Array.from(adoption.lapsed) } } : {}),
    };
  },
});

export const groupStoriesKind: ModelKind<typeof groupStoriesSchema> = {
  type: 'group-stories',
  schema: groupStoriesSchema,
  product: true,
  create: groupStories,
};
